"""The coalition core: the application factory, member organisations, branches,
staff and roles, programmes and their publishing, impact figures and the dashboard."""

"""The staff workspace: the dashboard a signed-in staff member lands on, and an
organisation's own pages for its administrators — people and roles, profile, branches.

The programmes pages are the programmes domain's (`coalition.programmes`); the services
these pages call are the domains' (accounts, members, branches).
"""

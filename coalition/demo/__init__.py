"""The fictional demo coalition of `flask demo seed` (demo mode only).

The data is in `data/` (TOML, read with the standard library); `services.seed` loads it
through the services that people and member systems use: members are admitted with
`add_member`, staff accounts created with their roles, profiles and branches set as their
administrators would, programmes created (and published) like an editor's.
"""

"""The audit log: who did what, when — never a password, a token or a body.

Every domain records its actions here with `services.record`, so this package sits below
them all and imports none of them; the coalition office reads the log (`coalition.office`).
"""

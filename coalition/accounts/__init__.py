"""Staff accounts: users and their roles per organisation, invitations, passwords and their
reset, sign-in and its second factor (TOTP); the sign-in and account pages (`auth.*`).

Everything here flushes and never commits: the calling view (or command) commits once.
Tokens sent by mail are random, shown once, and stored only as their SHA-256.
"""

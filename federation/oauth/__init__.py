"""The OAuth 2 authorization server of the federation: member systems' clients, the
platform's signing keys, access tokens and their checks, and the pages and commands that
manage them."""

"""Who this authorization server is, and the time rules of its tokens: the issuer, its
endpoints, the audience and lifetime of access tokens, the allowance for clock skew."""

from __future__ import annotations

from flask import current_app

#: allowance for clock skew between the member's system and ours, in seconds
LEEWAY = 30


def issuer() -> str:
    """This authorization server's issuer identifier (`iss` of every token)."""
    return current_app.config["PUBLIC_URL"]


def token_endpoint() -> str:
    return issuer() + "/oauth/token"


def api_audience() -> str:
    """The `aud` of access tokens: the platform's machine API."""
    return current_app.config.get("OAUTH_API_AUDIENCE") or issuer() + "/federation/v1"


def token_lifetime() -> int:
    """How long an access token lives, in seconds (never more than 300)."""
    return min(int(current_app.config.get("OAUTH_ACCESS_TOKEN_LIFETIME", 300)), 300)

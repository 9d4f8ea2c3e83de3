"""The authorization server's routes: token, revocation, introspection (RFC 6749, 7009,
7662), the JWKS and the metadata document (RFC 8414). No language prefix, no CSRF (clients
authenticate themselves); errors are problems."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from coalition.extensions import csrf, db, limiter
from federation.oauth.issuer import issuer, token_endpoint
from federation.oauth.models import CLIENT_ALGORITHMS, AuthMethod
from federation.oauth.scopes import offered_scopes
from federation.oauth.server import TokenIntrospection, TokenRevocation, authorization
from federation.oauth.signing_keys import published_keys

bp = Blueprint("oauth", __name__)
csrf.exempt(bp)


def _token_rate_limit() -> str:
    return current_app.config["OAUTH_TOKEN_RATE_LIMIT"]


@bp.post("/oauth/token")
@limiter.limit(_token_rate_limit)
def issue_token():
    """RFC 6749 §4.4 token endpoint (client credentials)."""
    response = authorization.create_token_response()
    db.session.commit()  # the assertion's jti and last_used_at, whatever the outcome
    return _no_store(response)


@bp.post("/oauth/revoke")
def revoke_token():
    """RFC 7009 revocation endpoint."""
    response = authorization.create_endpoint_response(TokenRevocation.ENDPOINT_NAME)
    db.session.commit()
    return _no_store(response)


@bp.post("/oauth/introspect")
def introspect_token():
    """RFC 7662 introspection endpoint."""
    response = authorization.create_endpoint_response(TokenIntrospection.ENDPOINT_NAME)
    db.session.commit()
    return _no_store(response)


@bp.get("/oauth/jwks.json")
def jwks():
    """The public keys that verify access tokens (the first key is made by the first token)."""
    response = jsonify({"keys": published_keys()})
    response.cache_control.max_age = 60
    response.cache_control.public = True
    return response


@bp.get("/.well-known/oauth-authorization-server")
def metadata():
    """RFC 8414 authorization server metadata."""
    base = issuer()
    methods = [m.value for m in AuthMethod]
    response = jsonify(
        {
            "issuer": base,
            "token_endpoint": token_endpoint(),
            "jwks_uri": base + "/oauth/jwks.json",
            "revocation_endpoint": base + "/oauth/revoke",
            "introspection_endpoint": base + "/oauth/introspect",
            "grant_types_supported": ["client_credentials"],
            "response_types_supported": [],
            "scopes_supported": offered_scopes(),
            "token_endpoint_auth_methods_supported": methods,
            "token_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "revocation_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "introspection_endpoint_auth_methods_supported": methods,
            "introspection_endpoint_auth_signing_alg_values_supported": list(CLIENT_ALGORITHMS),
            "service_documentation": base + "/federation/v1/docs",
        }
    )
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response

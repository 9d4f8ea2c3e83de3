"""HTTP security headers for every response."""

from __future__ import annotations

from flask import Flask, Response, g

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def allow_framing() -> None:
    """Let any site frame this response (the embeddable search widget)."""
    g.allow_framing = True


def content_security_policy(framing: bool) -> str:
    policy = dict(CONTENT_SECURITY_POLICY)
    if framing:
        policy["frame-ancestors"] = "*"
    return "; ".join(f"{key} {value}" for key, value in policy.items())


def init_security_headers(app: Flask) -> None:
    """Set CSP, HSTS and the other hardening headers on every response."""
    policies = {framing: content_security_policy(framing) for framing in (False, True)}

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        framing = g.get("allow_framing", False)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policies[framing])
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not framing:
            headers.setdefault("X-Frame-Options", "DENY")
        return response

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
    """Set CSP, HSTS and the other hardening headers on every response (a header a view
    set itself is kept)."""
    defaults = {
        framing: [
            ("Content-Security-Policy", content_security_policy(framing)),
            ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            *([] if framing else [("X-Frame-Options", "DENY")]),
        ]
        for framing in (False, True)
    }

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        headers.extend(
            (name, value)
            for name, value in defaults[g.get("allow_framing", False)]
            if name.lower() not in present
        )
        return response

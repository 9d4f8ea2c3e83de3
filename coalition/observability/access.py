"""Who may read the metrics: the holder of `METRICS_TOKEN`, or else loopback callers only.

The same rule guards the web's /metrics and `flask worker`'s own metrics server, so it
reads a plain WSGI environ.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from typing import Any

#: headers that say a proxy forwarded the request (then its peer address is the proxy's)
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _peer(environ: Mapping[str, Any]) -> str:
    """The address of the connection's other end, before ProxyFix rewrote it."""
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or environ.get("REMOTE_ADDR") or ""


def is_loopback_caller(environ: Mapping[str, Any]) -> bool:
    """The request came from this machine itself, not through a proxy on it."""
    if any(environ.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(_peer(environ)).is_loopback
    except ValueError:
        return False


def metrics_access(environ: Mapping[str, Any], token: str) -> int:
    """200 when the caller may read the metrics; 401 (no credentials) or 403 otherwise."""
    if not token:
        return 200 if is_loopback_caller(environ) else 403
    scheme, _, given = (environ.get("HTTP_AUTHORIZATION") or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return 401
    return 200 if hmac.compare_digest(given.strip().encode(), token.encode()) else 403

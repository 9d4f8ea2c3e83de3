"""Behind a reverse proxy: trust its `X-Forwarded-*` headers, and only its.

With `TRUSTED_PROXIES=n` the platform takes the client's address, scheme and host from
the last n hops of `X-Forwarded-For`, `-Proto` and `-Host` (werkzeug's ProxyFix), so
that rate limits count callers rather than the proxy, redirects stay on https and
secure cookies work. With 0 (the default) the headers are ignored: a caller that
reaches the platform directly cannot pretend to come from elsewhere.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_proxy(app: Flask) -> None:
    """Wrap the app in ProxyFix for `TRUSTED_PROXIES` hops (none: leave it as it is)."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

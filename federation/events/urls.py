"""Which URLs may receive webhooks: HTTPS on public addresses only, unless
WEBHOOK_ALLOW_PRIVATE (development and tests only)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l


class InvalidWebhookURL(ValueError):
    """The URL is not an acceptable webhook target; the message says why."""


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_private: bool | None = None) -> None:
    """Refuse a webhook URL that is not HTTPS on public addresses only.

    Every address the host resolves to is checked, so a name pointing at a private
    network is refused as well as a literal one.

    :raise InvalidWebhookURL: with a message for the admin.
    """
    if allow_private is None:
        allow_private = current_app.config["WEBHOOK_ALLOW_PRIVATE"]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidWebhookURL(str(_l("This is not a valid URL."))) from error
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        raise InvalidWebhookURL(str(_l("The URL must start with https://.")))
    if not parts.hostname or parts.username or parts.password:
        raise InvalidWebhookURL(str(_l("The URL must name a host, without a user or password.")))
    if len(url) > 500:
        raise InvalidWebhookURL(str(_l("The URL is too long.")))
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidWebhookURL(str(_l("The host name could not be resolved."))) from error
    if not allow_private and not all(_address_allowed(info[4][0]) for info in infos):
        raise InvalidWebhookURL(
            str(_l("The host resolves to a private, loopback or reserved address."))
        )

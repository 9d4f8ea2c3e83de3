"""A programme's schema.org description (JSON-LD), for search engines and link previews."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from coalition import taxonomy
from coalition.i18n import text_in
from coalition.programmes.models import Programme


def safe_url(url: str | None) -> str | None:
    """An http(s) address, or None (never a javascript: link from a record)."""
    if url and urlsplit(url).scheme in {"http", "https"}:
        return url
    return None


def json_ld(data: dict[str, Any]) -> Markup:
    """A JSON-LD document safe inside a <script> element (no `</`, no `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - every < > & is escaped above


def programme_json_ld(programme: Programme, lang: str, url: str) -> dict[str, Any]:
    """The schema.org description of a programme (a `Service` by its organisation)."""
    org = programme.organisation
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": text_in(programme.titles, lang),
        "description": text_in(programme.summaries, lang),
        "serviceType": [taxonomy.label("theme", code, lang) for code in programme.themes],
        "availableLanguage": list(programme.languages),
        "provider": {
            "@type": "Organization",
            "name": org.display_name(lang),
            **({"url": org.website} if safe_url(org.website) else {}),
        },
        "areaServed": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "postalCode": loc.postcode,
                    "addressLocality": loc.city,
                    "addressCountry": loc.country,
                },
            }
            for loc in programme.locations
        ],
        "audience": {
            "@type": "PeopleAudience",
            **({"suggestedMinAge": programme.age_min} if programme.age_min is not None else {}),
            **({"suggestedMaxAge": programme.age_max} if programme.age_max is not None else {}),
        },
        "dateModified": programme.updated_at.isoformat() if programme.updated_at else None,
    }
    if programme.cost == "free":
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    channel: dict[str, Any] = {}
    if safe_url(programme.apply_url):
        channel["serviceUrl"] = programme.apply_url
    if programme.apply_phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": programme.apply_phone}
    if programme.apply_email:
        channel["availableLanguage"] = list(programme.languages)
        channel["providesService"] = {"@id": url}
    if channel:
        data["availableChannel"] = {"@type": "ServiceChannel", **channel}
    return {k: v for k, v in data.items() if v not in (None, [], "")}

"""What the site's pages say about the platform: who runs it, where the crawlers may go,
which of the core's pages are public."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from coalition.members.models import Organisation
from coalition.members.services import admitted_organisations
from coalition.sitemap import SitemapPage, row_pages

#: the day the privacy notice and the accessibility statement were last reviewed (the
#: privacy notice: what anonymised referrals store, issue 10)
REVIEWED_ON = date(2026, 12, 1)
#: the site's own pages (endpoint `site.<name>`) and their titles, as the footer links them
SITE_PAGES = {
    "privacy": _l("Privacy notice"),
    "legal_notice": _l("Legal notice"),
    "accessibility": _l("Accessibility statement"),
    "contact": _l("Contact"),
}
#: what no crawler needs: the staff's and the office's pages, sign-in, the machine APIs
#: (`{lang}` is each language prefix)
PRIVATE_PREFIXES = (
    "/{lang}/staff/",
    "/{lang}/admin/",
    "/{lang}/federation/",
    "/{lang}/account",
    "/{lang}/login",
    "/{lang}/forgot-password",
    "/{lang}/reset/",
    "/{lang}/invitation/",
    "/api/",
    "/federation/",
    "/oauth/",
    "/hsds/",
    "/metrics",
)


def operator() -> dict[str, Any]:
    """Who runs the platform and how to reach them, as the configuration says."""
    config = current_app.config
    return {
        "operator_name": config["OPERATOR_NAME"],
        "operator_address": config["OPERATOR_ADDRESS"],
        "operator_enterprise_number": config["OPERATOR_ENTERPRISE_NUMBER"],
        "contact_email": config["CONTACT_EMAIL"],
        "public_url": config["PUBLIC_URL"],
        "reviewed_on": REVIEWED_ON,
        "session_hours": config["PERMANENT_SESSION_LIFETIME"] // 3600,
        "referral_retention_days": config["REFERRAL_RETENTION_DAYS"],
        "mentor_retention_months": config["MENTOR_INTEREST_RETENTION_MONTHS"],
    }


def robots_txt() -> str:
    """`/robots.txt`: every page but the private ones, and where the sitemap is."""
    languages = current_app.config["LANGUAGES"]
    prefixes = dict.fromkeys(p.format(lang=lang) for p in PRIVATE_PREFIXES for lang in languages)
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in prefixes)]
    lines += ["", f"Sitemap: {current_app.config['PUBLIC_URL']}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def core_pages() -> Iterator[SitemapPage]:
    """The core's public pages: home, members and each member's page, joining, the site's."""
    yield SitemapPage("coalition.home")
    yield SitemapPage("coalition.members")
    members = admitted_organisations().with_only_columns(Organisation.slug, Organisation.updated_at)
    yield from row_pages("coalition.member", "slug", members.order_by(Organisation.slug))
    yield SitemapPage("coalition.join")
    for name in SITE_PAGES:
        yield SitemapPage(f"site.{name}")

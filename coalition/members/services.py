"""Members: who they are (enterprise number, slug, website), admitting one directly,
suspending and readmitting, and the public directory of current members.

Verbs that flush and audit but never commit; the view (or command) commits once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _
from sqlalchemy import Select, select

from coalition import outbox, taxonomy
from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.errors import FieldError
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeStatus

#: languages an organisation can say it works in
ORGANISATION_LANGUAGES = ("fr", "nl", "en", "de")


class MembershipError(FieldError):
    """A rule of membership was broken; `field` names the form field to show it beside."""


# --- who a member is ----------------------------------------------------------------------


def normalise_enterprise_number(raw: str | None) -> str | None:
    """The 10 digits of a valid KBO/BCE number ("BE 0123.456.749" → "0123456749"), else None.

    The last two digits are 97 minus the first eight modulo 97; old nine-digit numbers get
    their leading 0 back.
    """
    if not raw:
        return None
    text = re.sub(r"[\s.\-/]", "", raw.strip().upper())
    text = text.removeprefix("BE")
    if not text.isdigit() or not text.isascii():
        return None
    if len(text) == 9:
        text = "0" + text
    if len(text) != 10 or text[0] not in "01":
        return None
    if 97 - int(text[:8]) % 97 != int(text[8:]):
        return None
    return text


def valid_enterprise_number(raw: str | None, message: str) -> str:
    """The normalised enterprise number.

    :raise MembershipError: with `message`, when the number is not a valid one.
    """
    number = normalise_enterprise_number(raw)
    if number is None:
        raise MembershipError("enterprise_number", message)
    return number


def format_enterprise_number(digits: str | None) -> str:
    """ "0123456749" → "0123.456.749", the way the register writes it."""
    if not digits or len(digits) != 10:
        return digits or ""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def normalise_website(raw: str | None) -> str | None:
    """An http(s) address with its scheme, or None when empty.

    :raise MembershipError: not a web address.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise MembershipError("website", _("Enter a web address such as https://example.org."))
    return text


def check_not_a_member(number: str) -> None:
    """:raise MembershipError: an organisation with this enterprise number is a member."""
    if db.session.execute(
        select(Organisation.id).where(Organisation.enterprise_number == number)
    ).first():
        raise MembershipError(
            "enterprise_number",
            _("An organisation with this enterprise number is already a member."),
        )


def slugify(text: str) -> str:
    """A URL name: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:70] or "member"


def unique_slug(name: str) -> str:
    """A slug for `name` that no organisation uses yet."""
    base = slugify(name)
    taken = set(
        db.session.scalars(select(Organisation.slug).where(Organisation.slug.like(f"{base}%")))
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- admission and suspension -------------------------------------------------------------


def add_member(
    *, name: str, slug: str, enterprise_number: str, website: str | None = None
) -> tuple[Organisation, bool]:
    """Admit an organisation directly (operators, automation); idempotent on the slug.

    Returns the organisation and whether it was created.
    :raise MembershipError: invalid enterprise number or slug, or the number is another's.
    """
    number = valid_enterprise_number(
        enterprise_number, _("This is not a valid Belgian enterprise number.")
    )
    if slugify(slug) != slug:
        raise MembershipError("slug", _("Use lower-case letters, digits and hyphens only."))
    existing = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if existing is not None:
        return existing, False
    check_not_a_member(number)
    organisation = admit(name=name, slug=slug, enterprise_number=number, website=website)
    record("organisation.add", organisation=organisation, target=organisation, slug=slug)
    return organisation, True


def admit(
    *,
    name: str,
    slug: str,
    enterprise_number: str,
    website: str | None,
    languages: list[str] | None = None,
    descriptions: dict[str, str] | None = None,
) -> Organisation:
    """A new member organisation, admitted now (the callers have checked its number)."""
    organisation = Organisation(
        slug=slug,
        name=name.strip(),
        names={},
        descriptions=descriptions or {},
        enterprise_number=enterprise_number,
        website=normalise_website(website),
        languages=list(languages or []),
        admitted_at=utcnow(),
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _queue_programmes(organisation: Organisation) -> None:
    """Queue the organisation's programmes for re-indexing (their visibility changed)."""
    for programme_id in db.session.scalars(
        select(Programme.id).where(Programme.organisation_id == organisation.id)
    ):
        outbox.queue(programme_id)


def suspend_organisation(organisation: Organisation, admin: User, reason: str = "") -> None:
    """Take a member out of the public pages until it is readmitted."""
    if not organisation.is_admitted:
        return
    organisation.admitted_at = None
    _queue_programmes(organisation)
    db.session.flush()
    record("organisation.suspend", actor=admin, organisation=organisation, reason=reason)


def readmit_organisation(organisation: Organisation, admin: User) -> None:
    """Admit a suspended member again."""
    if organisation.is_admitted:
        return
    organisation.admitted_at = utcnow()
    _queue_programmes(organisation)
    db.session.flush()
    record("organisation.readmit", actor=admin, organisation=organisation)


# --- the public directory -----------------------------------------------------------------


def admitted_organisations() -> Select[tuple[Organisation]]:
    """The coalition's current members, as a statement to order, filter or page."""
    return select(Organisation).where(Organisation.is_admitted)


def admitted_member(slug: str) -> Organisation | None:
    """The current member with this slug, if any (a suspended one is not shown)."""
    return db.session.scalar(admitted_organisations().where(Organisation.slug == slug))


def organisation_themes(organisation: Organisation) -> list[str]:
    """Theme codes of the organisation's published programmes, most frequent first."""
    counts: dict[str, int] = {}
    for themes in db.session.scalars(
        select(Programme.themes).where(
            Programme.organisation_id == organisation.id,
            Programme.status == ProgrammeStatus.published,
        )
    ):
        for code in themes or []:
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda code: (-counts[code], code))


def theme_labels(organisation: Organisation, lang: str) -> list[str]:
    """The labels in `lang` of the organisation's themes, most frequent first."""
    return [
        taxonomy.label("theme", code, lang)
        for code in organisation_themes(organisation)
        if code in taxonomy.THEMES
    ]


@dataclass(frozen=True)
class DirectoryRow:
    """One member in the public list."""

    organisation: Organisation
    name: str
    cities: list[str]
    themes: list[str]


def member_directory(lang: str) -> list[DirectoryRow]:
    """The coalition's current members for the public list, by their name in `lang`."""
    rows = [
        DirectoryRow(
            organisation=organisation,
            name=organisation.display_name(lang),
            cities=sorted({branch.city for branch in organisation.branches}),
            themes=theme_labels(organisation, lang),
        )
        for organisation in db.session.scalars(admitted_organisations().order_by(Organisation.name))
    ]
    return sorted(rows, key=lambda row: row.name.casefold())

"""Member organisations: applications to join, admission, profiles and branches.

Verbs that flush and audit but never commit; the view (or command) commits once.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from coalition import postcodes
from coalition.config import LANGUAGES
from coalition.extensions import db
from coalition.mail import render_mail, send_mail
from coalition.models import (
    ApplicationStatus,
    Branch,
    MembershipApplication,
    Organisation,
    OutboxEntry,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
    Role,
    User,
)
from coalition.models.base import utcnow
from coalition.services import audit

#: languages an organisation can say it works in
ORGANISATION_LANGUAGES = ("fr", "nl", "en", "de")
#: the largest logo accepted, in bytes
LOGO_MAX_BYTES = 512 * 1024
#: media types of accepted logos, by their first bytes (never by the file name)
LOGO_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: the cities the coalition covered when the project started; a branch elsewhere is new.
#: Each: (country, postcodes of the city and its districts, its names normalised). The
#: whole Brussels-Capital region counts as Brussels (matched by province).
CURRENT_CITIES: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "Brussels": ("BE", frozenset(), frozenset({"brussels", "bruxelles", "brussel"})),
    "Antwerp": (
        "BE",
        _codes("2000 2018 2020 2030 2040 2050 2060 2100 2140 2170 2180 2600 2610 2660"),
        frozenset({"antwerp", "antwerpen", "anvers"}),
    ),
    "Ghent": (
        "BE",
        _codes("9000 9030 9031 9032 9040 9041 9042 9050 9051 9052"),
        frozenset({"ghent", "gent", "gand"}),
    ),
    "Liège": ("BE", _codes("4000 4020 4030 4031 4032"), frozenset({"liege", "luik"})),
    "Charleroi": (
        "BE",
        _codes("6000 6001 6010 6020 6030 6031 6032 6040 6041 6042 6043 6044 6060 6061"),
        frozenset({"charleroi"}),
    ),
    "Lille": ("FR", _codes("59000 59160 59260 59777 59800"), frozenset({"lille"})),
    "Paris": (
        "FR",
        frozenset(f"750{n:02d}" for n in range(1, 21)) | {"75116"},
        frozenset({"paris"}),
    ),
    "Marseille": ("FR", frozenset(f"130{n:02d}" for n in range(1, 17)), frozenset({"marseille"})),
    "Rotterdam": ("NL", frozenset(), frozenset({"rotterdam"})),
}


class MembershipError(ValueError):
    """A rule of membership was broken; `field` names the form field to show it beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- enterprise numbers ---------------------------------------------------------------


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


# --- applications ---------------------------------------------------------------------


def _check_enterprise_number_is_free_of_members(number: str) -> None:
    if db.session.execute(
        select(Organisation.id).where(Organisation.enterprise_number == number)
    ).first():
        raise MembershipError(
            "enterprise_number",
            _("An organisation with this enterprise number is already a member."),
        )


def _check_enterprise_number_is_free(number: str) -> None:
    _check_enterprise_number_is_free_of_members(number)
    pending = db.session.execute(
        select(MembershipApplication.id).where(
            MembershipApplication.enterprise_number == number,
            MembershipApplication.status == ApplicationStatus.pending,
        )
    ).first()
    if pending:
        raise MembershipError(
            "enterprise_number",
            _("An application with this enterprise number is already being reviewed."),
        )


def submit_application(
    *,
    organisation_name: str,
    enterprise_number: str,
    contact_name: str,
    contact_email: str,
    website: str | None = None,
    languages: list[str] | None = None,
    description: str = "",
    language: str = "fr",
) -> MembershipApplication:
    """Record an organisation's application to join the coalition and acknowledge it.

    The contact person receives, in the application's language, a mail saying it was
    received and what happens next.
    :raise MembershipError: invalid enterprise number or website, or one already a member
        or pending.
    """
    number = normalise_enterprise_number(enterprise_number)
    if number is None:
        raise MembershipError(
            "enterprise_number",
            _("This is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749)."),
        )
    _check_enterprise_number_is_free(number)
    application = MembershipApplication(
        organisation_name=organisation_name.strip(),
        enterprise_number=number,
        website=normalise_website(website),
        languages=[code for code in (languages or []) if code in ORGANISATION_LANGUAGES],
        description=(description or "").strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        language=language if language in LANGUAGES else LANGUAGES[0],
        status=ApplicationStatus.pending,
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        "application.submit", target=application, organisation_name=application.organisation_name
    )
    _acknowledge(application)
    return application


def _acknowledge(application: MembershipApplication) -> None:
    """Tell the contact person the application arrived and what happens next."""
    _mail_applicant(
        application,
        "application_received",
        _("We received your application to the mentoring coalition"),
        enterprise_number=format_enterprise_number(application.enterprise_number),
    )


def _mail_applicant(
    application: MembershipApplication, template: str, subject: Any, **context: Any
) -> None:
    """Mail the application's contact person, in the application's language.

    :param subject: a lazy message, translated into that language here.
    """
    language = application.language
    with force_locale(language):
        subject = str(subject)
    body = render_mail(
        template,
        language,
        name=application.contact_name,
        organisation=application.organisation_name,
        **context,
    )
    send_mail(application.contact_email, subject, body, language)


def pending_applications() -> list[MembershipApplication]:
    """Applications waiting for the coalition's decision, oldest first."""
    return list(
        db.session.scalars(
            select(MembershipApplication)
            .where(MembershipApplication.status == ApplicationStatus.pending)
            .order_by(MembershipApplication.created_at, MembershipApplication.id)
        )
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


def _decidable(application: MembershipApplication) -> None:
    if application.status != ApplicationStatus.pending:
        raise MembershipError("status", _("This application has already been decided."))


def approve_application(application: MembershipApplication, admin: User) -> Organisation:
    """Admit the applicant as a member and invite its contact person as its admin."""
    from coalition.services.accounts import invite_user

    _decidable(application)
    _check_enterprise_number_is_free_of_members(application.enterprise_number)
    organisation = Organisation(
        slug=unique_slug(application.organisation_name),
        name=application.organisation_name,
        names={},
        descriptions={application.language: application.description}
        if application.description
        else {},
        enterprise_number=application.enterprise_number,
        website=application.website,
        languages=list(application.languages or []),
        admitted_at=utcnow(),
    )
    db.session.add(organisation)
    db.session.flush()
    application.status = ApplicationStatus.approved
    application.decided_at = utcnow()
    application.decided_by_id = admin.id
    application.organisation = organisation
    db.session.flush()
    audit.record("application.approve", actor=admin, organisation=organisation, target=application)
    invite_user(
        application.contact_email,
        application.contact_name,
        organisation,
        [Role.org_admin],
        admin,
        application.language,
    )
    return organisation


def reject_application(application: MembershipApplication, admin: User, reason: str) -> None:
    """Refuse the application and tell the contact person why."""
    _decidable(application)
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError("reason", _("Give the reason: the applicant will read it."))
    application.status = ApplicationStatus.rejected
    application.rejection_reason = reason
    application.decided_at = utcnow()
    application.decided_by_id = admin.id
    db.session.flush()
    _mail_applicant(
        application,
        "application_rejected",
        _("Your application to the mentoring coalition"),
        reason=reason,
    )
    audit.record("application.reject", actor=admin, target=application, reason=reason)


# --- membership -----------------------------------------------------------------------


def _touch_programmes(organisation: Organisation) -> None:
    """Queue the organisation's programmes for re-indexing (their visibility changed)."""
    ids = db.session.scalars(
        select(Programme.id).where(Programme.organisation_id == organisation.id)
    )
    for programme_id in ids:
        db.session.add(OutboxEntry(kind="programme", object_id=programme_id))


def suspend_organisation(organisation: Organisation, admin: User, reason: str = "") -> None:
    """Take a member out of the public pages until it is readmitted."""
    if organisation.admitted_at is None:
        return
    organisation.admitted_at = None
    _touch_programmes(organisation)
    db.session.flush()
    audit.record("organisation.suspend", actor=admin, organisation=organisation, reason=reason)


def readmit_organisation(organisation: Organisation, admin: User) -> None:
    """Admit a suspended member again."""
    if organisation.admitted_at is not None:
        return
    organisation.admitted_at = utcnow()
    _touch_programmes(organisation)
    db.session.flush()
    audit.record("organisation.readmit", actor=admin, organisation=organisation)


def admitted_organisations() -> list[Organisation]:
    """The coalition's current members, by name."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.admitted_at.is_not(None))
            .order_by(Organisation.name)
        )
    )


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


# --- profile --------------------------------------------------------------------------


def logo_media_type(data: bytes) -> str:
    """The media type of an accepted logo, read from its first bytes.

    :raise MembershipError: too large, or not a PNG, JPEG or WebP image.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise MembershipError(
            "logo", _("The logo is too large: %(max)s kB at most.", max=LOGO_MAX_BYTES // 1024)
        )
    for signature, media_type in LOGO_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise MembershipError("logo", _("The logo must be a PNG, JPEG or WebP image."))


def _texts(values: dict[str, str] | None) -> dict[str, str]:
    return {lang: text.strip() for lang, text in (values or {}).items() if text and text.strip()}


def update_profile(
    organisation: Organisation,
    actor: User,
    *,
    name: str | None = None,
    names: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    website: str | None = None,
    email: str | None = None,
    languages: list[str] | None = None,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> None:
    """Change the organisation's public profile.

    :raise MembershipError: an invalid website or logo.
    """
    changed: list[str] = []
    values: dict[str, Any] = {"name": (name or "").strip() or None}
    if names is not None:
        values["names"] = _texts(names)
    if descriptions is not None:
        values["descriptions"] = _texts(descriptions)
    if website is not None:
        values["website"] = normalise_website(website)
    if email is not None:
        values["email"] = email.strip().lower() or None
    if languages is not None:
        values["languages"] = [code for code in languages if code in ORGANISATION_LANGUAGES]
    for field, value in values.items():
        if (value is not None or field != "name") and getattr(organisation, field) != value:
            setattr(organisation, field, value)
            changed.append(field)
    if logo:
        organisation.logo_mime = logo_media_type(logo)
        organisation.logo = logo
        changed.append("logo")
    elif remove_logo and organisation.logo_mime:
        organisation.logo, organisation.logo_mime = None, None
        changed.append("logo")
    db.session.flush()
    if changed:
        audit.record("organisation.update", actor=actor, organisation=organisation, fields=changed)


# --- branches -------------------------------------------------------------------------


def current_city(place: postcodes.Place) -> str | None:
    """Which of the coalition's original cities the place is in, if any."""
    names = {postcodes.normalise_name(n) for n in (place.city, *place.aliases)}
    for city, (country, codes, city_names) in CURRENT_CITIES.items():
        if place.country != country:
            continue
        if place.postcode in codes or names & city_names:
            return city
        if city == "Brussels" and place.province == "Brussels-Capital":
            return city
    return None


def _place(postcode: str, country: str) -> postcodes.Place:
    if country not in postcodes.COUNTRIES:
        raise MembershipError("country", _("Choose Belgium, France or the Netherlands."))
    place = postcodes.lookup(postcode, country)
    if place is None:
        raise MembershipError("postcode", _("This postcode is unknown in the chosen country."))
    return place


def _locate(branch: Branch, postcode: str, country: str) -> None:
    place = _place(postcode, country)
    branch.postcode = place.postcode
    branch.country = place.country
    branch.city = place.city
    branch.latitude = place.latitude
    branch.longitude = place.longitude
    branch.is_new = current_city(place) is None


def add_branch(
    organisation: Organisation,
    actor: User | None,
    *,
    name: str,
    postcode: str,
    country: str = "BE",
    address: str | None = None,
    opened_on: date | None = None,
) -> Branch:
    """Add a branch; its city and coordinates come from the postcode.

    :raise MembershipError: unknown postcode or country.
    """
    branch = Branch(
        organisation=organisation,
        name=name.strip(),
        address=(address or "").strip() or None,
        opened_on=opened_on,
    )
    _locate(branch, postcode, country)
    db.session.add(branch)
    db.session.flush()
    audit.record(
        "branch.add", actor=actor, organisation=organisation, target=branch, city=branch.city
    )
    return branch


def update_branch(
    branch: Branch,
    actor: User | None,
    *,
    name: str,
    postcode: str,
    country: str = "BE",
    address: str | None = None,
    opened_on: date | None = None,
) -> None:
    """Change a branch; a new postcode moves it (city, coordinates, is_new)."""
    _locate(branch, postcode, country)
    branch.name = name.strip()
    branch.address = (address or "").strip() or None
    branch.opened_on = opened_on
    db.session.flush()
    audit.record(
        "branch.update",
        actor=actor,
        organisation=branch.organisation_id,
        target=branch,
        city=branch.city,
    )


def remove_branch(branch: Branch, actor: User | None) -> None:
    """Delete a branch; programme locations there keep their postcode but lose the link."""
    for location in db.session.scalars(
        select(ProgrammeLocation).where(ProgrammeLocation.branch_id == branch.id)
    ):
        location.branch_id = None
        db.session.add(OutboxEntry(kind="programme", object_id=location.programme_id))
    audit.record(
        "branch.remove",
        actor=actor,
        organisation=branch.organisation_id,
        target=branch,
        city=branch.city,
    )
    organisation = branch.organisation
    organisation.branches.remove(branch)
    db.session.delete(branch)
    db.session.flush()


def organisation_branch(organisation: Organisation, branch_id: int) -> Branch | None:
    """The organisation's branch with this id; None if it is another's or none."""
    branch = db.session.get(Branch, branch_id)
    if branch is None or branch.organisation_id != organisation.id:
        return None
    return branch


def add_member(
    *, name: str, slug: str, enterprise_number: str, website: str | None = None
) -> tuple[Organisation, bool]:
    """Admit an organisation directly (operators, automation); idempotent on the slug.

    Returns the organisation and whether it was created.
    :raise MembershipError: invalid enterprise number or slug, or the number is another's.
    """
    number = normalise_enterprise_number(enterprise_number)
    if number is None:
        raise MembershipError(
            "enterprise_number", _("This is not a valid Belgian enterprise number.")
        )
    if slugify(slug) != slug:
        raise MembershipError("slug", _("Use lower-case letters, digits and hyphens only."))
    existing = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if existing is not None:
        return existing, False
    _check_enterprise_number_is_free_of_members(number)
    organisation = Organisation(
        slug=slug,
        name=name.strip(),
        names={},
        descriptions={},
        enterprise_number=number,
        website=normalise_website(website),
        languages=[],
        admitted_at=utcnow(),
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record("organisation.add", organisation=organisation, target=organisation, slug=slug)
    return organisation, True

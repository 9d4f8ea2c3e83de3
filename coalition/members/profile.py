"""A member's public profile: its names and descriptions per language, website, public
e-mail, languages and logo, as its administrators edit them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.members.services import ORGANISATION_LANGUAGES, MembershipError, normalise_website

#: the largest logo accepted, in bytes
LOGO_MAX_BYTES = 512 * 1024
#: media types of accepted logos, by their first bytes (never by the file name)
LOGO_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


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
    actor: User | None,
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

    :param actor: the administrator who edits it; None for the platform (the demo).
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
        record("organisation.update", actor=actor, organisation=organisation, fields=changed)

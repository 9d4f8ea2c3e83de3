"""Validators the core's schemas share, each saying why in the visitor's language.

Programme bodies (`coalition.programmes.schemas`) and mentor interests
(`coalition.mentors.schemas`) check codes, numbers, e-mail addresses and phone numbers
the same way, with the same messages. The classes subclass marshmallow's own so that
apispec still documents `enum`, `minimum`/`maximum` and `maxItems`.
"""

from __future__ import annotations

import re
from typing import Any

from babel import localedata
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate

from coalition.taxonomy import SPOKEN_LANGUAGES

#: most codes or locations accepted in one list
MAX_ITEMS = 30
PHONE_PATTERN = re.compile(r"\+?[0-9 ().\-/]+")
#: control characters refused in texts (PostgreSQL rejects NUL; the others are noise)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Unicode direction embeddings, overrides and isolates: in a name they flip the text
#: around it in every list that shows it (U+202E "RIGHT-TO-LEFT OVERRIDE")
DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def shorten(value: Any, length: int = 40) -> str:
    """`value` as a text of at most `length` characters, for a message that quotes it."""
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


def clean_text(value: str) -> str:
    """The text without control characters and surrounding white space."""
    return CONTROL_CHARS.sub("", value).strip()


class Choice(validate.OneOf):
    """One of the given codes; the message names the refused code."""

    def __call__(self, value: Any) -> Any:
        if value not in self.choices:
            raise ValidationError(_("Unknown code “%(code)s”.", code=shorten(value)))
        return value


class Between(validate.Range):
    """A number between `min` and `max` (inclusive)."""

    def __call__(self, value: Any) -> Any:
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            if self.max is None:
                raise ValidationError(_("Must be at least %(min)s.", min=self.min))
            raise ValidationError(
                _("Must be between %(min)s and %(max)s.", min=self.min, max=self.max)
            )
        return value


class ItemCount(validate.Length):
    """A list with at least `min` and at most `max` items."""

    def __call__(self, value: Any) -> Any:
        if self.min and len(value) < self.min:
            raise ValidationError(_("Choose at least one."))
        if self.max is not None and len(value) > self.max:
            raise ValidationError(_("At most %(max)s items.", max=self.max))
        return value


#: every code `validate_language_code` accepts, for the documents that list them
LANGUAGE_CODES = sorted(
    set(SPOKEN_LANGUAGES)
    | {code for code in localedata.locale_identifiers() if re.fullmatch(r"[a-z]{2}", code)}
)


def validate_language_code(code: str) -> None:
    """An ISO 639-1 code (two lower-case letters known to CLDR) or a taxonomy language."""
    if code in SPOKEN_LANGUAGES:
        return
    if not (re.fullmatch(r"[a-z]{2}", code) and localedata.exists(code)):
        raise ValidationError(
            _("“%(code)s” is not a language code (ISO 639-1, e.g. fr, ar).", code=shorten(code))
        )


def validate_url(value: str) -> None:
    """An absolute http(s) address."""
    try:
        validate.URL(schemes={"http", "https"}, require_tld=True)(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a full web address starting with https:// or http://.")
        ) from None
    if len(value) > 300:
        raise ValidationError(_("At most %(max)s characters.", max=300))


def validate_email_address(value: str) -> None:
    """A syntactically valid e-mail address (no DNS lookup)."""
    if len(value) > 200:
        raise ValidationError(_("At most %(max)s characters.", max=200))
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_("Enter a valid e-mail address.")) from None


def validate_phone(value: str) -> None:
    """A phone number: digits with the usual separators, 6 to 15 digits."""
    digits = re.sub(r"\D", "", value)
    if not PHONE_PATTERN.fullmatch(value) or not 6 <= len(digits) <= 15 or len(value) > 40:
        raise ValidationError(_("Enter a phone number, e.g. +32 2 123 45 67."))


def _item_list(
    item: fields.Field, *, required: bool, description: str, fewest: int | None
) -> fields.List:
    """A list of `item`s, from `fewest` to `MAX_ITEMS` of them; left out, it is required
    or empty."""
    extra: dict[str, Any] = {"required": True} if required else {"load_default": list}
    return fields.List(
        item,
        validate=ItemCount(min=fewest, max=MAX_ITEMS),
        metadata={"description": description},
        **extra,
    )


def code_list(vocabulary: dict[str, Any], *, required: bool, description: str) -> fields.List:
    """A list of taxonomy codes, without repeats."""
    item = fields.String(validate=Choice(list(vocabulary)))
    return _item_list(item, required=required, description=description, fewest=1 if required else 0)


def language_list(*, required: bool, description: str) -> fields.List:
    """A list of language codes (`validate_language_code`); the documents list the codes."""
    item = fields.String(validate=validate_language_code, metadata={"enum": LANGUAGE_CODES})
    # no lower bound when it may be empty: the OpenAPI document never said `minItems: 0` here
    fewest = 1 if required else None
    return _item_list(item, required=required, description=description, fewest=fewest)

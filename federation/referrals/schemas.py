"""Marshmallow schemas of referrals: the closed body a sender sends (the API and the staff
form load the same one), the views each side gets, a transition, the list's query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from coalition.database import utcnow
from coalition.paging import PageQuerySchema, page_schema
from coalition.postcodes import COUNTRIES, lookup
from coalition.taxonomy import THEMES
from federation.referrals.privacy import personal_data_kinds, refusal
from federation.referrals.states import OUTCOMES, Side, Status

AGE_BANDS = ("16-17", "18-20", "21-25", "26-30", "31+")
AVAILABILITY = ("weekday_daytime", "weekday_evenings", "weekends")
CONSENT_GIVERS = ("young_person", "legal_guardian")
#: every ISO 639-1 code (two letters), from the CLDR data Babel ships
ISO_639_1 = frozenset(code for code in Locale("en").languages if len(code) == 2)
MAX_NOTE = 500
MAX_PSEUDONYM = 64


def scanned(text: str) -> None:
    """Refuse a text holding personal data, naming its kinds (never the data)."""
    kinds = personal_data_kinds(text)
    if kinds:
        raise ValidationError(refusal(kinds))


def _iso_639_1(code: str) -> None:
    if code not in ISO_639_1:
        raise ValidationError(_("Not an ISO 639-1 language code."))


def _codes(choices: tuple[str, ...] | list[str], description: str, **kwargs: Any) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(choices)),
        validate=validate.Length(max=len(choices)),
        metadata={"description": description},
        **kwargs,
    )


class ConsentSchema(Schema):
    """The young person's (or guardian's) consent to this referral."""

    class Meta:
        unknown = RAISE

    given_at = fields.AwareDateTime(required=True)
    given_by = fields.String(required=True, validate=validate.OneOf(CONSENT_GIVERS))
    recipient = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The receiving organisation's slug (the programme's)."},
    )
    text_version = fields.String(required=True, validate=[validate.Length(min=1, max=20), scanned])

    @validates_schema
    def _not_in_future(self, data: dict[str, Any], **kwargs: Any) -> None:
        given_at = data.get("given_at")
        if given_at is not None and given_at > utcnow() + timedelta(minutes=5):
            raise ValidationError(_("Consent cannot be given in the future."), "given_at")


class ReferralSchema(Schema):
    """The body of `POST /referrals` and of the staff form: closed (unknown fields refused)."""

    class Meta:
        unknown = RAISE

    programme = fields.UUID(
        required=True, metadata={"description": "The programme's id, as in /api/v1/programmes."}
    )
    subject_ref = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_PSEUDONYM), scanned],
        metadata={
            "description": "Your own opaque pseudonym for the young person (never shown "
            "to the receiver)."
        },
    )
    age_band = fields.String(required=True, validate=validate.OneOf(AGE_BANDS))
    postcode = fields.String(
        required=True,
        validate=validate.Length(min=4, max=10),
        load_only=True,
        metadata={"description": "Reduced on arrival to its area and a distance; never stored."},
    )
    country = fields.String(load_default="BE", validate=validate.OneOf(COUNTRIES))
    languages = fields.List(
        fields.String(validate=_iso_639_1), load_default=list, validate=validate.Length(max=10)
    )
    goals = _codes(list(THEMES), "Theme codes of the platform's taxonomy.", load_default=list)
    availability = _codes(AVAILABILITY, "When the young person is free.", load_default=list)
    note = fields.String(load_default="", validate=[validate.Length(max=MAX_NOTE), scanned])
    consent = fields.Nested(ConsentSchema, required=True)

    @validates_schema(skip_on_field_errors=False)
    def _known_postcode(self, data: dict[str, Any], **kwargs: Any) -> None:
        postcode, country = data.get("postcode"), data.get("country", "BE")
        if postcode and country in COUNTRIES and lookup(postcode, country) is None:
            raise ValidationError(_("Unknown postcode for this country."), "postcode")

    @post_load
    def _unique_codes(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for name in ("languages", "goals", "availability"):
            data[name] = list(dict.fromkeys(data[name]))
        return data


class TransitionSchema(Schema):
    """The body of `POST /referrals/{id}/transitions`."""

    class Meta:
        unknown = RAISE

    status = fields.Enum(Status, by_value=True, required=True)
    reason = fields.String(validate=validate.Length(max=30), load_default=None)
    outcome = fields.String(validate=validate.OneOf(OUTCOMES), load_default=None)


class TransitionOutSchema(Schema):
    """One recorded move."""

    from_status = fields.String(data_key="from", allow_none=True)
    to_status = fields.String(data_key="to")
    reason = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    by = fields.String(attribute="side")
    at = fields.AwareDateTime()


class ReferralOutSchema(Schema):
    """A referral as one side sees it: the receiver gets its own pseudonym, never the
    sender's; both get the area and distance, never the postcode."""

    id = fields.UUID(attribute="uuid")
    code = fields.String()
    status = fields.String()
    box = fields.Method("_box", metadata={"description": "inbox (you receive) or outbox."})
    programme = fields.Function(lambda r: str(r.programme.uuid))
    sender = fields.Function(lambda r: r.sender.slug)
    receiver = fields.Function(lambda r: r.receiver.slug)
    subject_pseudonym = fields.Method(
        "_pseudonym",
        allow_none=True,
        metadata={"description": "The receiver's pseudonym for the young person (inbox only)."},
    )
    age_band = fields.String()
    country = fields.String()
    area = fields.String(allow_none=True)
    distance_km = fields.Integer(allow_none=True)
    languages = fields.List(fields.String(), allow_none=True)
    goals = fields.List(fields.String(), allow_none=True)
    availability = fields.List(fields.String(), allow_none=True)
    note = fields.String(allow_none=True)
    consent = fields.Function(
        lambda r: {
            "given_at": r.consent_given_at.isoformat(),
            "given_by": r.consent_given_by,
            "recipient": r.receiver.slug,
            "text_version": r.consent_text_version,
        }
    )
    reason = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    ended_at = fields.AwareDateTime(allow_none=True)
    purged = fields.Function(lambda r: r.purged_at is not None)
    transitions = fields.List(fields.Nested(TransitionOutSchema))

    def __init__(self, side: Side = Side.sender, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: whose view this is
        self.side = side

    def _side(self) -> Side:
        return self.side

    def _box(self, referral: Any) -> str:
        return "inbox" if self._side() is Side.receiver else "outbox"

    def _pseudonym(self, referral: Any) -> str | None:
        return referral.receiver_pseudonym if self._side() is Side.receiver else None


ReferralPageSchema = page_schema("ReferralPageSchema", ReferralOutSchema, "A page of referrals.")


class ReferralQuerySchema(PageQuerySchema):
    """Query parameters of `GET /referrals`."""

    class Meta:
        unknown = EXCLUDE

    box = fields.String(load_default="inbox", validate=validate.OneOf(("inbox", "outbox")))
    status = fields.Enum(Status, by_value=True)

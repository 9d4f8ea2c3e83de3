"""Programmes: create, change, publish and moderate them; every change feeds the outbox.

Every function validates through `ProgrammeSchema` (the one boundary), flushes and never
commits: the caller commits once. Each change writes an `OutboxEntry` in the same
transaction, records an audit entry and sends `programme_changed`; nothing here calls
the search engine. A `ValidationError` is raised before anything is changed, so the
caller can answer with its messages (see `coalition.schemas.error_pointers`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

import coalition.outbox  # noqa: F401 - wakes the worker after commits that wrote the outbox
from coalition.access import PERMISSIONS
from coalition.extensions import db
from coalition.models import (
    CapacityStatus,
    Organisation,
    OrganisationRole,
    OutboxEntry,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
    User,
)
from coalition.models.base import utcnow
from coalition.postcodes import clean_postcode, lookup
from coalition.schemas import LocationSchema, ProgrammeSchema
from coalition.services import audit
from coalition.signals import programme_changed, programme_unpublished_by_coalition

#: a programme not confirmed for this long is flagged to its editors and ranked lower
STALE_AFTER = timedelta(days=90)
#: one instance for every call: building a schema costs more than loading a body with it
_PROGRAMME_SCHEMA = ProgrammeSchema()


class ProgrammeStateError(Exception):
    """The requested status change is not possible from the programme's current status."""

    pointer = "/status"

    def __init__(self, message: str, current: ProgrammeStatus, target: str) -> None:
        super().__init__(message)
        self.message = message
        self.current = current
        self.target = target


def validate_programme(organisation: Organisation, data: Any) -> tuple[dict, list]:
    """Validate a programme body and resolve its locations; change nothing.

    :raise ValidationError: with messages keyed like the body (``locations.0.postcode``).
    """
    try:
        loaded = _PROGRAMME_SCHEMA.load(data)
    except ValidationError as error:
        messages = error.messages
        # Report unknown postcodes together with the other errors, not on the next try.
        if isinstance(data, dict) and isinstance(messages, dict) and "locations" not in messages:
            try:
                places = LocationSchema(many=True).load(data.get("locations") or [])
                _resolve_locations(organisation, places)
            except ValidationError as more:
                messages = {**messages, **more.messages}
        raise ValidationError(messages) from None
    return loaded, _resolve_locations(organisation, loaded["locations"])


def _resolve_locations(organisation: Organisation, locations: list[dict]) -> list:
    """Each postcode as the organisation's branch there, else as the postcode's place."""
    branches = {
        (b.country, clean_postcode(b.postcode, b.country)): b for b in organisation.branches
    }
    resolved: list[ProgrammeLocation] = []
    seen: set[tuple[str, str]] = set()
    errors: dict[int, dict[str, list[str]]] = {}
    for index, location in enumerate(locations):
        country = location["country"]
        key = (country, clean_postcode(location["postcode"], country))
        if key in seen:
            continue
        seen.add(key)
        branch = branches.get(key)
        place = lookup(location["postcode"], country)
        if branch is None and place is None:
            errors[index] = {"postcode": [_("Unknown postcode.")]}
            continue
        resolved.append(
            ProgrammeLocation(
                branch_id=branch.id if branch else None,
                postcode=branch.postcode if branch else place.postcode,
                city=branch.city if branch else place.city,
                country=country,
                latitude=(
                    branch.latitude
                    if branch and branch.latitude is not None
                    else place.latitude
                    if place
                    else None
                ),
                longitude=(
                    branch.longitude
                    if branch and branch.longitude is not None
                    else place.longitude
                    if place
                    else None
                ),
            )
        )
    if errors:
        raise ValidationError({"locations": errors})
    return resolved


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _fill(programme: Programme, data: dict, locations: list[ProgrammeLocation]) -> None:
    programme.titles = data["title"]
    programme.summaries = data["summary"]
    programme.descriptions = data["description"]
    programme.themes = _unique(data["themes"])
    programme.audiences = _unique(data["audiences"])
    programme.formats = _unique(data["formats"])
    programme.languages = _unique(data["languages"])
    programme.age_min = data["age_min"]
    programme.age_max = data["age_max"]
    programme.duration_weeks = data["duration_weeks"]
    programme.hours_per_week = data["hours_per_week"]
    programme.online_region = data["online_region"]
    programme.cost = data["cost"]
    programme.capacity_status = CapacityStatus(data["capacity"]["status"])
    programme.places_available = data["capacity"]["places"]
    programme.apply_url = data["apply"]["url"]
    programme.apply_email = data["apply"]["email"]
    programme.apply_phone = data["apply"]["phone"]
    # Saving the record is the editor (or the member system) saying it is true today.
    programme.confirmed_on = data.get("confirmed_on") or date.today()
    # The same places again (a sync's usual case) keep their rows: no DELETE and INSERT.
    if [_place(loc) for loc in programme.locations] != [_place(loc) for loc in locations]:
        programme.locations = locations


_PLACE_FIELDS = ("branch_id", "postcode", "city", "country", "latitude", "longitude")


def _place(location: ProgrammeLocation) -> tuple:
    return tuple(getattr(location, name) for name in _PLACE_FIELDS)


def _changed(
    programme: Programme, action: str, actor: User | None, client_id: str | None, **details: Any
) -> None:
    """Record a change: the outbox row, the audit entry and the signal, in this transaction."""
    # Set explicitly: a change of locations alone updates no column of the programme row,
    # yet `modified_after` feeds and the index must see it.
    programme.updated_at = utcnow()
    if programme.id is None:  # a new programme: the outbox row needs its id
        db.session.flush()
    db.session.add(OutboxEntry(kind="programme", object_id=programme.id))
    audit.record(
        f"programme.{action}",
        actor=actor,
        organisation=programme.organisation_id,
        target=programme,
        client_id=client_id,
        **details,
    )
    programme_changed.send(programme, action=action, actor=actor)


def _check_transition(programme: Programme, target: str) -> None:
    """Raise unless `programme` may move to status `target`."""
    current = programme.status
    if target == current:
        return
    allowed = {
        ProgrammeStatus.published: current != ProgrammeStatus.published,
        ProgrammeStatus.unpublished: current == ProgrammeStatus.published,
        ProgrammeStatus.archived: True,
        ProgrammeStatus.draft: False,
    }
    if not allowed[ProgrammeStatus(target)]:
        messages = {
            ProgrammeStatus.unpublished: _("Only a published programme can be unpublished."),
            ProgrammeStatus.draft: _("A programme cannot go back to draft; unpublish it instead."),
        }
        raise ProgrammeStateError(messages[ProgrammeStatus(target)], current, target)


def _move_to(
    programme: Programme, target: str | None, actor: User | None, client_id: str | None
) -> None:
    if target is None or target == programme.status:
        return
    {
        ProgrammeStatus.published: publish_programme,
        ProgrammeStatus.unpublished: unpublish_programme,
        ProgrammeStatus.archived: archive_programme,
    }[ProgrammeStatus(target)](programme, actor, client_id=client_id)


def create_programme(
    organisation: Organisation,
    data: Any,
    actor: User | None = None,
    *,
    external_id: str | None = None,
    client_id: str | None = None,
) -> Programme:
    """Create a programme of `organisation` from a programme body (a draft unless it says).

    :raise ValidationError: the body is invalid; nothing was created.
    """
    loaded, locations = validate_programme(organisation, data)
    target = loaded.get("status")
    if target not in (
        None,
        ProgrammeStatus.draft,
        ProgrammeStatus.published,
        ProgrammeStatus.archived,
    ):
        raise ProgrammeStateError(
            _("A new programme is either a draft or published."), ProgrammeStatus.draft, target
        )
    programme = Programme(
        organisation=organisation,
        organisation_id=organisation.id,
        external_id=external_id,
        status=ProgrammeStatus.draft,
    )
    _fill(programme, loaded, locations)
    db.session.add(programme)
    _changed(programme, "create", actor, client_id)
    _move_to(programme, target, actor, client_id)
    return programme


def update_programme(
    programme: Programme, data: Any, actor: User | None = None, *, client_id: str | None = None
) -> Programme:
    """Replace a programme's content with a programme body; a `status` in it is applied too.

    :raise ValidationError: the body is invalid; nothing was changed.
    :raise ProgrammeStateError: the body asks for a status it cannot reach.
    """
    loaded, locations = validate_programme(programme.organisation, data)
    target = loaded.get("status")
    if target is not None:
        _check_transition(programme, target)
    before = _content(programme)
    _fill(programme, loaded, locations)
    if _content(programme) != before:
        _changed(programme, "update", actor, client_id)
    # else the same content again (a sync's usual case): nothing to index, audit or announce
    _move_to(programme, target, actor, client_id)
    return programme


def _content(programme: Programme) -> tuple:
    """What a programme body sets: every column but the bookkeeping, and the places."""
    columns = sa_inspect(Programme).column_attrs
    return (
        tuple(getattr(programme, c.key) for c in columns if c.key not in _BOOKKEEPING),
        [_place(location) for location in programme.locations],
    )


_BOOKKEEPING = frozenset({"updated_at", "created_at"})


def get_by_external_id(organisation: Organisation, external_id: str) -> Programme | None:
    """The organisation's programme with its own id `external_id`, if any."""
    return (
        db.session.execute(
            select(Programme)
            .options(joinedload(Programme.locations))  # an upsert replaces or compares them
            .where(
                Programme.organisation_id == organisation.id, Programme.external_id == external_id
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def upsert_programme(
    organisation: Organisation,
    external_id: str,
    data: Any,
    actor: User | None = None,
    *,
    client_id: str | None = None,
) -> tuple[Programme, bool]:
    """Create or replace the programme the organisation knows as `external_id`.

    :return: the programme and whether it was created.
    """
    programme = get_by_external_id(organisation, external_id)
    if programme is None:
        try:
            # A savepoint: a concurrent PUT of the same id must not undo the caller's work.
            with db.session.begin_nested():
                programme = create_programme(
                    organisation, data, actor, external_id=external_id, client_id=client_id
                )
            return programme, True
        except IntegrityError:
            programme = get_by_external_id(organisation, external_id)
            if programme is None:
                raise
    return update_programme(programme, data, actor, client_id=client_id), False


def publish_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Make the programme public (from draft, unpublished or archived)."""
    _check_transition(programme, ProgrammeStatus.published)
    if programme.status == ProgrammeStatus.published:
        return
    programme.status = ProgrammeStatus.published
    programme.published_at = utcnow()
    # Publishing again after moderation is the editors' answer to the coalition's reason.
    programme.unpublished_by_coalition = False
    programme.unpublished_reason = None
    _changed(programme, "publish", actor, client_id)


def unpublish_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Take a published programme out of the directory; it can be published again."""
    _check_transition(programme, ProgrammeStatus.unpublished)
    if programme.status == ProgrammeStatus.unpublished:
        return
    programme.status = ProgrammeStatus.unpublished
    _changed(programme, "unpublish", actor, client_id)


def archive_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Retire the programme for good (the API's DELETE); it leaves the directory."""
    if programme.status == ProgrammeStatus.archived:
        return
    programme.status = ProgrammeStatus.archived
    _changed(programme, "archive", actor, client_id)


def unpublish_by_coalition(programme: Programme, admin: User, reason: str) -> None:
    """The coalition admin takes a programme out of the directory, telling its editors why.

    :raise ValueError: no reason was given.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    if programme.status != ProgrammeStatus.archived:
        programme.status = ProgrammeStatus.unpublished
    programme.unpublished_by_coalition = True
    programme.unpublished_reason = reason
    _changed(programme, "moderate", admin, None, reason=reason)
    programme_unpublished_by_coalition.send(programme, reason=reason, admin=admin)


def confirm_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Record that an editor checked the programme is still true today."""
    programme.confirmed_on = date.today()
    _changed(programme, "confirm", actor, client_id)


def is_stale(programme: Programme, today: date | None = None) -> bool:
    """Whether a published programme has not been confirmed for `STALE_AFTER`."""
    today = today or date.today()
    return (
        programme.status == ProgrammeStatus.published
        and programme.confirmed_on <= today - STALE_AFTER
    )


def stale_programmes(organisation: Organisation, today: date | None = None) -> list[Programme]:
    """The organisation's published programmes not confirmed for `STALE_AFTER`."""
    cutoff = (today or date.today()) - STALE_AFTER
    return list(
        db.session.execute(
            select(Programme)
            .where(
                Programme.organisation_id == organisation.id,
                Programme.status == ProgrammeStatus.published,
                Programme.confirmed_on <= cutoff,
            )
            .order_by(Programme.confirmed_on, Programme.id)
        ).scalars()
    )


def programme_editors(organisation: Organisation) -> list[User]:
    """The active staff members who may edit the organisation's programmes."""
    return list(
        db.session.execute(
            select(User)
            .join(OrganisationRole)
            .where(
                OrganisationRole.organisation_id == organisation.id,
                OrganisationRole.role.in_(PERMISSIONS["edit_programmes"]),
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        ).scalars()
    )


def organisations_with_stale_programmes(today: date | None = None) -> list[Organisation]:
    """Organisations that have at least one stale programme."""
    cutoff = (today or date.today()) - STALE_AFTER
    return list(
        db.session.execute(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(Programme.organisation_id).where(
                        Programme.status == ProgrammeStatus.published,
                        Programme.confirmed_on <= cutoff,
                    )
                )
            )
            .order_by(Organisation.id)
        ).scalars()
    )


def stale_reminder(
    organisation: Organisation, programmes: list[Programme], name: str, link: str, language: str
) -> tuple[str, str]:
    """The subject and plain-text body of the reminder about stale programmes."""
    from flask_babel import force_locale, format_date

    with force_locale(language):
        lines = [
            _("Hello %(name)s,", name=name),
            "",
            _(
                "These programmes of %(organisation)s have not been confirmed for more than 90 "
                "days. Young people see them lower in the search results until someone confirms "
                "they are still up to date:",
                organisation=organisation.display_name(language),
            ),
            "",
            *(
                f"- {p.text('titles', language)} ("
                + _("last confirmed on %(date)s", date=format_date(p.confirmed_on, "medium"))
                + ")"
                for p in programmes
            ),
            "",
            _(
                "Open your programmes, check them and click “Confirm still up to date”, "
                "or update or unpublish them:"
            ),
            link,
            "",
            "-- ",
            _("Mentoring coalition"),
        ]
        return _("Please confirm your programmes are still up to date"), "\n".join(lines) + "\n"


def notify_stale_editors(today: date | None = None) -> int:
    """Mail the editors of every organisation with stale programmes; count the mails sent."""
    from flask import current_app

    from coalition.mail import send_mail

    config = current_app.config
    sent = 0
    for organisation in organisations_with_stale_programmes(today):
        programmes = stale_programmes(organisation, today)
        for editor in programme_editors(organisation):
            language = editor.language if editor.language in config["LANGUAGES"] else "fr"
            link = f"{config['PUBLIC_URL']}/{language}/staff/programmes/{organisation.id}/"
            subject, text = stale_reminder(organisation, programmes, editor.name, link, language)
            send_mail(editor.email, subject, text, language)
            sent += 1
    return sent

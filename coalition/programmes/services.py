"""Programmes: create and change them, move them between statuses; every change feeds the
search outbox.

Every function validates through `ProgrammeSchema` (the one boundary), flushes and never
commits: the caller commits once. Each change writes an outbox row in the same transaction,
records an audit entry and sends `programme_changed` — once per call, whatever the call
changed; nothing here calls the search engine. A `ValidationError` is raised before anything
is changed, so the caller can answer with its messages (see `coalition.errors.error_pointers`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from coalition import outbox
from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from coalition.programmes.locations import place_of, resolve_locations, resolve_mentor_places
from coalition.programmes.models import (
    CapacityStatus,
    Programme,
    ProgrammeLocation,
    ProgrammeStatus,
)
from coalition.programmes.schemas import LocationSchema, ProgrammeSchema
from coalition.signals import programme_changed

if TYPE_CHECKING:
    from coalition.members.models import Organisation

#: one instance for every call: building a schema costs more than loading a body with it
_PROGRAMME_SCHEMA = ProgrammeSchema()
#: the statuses a new programme may start in
_START_STATUSES = (ProgrammeStatus.draft, ProgrammeStatus.published, ProgrammeStatus.archived)


class ProgrammeStateError(Exception):
    """The requested status change is not possible from the programme's current status."""

    pointer = "/status"

    def __init__(self, message: str, current: ProgrammeStatus, target: str) -> None:
        super().__init__(message)
        self.message = message
        self.current = current
        self.target = target


# --- validation ----------------------------------------------------------------------------


def validate_programme(organisation: Organisation, data: Any) -> tuple[dict, list]:
    """Validate a programme body and resolve its locations (and its mentors' places, in
    the loaded body); change nothing.

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
                resolve_locations(organisation, places)
            except ValidationError as more:
                messages = {**messages, **more.messages}
        raise ValidationError(messages) from None
    errors: dict[str, Any] = {}
    needs = loaded.get("mentor_needs")
    if needs:
        try:
            needs["locations"] = resolve_mentor_places(organisation, needs["locations"])
        except ValidationError as error:
            errors.update(error.messages)
    try:
        locations = resolve_locations(organisation, loaded["locations"])
    except ValidationError as error:
        errors.update(error.messages)
    if errors:
        raise ValidationError(errors)
    return loaded, locations


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
    if "mentor_needs" in data:  # omitted: the mentor needs stay as they are
        programme.mentor_needs = _mentor_needs(data["mentor_needs"])
    # Saving the record is the editor (or the member system) saying it is true today.
    programme.confirmed_on = data.get("confirmed_on") or date.today()
    # The same places again (a sync's usual case) keep their rows: no DELETE and INSERT.
    if [place_of(loc) for loc in programme.locations] != [place_of(loc) for loc in locations]:
        programme.locations = locations


def _mentor_needs(needs: dict | None) -> dict | None:
    """The mentor needs as stored (None: the programme seeks none), codes without repeats."""
    if needs is None:
        return None
    return {
        **needs,
        "experience_fields": _unique(needs["experience_fields"]),
        "languages": _unique(needs["languages"]),
    }


def _content(programme: Programme) -> tuple:
    """What a programme body sets: every column but the bookkeeping, and the places."""
    columns = sa_inspect(Programme).column_attrs
    return (
        tuple(getattr(programme, c.key) for c in columns if c.key not in _BOOKKEEPING),
        [place_of(location) for location in programme.locations],
    )


_BOOKKEEPING = frozenset({"updated_at", "created_at"})


# --- recording a change --------------------------------------------------------------------


def record_change(
    programme: Programme, action: str, actor: User | None, client_id: str | None, **details: Any
) -> None:
    """Record a change: the outbox row, the audit entry and the signal, in this transaction."""
    # Set explicitly: a change of locations alone updates no column of the programme row,
    # yet `modified_after` feeds and the index must see it.
    programme.updated_at = utcnow()
    if programme.id is None:  # a new programme: the outbox row needs its id
        db.session.flush()
    outbox.queue(programme.id)
    record(
        f"programme.{action}",
        actor=actor,
        organisation=programme.organisation_id,
        target=programme,
        client_id=client_id,
        **details,
    )
    programme_changed.send(programme, action=action, actor=actor)


# --- statuses ------------------------------------------------------------------------------


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


def _enter(programme: Programme, target: ProgrammeStatus) -> None:
    """Put the programme in status `target` with what comes with it; record nothing."""
    programme.status = target
    if target == ProgrammeStatus.published:
        programme.published_at = utcnow()
        # Publishing again after moderation is the editors' answer to the coalition's reason.
        programme.unpublished_by_coalition = False
        programme.unpublished_reason = None


#: the verb each status is reached by, as the audit log and `programme_changed` name it
_VERBS = {
    ProgrammeStatus.published: "publish",
    ProgrammeStatus.unpublished: "unpublish",
    ProgrammeStatus.archived: "archive",
}


def _transition(
    programme: Programme, target: str | None, actor: User | None, client_id: str | None
) -> None:
    """Move the programme to status `target` (None: stay) and record it."""
    if target is None:
        return
    _check_transition(programme, target)
    if programme.status == target:
        return
    _enter(programme, ProgrammeStatus(target))
    record_change(programme, _VERBS[ProgrammeStatus(target)], actor, client_id)


def publish_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Make the programme public (from draft, unpublished or archived)."""
    _transition(programme, ProgrammeStatus.published, actor, client_id)


def unpublish_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Take a published programme out of the directory; it can be published again."""
    _transition(programme, ProgrammeStatus.unpublished, actor, client_id)


def archive_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Retire the programme for good (the API's DELETE); it leaves the directory."""
    _transition(programme, ProgrammeStatus.archived, actor, client_id)


def confirm_programme(
    programme: Programme, actor: User | None = None, *, client_id: str | None = None
) -> None:
    """Record that an editor checked the programme is still true today."""
    programme.confirmed_on = date.today()
    record_change(programme, "confirm", actor, client_id)


# --- creating and changing -----------------------------------------------------------------


def create_programme(
    organisation: Organisation,
    data: Any,
    actor: User | None = None,
    *,
    external_id: str | None = None,
    client_id: str | None = None,
) -> Programme:
    """Create a programme of `organisation` from a programme body (a draft unless it says).

    A body that asks for a status ("Save and publish") creates the programme in it: one
    change, recorded once.
    :raise ValidationError: the body is invalid; nothing was created.
    :raise ProgrammeStateError: the body asks for a status a new programme cannot have.
    """
    loaded, locations = validate_programme(organisation, data)
    target = ProgrammeStatus(loaded.get("status") or ProgrammeStatus.draft)
    if target not in _START_STATUSES:
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
    _enter(programme, target)
    db.session.add(programme)
    started = {} if target == ProgrammeStatus.draft else {"status": target.value}
    record_change(programme, "create", actor, client_id, **started)
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
        record_change(programme, "update", actor, client_id)
    # else the same content again (a sync's usual case): nothing to index, audit or announce
    _transition(programme, target, actor, client_id)
    return programme


#: a programme by its organisation and its own id, with its locations (an upsert replaces
#: or compares them); built once: a call only binds the two values
_BY_EXTERNAL_ID = (
    select(Programme)
    .options(joinedload(Programme.locations))
    .where(
        Programme.organisation_id == bindparam("organisation_id"),
        Programme.external_id == bindparam("external_id"),
    )
)


def get_by_external_id(organisation: Organisation, external_id: str) -> Programme | None:
    """The organisation's programme with its own id `external_id`, if any."""
    values = {"organisation_id": organisation.id, "external_id": external_id}
    return db.session.execute(_BY_EXTERNAL_ID, values).unique().scalar_one_or_none()


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


# --- reading -------------------------------------------------------------------------------


def organisation_programme(organisation: Organisation, programme_id: int) -> Programme | None:
    """The organisation's programme with this id; None if it is another's or none."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.organisation_id != organisation.id:
        return None
    return programme


def organisation_programmes(organisation: Organisation) -> list[Programme]:
    """The organisation's programmes for its editors: archived last, newest change first."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.organisation_id == organisation.id)
            .order_by(Programme.status == ProgrammeStatus.archived, Programme.updated_at.desc())
        )
    )

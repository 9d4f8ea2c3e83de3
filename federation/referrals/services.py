"""Referral services: send, move, list, expire, purge, erase, count. Verbs that flush and
log, never commit; the request (or the command, the job) commits once.

Logs and audit entries name referrals by id and status only: never their content, their
code or a pseudonym.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from coalition.accounts.models import User
from coalition.audit.services import audit_values, record, write_at_commit
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.paging import Page, paginate
from coalition.postcodes import distance_km, lookup
from coalition.programmes.models import Programme, ProgrammeLocation, ProgrammeStatus
from federation.events.services import record_events
from federation.referrals import privacy
from federation.referrals.creation import write_new_referral
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.states import (
    ENDED,
    Side,
    Status,
    check_move,
)

log = logging.getLogger(__name__)

BRUSSELS = "Brussels-Capital"
CONTENT = ("languages", "goals", "availability", "note", "sender_pseudonym", "receiver_pseudonym")


class ReferralRefused(Exception):
    """A referral the schema let through but the platform refuses: `status` is the HTTP
    answer (422 with a pointer, 409 for a repeated referral)."""

    def __init__(self, status: int, message: str, pointer: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.pointer = pointer


def area_of(place: Any) -> str:
    """The coarse area kept of a postcode: its province, or Brussels."""
    return "Brussels" if place.province == BRUSSELS else place.province


def _nearest_location(programme: Programme, place: Any) -> tuple[Any, int | None]:
    best, best_km = None, None
    for location in programme.locations:
        if location.latitude is None or location.longitude is None:
            continue
        km = distance_km(place.latitude, place.longitude, location.latitude, location.longitude)
        if best_km is None or km < best_km:
            best, best_km = location, km
    return best, None if best_km is None else round(best_km)


def find_programme(programme_uuid: Any) -> Programme | None:
    """A published programme of any member, by its public id."""
    return (
        db.session.execute(
            select(Programme)
            .where(Programme.uuid == programme_uuid, Programme.status == ProgrammeStatus.published)
            .options(joinedload(Programme.organisation), joinedload(Programme.locations))
        )
        .unique()
        .scalar_one_or_none()
    )


#: `find_programme`, reading only what a referral needs of the programme (ids, the
#: organisation's slug, where it meets: the texts, repeated in each row the locations join,
#: stay in the database), with whether the sender referred the same person (one of
#: `hashes`) to it `since`. Built once: a request only binds its values.
_TARGET_AND_REPEAT = (
    select(
        Programme,
        exists()
        .where(
            Referral.sender_id == bindparam("sender_id"),
            Referral.programme_id == Programme.id,
            Referral.sender_pseudonym.in_(bindparam("hashes", expanding=True)),
            Referral.created_at >= bindparam("since"),
        )
        .label("repeated"),
    )
    .where(
        Programme.uuid == bindparam("programme_uuid"),
        Programme.status == ProgrammeStatus.published,
    )
    .options(
        load_only(Programme.id, Programme.uuid, Programme.organisation_id, Programme.status),
        joinedload(Programme.organisation).load_only(Organisation.id, Organisation.slug),
        joinedload(Programme.locations).load_only(
            ProgrammeLocation.branch_id, ProgrammeLocation.latitude, ProgrammeLocation.longitude
        ),
    )
)


def _target_and_repeat(
    sender: Organisation, programme_uuid: Any, subject_ref: str
) -> tuple[Programme | None, bool]:
    """The programme referred to, and whether the sender referred the same person to it
    within `REFERRAL_DUPLICATE_DAYS`: one query."""
    since = utcnow() - timedelta(days=current_app.config["REFERRAL_DUPLICATE_DAYS"])
    hashes = [privacy.sender_pseudonym(sender.id, subject_ref, k) for k in privacy.known_key_ids()]
    values = {
        "programme_uuid": programme_uuid,
        "sender_id": sender.id,
        "hashes": hashes,
        "since": since,
    }
    row = db.session.execute(_TARGET_AND_REPEAT, values).unique().first()
    return (None, False) if row is None else (row[0], bool(row[1]))


def _move_values(
    to: Status,
    previous: Status | None,
    side: Side,
    actor: User | None,
    client_id: str | None,
    reason: str | None = None,
    outcome: str | None = None,
) -> dict[str, Any]:
    """A move from `previous` to `to`: every column of the transition but its ids."""
    return {
        "from_status": previous,
        "to_status": to,
        "reason": reason,
        "outcome": outcome,
        "side": side,
        "actor_user_id": actor.id if actor else None,
        "client_id": client_id,
        "at": utcnow(),
    }


def _record_move(
    referral: Referral,
    previous: Status | None,
    side: Side,
    actor: User | None,
    client_id: str | None,
) -> None:
    """Add the move from `previous` to the referral's status now (with its reason and
    outcome) to its timeline, written at the next flush."""
    values = _move_values(
        referral.status,
        previous,
        side,
        actor,
        client_id,
        reason=referral.reason,
        outcome=referral.outcome,
    )
    referral.transitions.append(ReferralTransition(**values))


def _event_data(programme: Programme, status: Status, **extra: Any) -> dict[str, Any]:
    """What a referral's event says besides the referral's id (ids and codes of the
    platform only)."""
    return {"programme_id": str(programme.uuid), "status": str(status), **extra}


def _emit(referral: Referral, type_: str, **extra: Any) -> None:
    """The event on both sides' feeds, written with the transaction's other work."""
    data = _event_data(referral.programme, referral.status, **extra)
    data = {"referral_id": str(referral.uuid), **data}
    record_events([referral.sender_id, referral.receiver_id], type_, data)


def send_referral(
    sender: Organisation,
    data: dict[str, Any],
    *,
    actor: User | None = None,
    client_id: str | None = None,
) -> Referral:
    """Store a referral (a loaded `ReferralSchema`) and tell both sides.

    :raise ReferralRefused: no such published programme, the sender's own programme, a
        consent for another recipient (422), the same person referred to the same
        programme within `REFERRAL_DUPLICATE_DAYS` (409).
    """
    programme, repeated = _target_and_repeat(sender, data["programme"], data["subject_ref"])
    if programme is None:
        raise ReferralRefused(422, _("No published programme has this id."), "/programme")
    if programme.organisation_id == sender.id:
        raise ReferralRefused(422, _("Refer to another organisation's programme."), "/programme")
    receiver = programme.organisation
    consent = data["consent"]
    if consent["recipient"] != receiver.slug:
        raise ReferralRefused(
            422,
            _("The consent must name the organisation that runs the programme."),
            "/consent/recipient",
        )
    if repeated:
        raise ReferralRefused(
            409, _("You already referred this person to this programme in the last 30 days.")
        )
    place = lookup(data["postcode"], data["country"])  # the schema checked it exists
    location, km = _nearest_location(programme, place)
    key_id = privacy.current_key_id()
    values = {
        "sender_id": sender.id,
        "receiver_id": receiver.id,
        "programme_id": programme.id,
        "branch_id": location.branch_id if location else None,
        "status": Status.requested,
        "age_band": data["age_band"],
        "country": data["country"],
        "area": area_of(place),
        "distance_km": km,
        "languages": data["languages"],
        "goals": data["goals"],
        "availability": data["availability"],
        "note": data["note"] or None,
        "sender_pseudonym": privacy.sender_pseudonym(sender.id, data["subject_ref"], key_id),
        "receiver_pseudonym": privacy.receiver_pseudonym(
            sender.id, receiver.id, data["subject_ref"], key_id
        ),
        "pseudonym_key_id": key_id,
        "consent_given_at": consent["given_at"],
        "consent_given_by": consent["given_by"],
        "consent_text_version": consent["text_version"],
    }
    first_move = _move_values(Status.requested, None, Side.sender, actor, client_id)
    # the referral, its first move and its events are written now (its audit entry at
    # commit with the call's own): nothing is left for the flush
    event = _event_data(programme, Status.requested)
    referral = write_new_referral(values, first_move, event)
    # the answer names the programme and both sides: it has them without a query
    for name, value in (("programme", programme), ("sender", sender), ("receiver", receiver)):
        set_committed_value(referral, name, value)
    write_at_commit(
        audit_values(
            "referral.send", actor=actor, organisation=sender, target=referral, client_id=client_id
        )
    )
    log.info("referral %s sent to organisation %s", referral.id, receiver.id)
    return referral


def locked(referral: Referral) -> Referral:
    """The referral again, its row locked until the transaction ends (PostgreSQL): two
    moves of one referral are made one after the other, and the second sees the first."""
    return db.session.execute(
        select(Referral)
        .where(Referral.id == referral.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def move_referral(
    referral: Referral,
    to: Status,
    side: Side,
    *,
    reason: str | None = None,
    outcome: str | None = None,
    actor: User | None = None,
    client_id: str | None = None,
) -> Referral:
    """Make one move of the lifecycle, record it and tell both sides.

    A sender's cancellation with reason `consent_withdrawn` purges the content at once.

    :raise TransitionRefused: illegal (409), the other side's (403), a reason or outcome
        that does not fit (422).
    """
    referral = locked(referral)
    check_move(referral.status, to, side, reason, outcome)
    previous = referral.status
    referral.status = to
    referral.reason = reason
    referral.outcome = outcome
    _record_move(referral, previous, side, actor, client_id)
    if to in ENDED:
        referral.ended_at = utcnow()
    if reason == "consent_withdrawn":
        _purge(referral)
    db.session.flush()
    _emit(referral, "referral.status_changed", previous_status=str(previous))
    organisation = referral.sender_id if side is Side.sender else referral.receiver_id
    record(
        "referral.move",
        actor=actor,
        organisation=None if side is Side.platform else organisation,
        target=referral,
        client_id=client_id,
        status=str(to),
    )
    log.info("referral %s moved from %s to %s by the %s", referral.id, previous, to, side)
    return referral


def visible_referral(organisation_id: int, referral_uuid: Any) -> Referral | None:
    """A referral the organisation sent or received (None for another's: answer 404)."""
    return db.session.scalar(
        select(Referral)
        .where(
            Referral.uuid == referral_uuid,
            (Referral.sender_id == organisation_id) | (Referral.receiver_id == organisation_id),
        )
        .options(selectinload(Referral.transitions))
    )


def list_referrals(
    organisation_id: int, box: str, page: int, per_page: int, status: Status | None = None
) -> Page[Referral]:
    """A page of the organisation's inbox (received) or outbox (sent), newest first."""
    column = Referral.receiver_id if box == "inbox" else Referral.sender_id
    query = select(Referral).where(column == organisation_id)
    if status is not None:
        query = query.where(Referral.status == status)
    query = query.options(
        selectinload(Referral.transitions),
        selectinload(Referral.programme),
        selectinload(Referral.sender),
        selectinload(Referral.receiver),
    )
    return paginate(query.order_by(Referral.created_at.desc(), Referral.id.desc()), page, per_page)


def _purge(referral: Referral) -> None:
    for name in CONTENT:
        setattr(referral, name, None)
    referral.pseudonym_key_id = None
    referral.purged_at = utcnow()

"""Mentor interests: receiving a volunteer's interest, following it up, deleting it.

The verbs flush and never commit: the caller commits once. A `ValidationError` or a
`TransitionRefused` is raised before anything is changed. Nothing here writes the
volunteer's contact data anywhere but their own row: not in a log line, not in the audit
log (which records deletions and exports by count), not in the history.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coalition.audit.services import record
from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.extensions import db
from coalition.mail import public_url, render_mail, send_mail
from coalition.mentors import figures
from coalition.mentors.models import InterestStatus, MentorInterest, MentorInterestChange
from coalition.mentors.privacy import CONSENT_VERSION, retention_cutoff, withdrawal_token
from coalition.mentors.schemas import InterestSchema
from coalition.mentors.states import check_move
from coalition.paging import Page, paginate
from coalition.postcodes import clean_postcode
from coalition.programmes.models import Programme

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.members.models import Organisation

log = logging.getLogger(__name__)
_SCHEMA = InterestSchema()
#: interests per page of the inbox
PER_PAGE = 25


# --- the volunteer's side ------------------------------------------------------------------


def programme_seeking_mentors(programme_uuid: Any) -> Programme | None:
    """The public programme with this uuid if it seeks mentors now (its organisation a
    current member); else None."""
    programme = db.session.scalar(select(Programme).where(Programme.uuid == programme_uuid))
    if programme is None or not programme.seeks_mentors:
        return None
    return programme if programme.organisation.is_admitted else None


def _only_branch(programme: Programme) -> int | None:
    """The branch that follows up the programme's mentors when there is exactly one."""
    places = (programme.mentor_needs or {}).get("locations") or [
        {"postcode": loc.postcode, "country": loc.country} for loc in programme.locations
    ]
    wanted = {(p["country"], clean_postcode(p["postcode"], p["country"])) for p in places}
    branches = [
        b
        for b in programme.organisation.branches
        if (b.country, clean_postcode(b.postcode, b.country)) in wanted
    ]
    return branches[0].id if len(branches) == 1 else None


def _change(
    interest: MentorInterest, change: str, before: str | None, after: str | None, actor, at
) -> None:
    interest.changes.append(
        MentorInterestChange(
            change=change,
            before=before,
            after=after,
            at=at,
            actor_user_id=actor.id if actor is not None else None,
        )
    )


def express_interest(programme: Programme, data: Any, language: str) -> MentorInterest:
    """Store a volunteer's interest in `programme` and mail them the acknowledgement (with
    the link that deletes it) in `language`.

    :raise ValidationError: the form is incomplete or wrong; nothing was stored.
    """
    loaded = _SCHEMA.load(data)
    now = utcnow()
    interest = MentorInterest(
        programme=programme,
        programme_id=programme.id,
        branch_id=_only_branch(programme),
        status=InterestStatus.new,
        first_name=loaded["first_name"],
        email=loaded["email"],
        phone=loaded["phone"],
        age_band=loaded["age_band"],
        experience_fields=list(dict.fromkeys(loaded["experience_fields"])),
        languages=list(dict.fromkeys(loaded["languages"])),
        availability=list(dict.fromkeys(loaded["availability"])),
        message=loaded["message"],
        consented_at=now,
        consent_version=CONSENT_VERSION,
    )
    db.session.add(interest)
    db.session.flush()
    figures.count_reached(interest, InterestStatus.new, now)
    _change(interest, "status", None, InterestStatus.new, None, now)
    _acknowledge(interest, language)
    log.info("mentor interest %s received for programme %s", interest.id, programme.id)
    return interest


def _acknowledge(interest: MentorInterest, language: str) -> None:
    programme = interest.programme
    link = public_url("mentors.withdraw", lang_code=language, token=withdrawal_token(interest.uuid))
    title = programme.text("titles", language)
    with force_locale(language):
        subject = _("Your interest in being a mentor: %(programme)s", programme=title)
    body = render_mail(
        "mentor_interest_received",
        language,
        name=interest.first_name,
        programme=title,
        organisation=programme.organisation.display_name(language),
        months=current_app.config["MENTOR_INTEREST_RETENTION_MONTHS"],
        link=link,
    )
    send_mail(interest.email, subject, body, language, log_as="a mentor volunteer")


def interest_by_uuid(interest_uuid: Any) -> MentorInterest | None:
    """The interest a withdrawal link names, if it still exists."""
    return db.session.scalar(select(MentorInterest).where(MentorInterest.uuid == interest_uuid))


def withdraw_interest(interest: MentorInterest) -> None:
    """Delete the interest at the volunteer's request, at once (its counts stay)."""
    _delete([interest], "request", None)


# --- the organisation's side ---------------------------------------------------------------


def _of(organisation: Organisation):
    return (
        select(MentorInterest)
        .join(Programme, Programme.id == MentorInterest.programme_id)
        .where(Programme.organisation_id == organisation.id)
    )


def inbox(organisation: Organisation, status: str | None, page: int) -> Page[MentorInterest]:
    """The organisation's interests, newest first, in one status or all."""
    query = _of(organisation).options(selectinload(MentorInterest.programme))
    if status:
        query = query.where(MentorInterest.status == status)
    return paginate(query.order_by(MentorInterest.id.desc()), page, PER_PAGE)


def status_counts(organisation: Organisation) -> dict[str, int]:
    """How many of the organisation's interests are in each status."""
    query = (
        select(MentorInterest.status, func.count())
        .join(Programme, Programme.id == MentorInterest.programme_id)
        .where(Programme.organisation_id == organisation.id)
        .group_by(MentorInterest.status)
    )
    return {str(status): n for status, n in db.session.execute(query)}


def organisation_interest(organisation: Organisation, interest_id: int) -> MentorInterest | None:
    """The organisation's interest with this id; None if it is another's or none."""
    return db.session.scalar(_of(organisation).where(MentorInterest.id == interest_id))


def all_interests(organisation: Organisation) -> list[MentorInterest]:
    """Every interest of the organisation, oldest first (the export)."""
    query = _of(organisation).options(
        selectinload(MentorInterest.programme), selectinload(MentorInterest.branch)
    )
    return list(db.session.scalars(query.order_by(MentorInterest.id)))


def move_interest(interest: MentorInterest, target: str, actor: User | None) -> None:
    """Move the interest to status `target`, recorded in its history and counted.

    :raise TransitionRefused: the status machine does not allow it (nothing changed).
    """
    status = check_move(interest.status, target)
    now = utcnow()
    figures.count_reached(interest, status, now)
    _change(interest, "status", interest.status, status, actor, now)
    interest.status = status
    db.session.flush()


def assign_branch(interest: MentorInterest, branch: Branch | None, actor: User | None) -> None:
    """Have `branch` (one of the programme's organisation's, or None) follow the interest up;
    its counts move there.

    :raise ValueError: the branch is another organisation's.
    """
    if branch is not None and branch.organisation_id != interest.programme.organisation_id:
        raise ValueError("branch of another organisation")
    if (branch.id if branch else None) == interest.branch_id:
        return
    old_id = interest.branch_id
    old_name = interest.branch.name if interest.branch else None
    interest.branch_id, interest.branch = (branch.id, branch) if branch else (None, None)
    figures.move_counts(interest, old_id)
    _change(interest, "branch", old_name, branch.name if branch else None, actor, utcnow())
    db.session.flush()


def delete_interest(interest: MentorInterest, actor: User) -> None:
    """Delete the interest now, as a staff member asked on the volunteer's behalf."""
    _delete([interest], "staff", actor)


def record_export(organisation: Organisation, actor: User, count: int) -> None:
    """Keep in the audit log that a staff member exported the interests (a count)."""
    record("mentor_interest.export", actor=actor, organisation=organisation, count=count)


# --- keeping --------------------------------------------------------------------------------


def _delete(interests: list[MentorInterest], reason: str, actor: User | None) -> None:
    """Delete interests with their history; the audit log keeps how many, per organisation."""
    per_organisation: dict[int, int] = {}
    for interest in interests:
        org_id = interest.programme.organisation_id
        per_organisation[org_id] = per_organisation.get(org_id, 0) + 1
        db.session.delete(interest)  # its history with it (cascade)
    db.session.flush()
    for org_id, count in per_organisation.items():
        record(
            "mentor_interest.delete", actor=actor, organisation=org_id, reason=reason, count=count
        )
    log.info("deleted %d mentor interest(s) (%s)", len(interests), reason)


def purge_expired(now: datetime | None = None) -> int:
    """Delete the interests whose last change is older than the retention; count them."""
    expired = list(
        db.session.scalars(
            select(MentorInterest)
            .options(selectinload(MentorInterest.programme))
            .where(MentorInterest.updated_at < retention_cutoff(now))
        )
    )
    if expired:
        _delete(expired, "retention", None)
    return len(expired)

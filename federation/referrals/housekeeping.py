"""What the platform does to referrals over time, and on a sender's request: cancel the
requests left unanswered, empty ended referrals of their content, erase one young
person's referrals. Verbs that flush and log, never commit (the job or the request does)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.referrals import privacy
from federation.referrals.models import Referral, ReferralTransition
from federation.referrals.services import CONTENT, move_referral
from federation.referrals.states import EXPIRED, Side, Status

log = logging.getLogger(__name__)


def expire_requests(now: datetime | None = None) -> int:
    """Cancel, with reason `expired`, every request unanswered for `REFERRAL_EXPIRY_DAYS`."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["REFERRAL_EXPIRY_DAYS"])
    stale = db.session.scalars(
        select(Referral).where(Referral.status == Status.requested, Referral.created_at <= cutoff)
    ).all()
    for referral in stale:
        move_referral(referral, Status.cancelled, Side.platform, reason=EXPIRED)
    return len(stale)


def purge_ended(now: datetime | None = None) -> int:
    """Empty the content of referrals ended `REFERRAL_RETENTION_DAYS` ago (counts remain)."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["REFERRAL_RETENTION_DAYS"])
    result = db.session.execute(
        update(Referral)
        .where(Referral.ended_at <= cutoff, Referral.purged_at.is_(None))
        .values(**dict.fromkeys(CONTENT), pseudonym_key_id=None, purged_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record("referral.purge", count=result.rowcount)
        log.info("referrals: purged the content of %s ended referrals", result.rowcount)
    return result.rowcount


def erase_subject(sender: Organisation, subject_ref: str, *, client_id: str | None = None) -> int:
    """Delete every referral the sender made about the person it calls `subject_ref`, on
    both sides, with their history; count them."""
    hashes = [privacy.sender_pseudonym(sender.id, subject_ref, k) for k in privacy.known_key_ids()]
    ids = db.session.scalars(
        select(Referral.id).where(
            Referral.sender_id == sender.id, Referral.sender_pseudonym.in_(hashes)
        )
    ).all()
    if ids:
        db.session.execute(
            delete(ReferralTransition).where(ReferralTransition.referral_id.in_(ids))
        )
        db.session.execute(
            delete(Referral)
            .where(Referral.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    record("referral.erase_subject", organisation=sender, client_id=client_id, count=len(ids))
    log.info(
        "referrals: erased %s referrals of one subject for organisation %s", len(ids), sender.id
    )
    return len(ids)

"""Background jobs of referrals: the platform's expiry of unanswered requests and the
purge of ended referrals' content (registered with the core's worker)."""

from __future__ import annotations

from coalition.extensions import db
from federation.referrals.services import expire_requests, purge_ended


def expire_job() -> int:
    """Cancel the requests unanswered for REFERRAL_EXPIRY_DAYS (reason `expired`)."""
    count = expire_requests()
    db.session.commit()
    return count


def purge_job() -> int:
    """Purge the content of referrals ended longer ago than REFERRAL_RETENTION_DAYS."""
    count = purge_ended()
    db.session.commit()
    return count

"""Background jobs of referrals: the platform's expiry of unanswered requests and the
purge of ended referrals' content (registered with the core's worker)."""

from __future__ import annotations

from coalition.extensions import db
from federation.referrals.services import expire_requests, purge_ended


def expire_job() -> int:
    """Cancel the requests left unanswered too long (reason `expired`); count them."""
    count = expire_requests()
    db.session.commit()
    return count


def purge_job() -> int:
    """Empty the content of referrals ended longer ago than the retention time; count them."""
    count = purge_ended()
    db.session.commit()
    return count

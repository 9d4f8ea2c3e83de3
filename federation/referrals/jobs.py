"""Background jobs of referrals: the platform's expiry of unanswered requests and the
purge of ended referrals' content (registered with the core's worker)."""

from __future__ import annotations

from coalition.worker import committing
from federation.referrals.housekeeping import expire_requests, purge_ended

expire_job = committing(
    expire_requests, "Cancel the requests unanswered for REFERRAL_EXPIRY_DAYS (reason `expired`)."
)
purge_job = committing(
    purge_ended, "Purge the content of referrals ended longer ago than REFERRAL_RETENTION_DAYS."
)

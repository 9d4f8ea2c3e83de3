"""`flask referrals …`: the housekeeping the worker also does, run by hand or by cron."""

from __future__ import annotations

from flask.cli import AppGroup

from coalition.worker import job_command
from federation.referrals.jobs import expire_job, purge_job

referrals_cli = AppGroup("referrals", help="Anonymised referrals between members.")
job_command(referrals_cli, "purge", purge_job, "purged the content of {} referral(s)")
job_command(referrals_cli, "expire", expire_job, "cancelled {} unanswered referral request(s)")

"""`flask referrals …`: the housekeeping the worker also does, run by hand or by cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from federation.referrals.jobs import expire_job, purge_job

referrals_cli = AppGroup("referrals", help="Anonymised referrals between members.")


@referrals_cli.command("purge")
def purge() -> None:
    """Purge the content of referrals ended longer ago than REFERRAL_RETENTION_DAYS."""
    click.echo(f"purged the content of {purge_job()} referral(s)")


@referrals_cli.command("expire")
def expire() -> None:
    """Cancel the requests unanswered for REFERRAL_EXPIRY_DAYS (reason `expired`)."""
    click.echo(f"cancelled {expire_job()} unanswered referral request(s)")

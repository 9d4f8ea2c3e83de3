"""`flask mentors …`: what the worker does hourly, on demand (cron, tests, operators)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coalition.mentors.jobs import purge_job, reminder_job

mentors_cli = AppGroup("mentors", help="Mentor volunteers' interests.")


@mentors_cli.command("purge")
def purge() -> None:
    """Delete the interests whose last change is older than the retention."""
    click.echo(f"deleted {purge_job()} mentor interest(s)")


@mentors_cli.command("remind")
def remind() -> None:
    """Remind the editors of interests left new too long (once per interest)."""
    click.echo(f"reminded the editors of {reminder_job()} mentor interest(s)")

"""`flask mentors …`: what the worker does hourly, on demand (cron, tests, operators)."""

from __future__ import annotations

from flask.cli import AppGroup

from coalition.mentors.jobs import purge_job, reminder_job
from coalition.worker import job_command

mentors_cli = AppGroup("mentors", help="Mentor volunteers' interests.")
job_command(mentors_cli, "purge", purge_job, "deleted {} mentor interest(s)")
job_command(mentors_cli, "remind", reminder_job, "reminded the editors of {} mentor interest(s)")

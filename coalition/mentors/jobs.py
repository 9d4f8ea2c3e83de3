"""Background jobs of mentor interests, run by the core's worker (`flask worker`)."""

from __future__ import annotations

from coalition.mentors.reminders import remind_editors
from coalition.mentors.services import purge_expired
from coalition.worker import committing

purge_job = committing(
    purge_expired, "Delete the interests whose last change is older than the retention."
)
reminder_job = committing(
    remind_editors, "Remind the editors of interests left new too long (once per interest)."
)

"""Background jobs of mentor interests, run by the core's worker (`flask worker`)."""

from __future__ import annotations

from coalition.extensions import db
from coalition.mentors.reminders import remind_editors
from coalition.mentors.services import purge_expired


def purge_job() -> int:
    """Delete the interests whose last change is older than the retention."""
    deleted = purge_expired()
    db.session.commit()
    return deleted


def reminder_job() -> int:
    """Remind the editors of interests left new too long (once per interest)."""
    reminded = remind_editors()
    db.session.commit()
    return reminded

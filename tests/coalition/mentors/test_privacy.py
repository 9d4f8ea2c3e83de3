"""A volunteer's contact data appear on their own row and on the receiving staff's pages,
nowhere else: not in a log line, not in the audit log, not in the history or the counts,
not in the search outbox."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from coalition.audit.models import AuditLogEntry
from coalition.mentors.models import MentorInterest, MentorInterestChange, MentorInterestCount
from coalition.outbox import OutboxEntry
from tests.coalition._mentors import INTEREST
from tests.coalition.mentors.test_deletion import withdraw_link

PERSONAL = (INTEREST["email"], INTEREST["phone"], INTEREST["first_name"], "dupont")


def test_a_whole_journey_leaves_no_contact_data_in_logs_or_tables(
    caplog, client, db, login, editor, mentor_org, send, mailbox
):
    caplog.set_level(logging.DEBUG)
    assert send("en").status_code == 302
    interest = db.session.scalar(select(MentorInterest))
    login(editor)
    base = f"/en/staff/{mentor_org.id}/mentors"
    client.get(base)
    client.get(f"{base}/{interest.id}")
    for status in ("contacted", "in_training", "active"):
        client.post(f"{base}/{interest.id}/status", data={"move-status": status})
    client.post(f"{base}/{interest.id}/status", data={"move-status": "new"})  # refused
    client.post(f"{base}/export")
    # The volunteer withdraws through the link of their mail.
    assert client.post(withdraw_link(mailbox.new()[0])).status_code == 200

    logged = "\n".join(
        record.getMessage() + json.dumps(getattr(record, "__dict__", {}), default=str)
        for record in caplog.records
    )
    assert "mentor interest" in logged  # the journey was logged…
    for value in PERSONAL:  # …without the person
        assert value.lower() not in logged.lower(), f"{value} in the logs"
    assert "a mentor volunteer" in logged  # the mail's log line names no address

    for model in (AuditLogEntry, MentorInterestChange, MentorInterestCount, OutboxEntry):
        for row in db.session.scalars(select(model)):
            text = json.dumps({c.key: str(getattr(row, c.key)) for c in model.__table__.columns})
            for value in PERSONAL:
                assert value.lower() not in text.lower(), f"{value} in {model.__tablename__}"
    actions = {entry.action for entry in db.session.scalars(select(AuditLogEntry))}
    assert {"mentor_interest.export", "mentor_interest.delete"} <= actions

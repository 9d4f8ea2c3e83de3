"""A refused API call leaves nothing behind, whether its work was flushed or still pending."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.audit import services as audit
from coalition.audit.models import AuditLogEntry
from federation.api import unit_of_work


def _entries(db, action):
    return db.session.scalar(
        select(func.count()).select_from(AuditLogEntry).where(AuditLogEntry.action == action)
    )


@pytest.mark.parametrize("flushed", [False, True], ids=["pending", "flushed"])
def test_refused_work_is_discarded_and_earlier_work_kept(app, db, make_org, flushed):
    org = make_org()
    audit.record("before.request", organisation=org)
    db.session.commit()  # what earlier requests committed
    unit_of_work.start()
    audit.record("refused.call", organisation=org)
    if flushed:
        db.session.flush()
    unit_of_work.discard_failed_work()
    db.session.commit()
    assert _entries(db, "refused.call") == 0
    assert _entries(db, "before.request") == 1

"""Every call is audited, and a read never fails because of its audit entry (issue 9, 1).

A member system changes a programme and reads its list, forty times, while the worker
thread indexes each change: on SQLite the indexer holds the write lock while a GET, which
began by reading, comes to write its audit entry. Real commits on a database of its own
(SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import close_all_sessions

from coalition import worker
from coalition.app import create_app
from coalition.audit.models import AuditLogEntry
from coalition.extensions import db
from tests.conftest import config_for_tests
from tests.federation.api_helpers import API, programme_body
from tests.federation.conftest import migrate_with_busy_member

CALLS = 40


def test_reads_beside_the_indexer_never_fail_and_each_call_is_audited(own_database, tmp_path):
    app = create_app(config_for_tests(own_database, str(tmp_path)))
    member = migrate_with_busy_member(app)
    http = app.test_client()
    with app.test_request_context():
        form = member.token_form()
    token = http.post("/oauth/token", data=form).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    stop = threading.Event()
    jobs = threading.Thread(target=worker.run_forever, args=(app, stop, 0.01))
    jobs.start()
    failures = []
    try:
        for call in range(CALLS):
            body = programme_body(age_max=20 + call % 10)
            put = http.put(f"{API}/programmes/crm-1", json=body, headers=headers)
            read = http.get(f"{API}/programmes?per_page=1", headers=headers)
            failures += [r.status_code for r in (put, read) if r.status_code not in (200, 201)]
    finally:
        stop.set()
        worker.wake()
        jobs.join()

    assert failures == []
    with app.app_context():
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(
                AuditLogEntry.action == "api.call",
                AuditLogEntry.actor_client_id == member.client_id,
            )
        )
        close_all_sessions()  # the worker thread's too: its connections go back to the pool
        db.engine.dispose()
    assert audited == 2 * CALLS

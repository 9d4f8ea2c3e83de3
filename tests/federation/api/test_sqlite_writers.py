"""Embedded mode: member systems and the worker write to one SQLite file at the same time.

A transaction that begins by reading and then writes is refused at once by SQLite when
another connection wrote meanwhile ("database is locked"). Writers must queue instead.
"""

from __future__ import annotations

import threading

from coalition import worker
from coalition.app import create_app
from coalition.extensions import db
from coalition.outbox import OutboxEntry
from tests.conftest import config_for_tests
from tests.federation.api_helpers import programme_body
from tests.federation.conftest import migrate_with_busy_member

THREADS = 6
CALLS = 8


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    app = create_app(config_for_tests(f"sqlite:///{tmp_path / 'busy.db'}", str(tmp_path)))
    member = migrate_with_busy_member(app)
    statuses: list[int] = []
    stop = threading.Event()

    def member_system(n: int) -> None:
        http = app.test_client()
        for call in range(CALLS):
            with app.test_request_context():
                form = member.token_form()
            answer = http.post("/oauth/token", data=form)
            statuses.append(answer.status_code)
            if answer.status_code != 200:
                continue
            headers = {"Authorization": "Bearer " + answer.json["access_token"]}
            put = http.put(
                f"/federation/v1/programmes/t{n}-{call % 3}", json=programme_body(), headers=headers
            )
            statuses.append(put.status_code)

    def background_jobs() -> None:
        while not stop.is_set():
            worker.run_due_jobs(app, force=True)

    jobs = threading.Thread(target=background_jobs)
    systems = [threading.Thread(target=member_system, args=(n,)) for n in range(THREADS)]
    jobs.start()
    for thread in systems:
        thread.start()
    for thread in systems:
        thread.join()
    stop.set()
    jobs.join()

    assert len(statuses) == THREADS * CALLS * 2
    assert set(statuses) <= {200, 201}, sorted(set(statuses))
    worker.run_due_jobs(app, force=True)
    with app.app_context():
        assert db.session.query(OutboxEntry).count() == 0  # the worker kept up

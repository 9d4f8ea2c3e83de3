"""Two indexers never write an older state of a programme over a newer one: on PostgreSQL
(several `flask worker`s) the second to take a programme's rows waits for the first, then
reads the programme as the first left it (`make soak` once lost a PUT in the index so)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, text, update

from coalition.database import utcnow
from coalition.extensions import db as _db
from coalition.members.models import Organisation
from coalition.programmes.models import Programme, ProgrammeStatus
from tests.contract.test_search_contract import _publish


def test_an_indexer_waits_for_another_indexing_the_same_programme(
    app, database_url, make_app, backend_config
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer: its indexers are serialised by the write lock")
    from search.jobs import INDEX_LOCK, drain

    app = make_app(**backend_config())  # the `app` fixture built the schema
    with app.app_context():
        stamp = utcnow().strftime("%H%M%S%f")
        org = Organisation(
            name=f"Order {stamp}", slug=f"order-{stamp}", languages=["fr"], admitted_at=utcnow()
        )
        programme = Programme(
            organisation=org,
            titles={"fr": "Premier état"},
            themes=["employment"],
            languages=["fr"],
            status=ProgrammeStatus.draft,
        )
        _db.session.add_all([org, programme])
        _db.session.flush()
        _publish(_db, programme)
        programme_id, org_id = programme.id, org.id
    done = threading.Event()

    def drain_in_another_worker() -> None:
        with app.app_context():
            drain(ignore_backoff=True)
        done.set()

    try:
        with app.app_context(), _db.engine.connect() as other:
            # another indexer holds this programme's rows and is writing to the engine
            other.execute(
                text("SELECT pg_advisory_xact_lock(:k, :id)"), {"k": INDEX_LOCK, "id": programme_id}
            )
            worker = threading.Thread(target=drain_in_another_worker)
            worker.start()
            time.sleep(1.0)
            assert not done.is_set(), "the second indexer did not wait for the first"
            other.execute(
                update(Programme)
                .where(Programme.id == programme_id)
                .values(titles={"fr": "Second état"})
            )
            other.commit()  # the first indexer is done: its lock and its change are released
            worker.join(10)
        assert done.is_set()
        with app.app_context():
            from search.services import get_backend

            assert get_backend().count() == 1  # indexed once the first had finished
    finally:
        with app.app_context():
            # the database is shared by the session's other tests: leave nothing behind
            for table in reversed(_db.metadata.sorted_tables):
                if "programme_id" in table.c:
                    _db.session.execute(delete(table).where(table.c.programme_id == programme_id))
                if "organisation_id" in table.c and table.name != "programmes":
                    _db.session.execute(delete(table).where(table.c.organisation_id == org_id))
            _db.session.execute(delete(Programme).where(Programme.id == programme_id))
            _db.session.execute(delete(Organisation).where(Organisation.id == org_id))
            _db.session.commit()
            _db.session.remove()
            _db.engine.dispose()  # this app's own pool: no connection left open

"""An engine that does not answer holds changes back only briefly: once it is back, they
are indexed within seconds, however long it was away (`make soak` stops it under load)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coalition.database import utcnow
from coalition.outbox import OutboxEntry
from tests.contract.test_search_contract import _publish, _publishable


def test_rows_held_back_by_an_absent_engine_are_retried_within_seconds(
    db, make_org, make_app, backend_config
):
    from search.jobs import UNAVAILABLE_RETRY, drain

    down, up = make_app(**backend_config(down=True)), make_app(**backend_config())
    with down.app_context():
        _publish(db, _publishable(db, make_org))
        # The engine has been away a long time: the row failed many times already.
        for _ in range(8):
            before = utcnow()
            assert drain(ignore_backoff=True) == 0
            entry = db.session.execute(select(OutboxEntry)).scalar_one()
            # Not 5 s × 2^7 (more than 10 minutes): the row is tried again shortly.
            assert entry.available_at <= before + UNAVAILABLE_RETRY + timedelta(seconds=1)
        assert entry.attempts == 8 and entry.last_error
        entry.available_at = utcnow()  # the retry's time has come
        db.session.commit()
    with up.app_context():
        assert drain() == 1  # the engine is back: indexed at its first try
        assert db.session.execute(select(OutboxEntry)).first() is None


def test_a_row_the_engine_refuses_still_backs_off_exponentially():
    from search.jobs import MAX_BACKOFF, UNAVAILABLE_RETRY, backoff

    assert backoff(1) == UNAVAILABLE_RETRY
    assert backoff(4) == timedelta(seconds=40)
    assert backoff(20) == MAX_BACKOFF


def test_once_the_engine_acknowledges_again_the_rows_it_held_back_are_due_at_once(
    db, make_org, make_app, backend_config
):
    from search.jobs import drain

    down, up = make_app(**backend_config(down=True)), make_app(**backend_config())
    with down.app_context():
        _publish(db, _publishable(db, make_org))
        assert drain() == 0  # held back for UNAVAILABLE_RETRY
        [held] = db.session.execute(select(OutboxEntry)).scalars().all()
        assert held.available_at > utcnow()
    with up.app_context():
        assert drain() == 0  # nothing is due: nothing tells that the engine is back
        _publish(db, _publishable(db, make_org, pid_spec=7))
        assert drain() == 1  # the new change is acknowledged: the engine is back …
        assert drain() == 1  # … so the held row is due now, not when its retry comes
        assert db.session.execute(select(OutboxEntry)).first() is None

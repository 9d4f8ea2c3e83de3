"""Searches that found nothing: counted per day and language, shown to the coalition office."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from coalition.database import utcnow
from search.models import ZeroResultCount
from search.pending import PendingCounts
from search.zero_results import normalise_query, record_zero_result


def counts(db) -> dict[tuple[str, str], int]:
    rows = db.session.execute(select(ZeroResultCount)).scalars()
    return {(row.lang, row.query): row.count for row in rows}


def test_the_page_and_the_api_count_empty_searches(
    client, db, directory, search_backend, index_programmes
):
    index_programmes(directory["programmes"]["jobs"])
    client.get("/nl/programmes?q=Fietsherstelling")
    client.get("/nl/programmes?q=fietsherstelling  ")
    client.get("/api/v1/programmes?q=fietsherstelling&lang=nl")
    client.get("/fr/programmes?q=r%C3%A9paration%20v%C3%A9lo")
    client.get("/fr/programmes?q=emploi")  # found: not counted
    client.get("/fr/programmes")  # no text: not counted
    assert counts(db) == {("nl", "fietsherstelling"): 3, ("fr", "réparation vélo"): 1}
    row = db.session.execute(select(ZeroResultCount)).scalars().first()
    assert row.day == utcnow().date()


def test_only_the_normalised_capped_text_is_kept(db):
    assert normalise_query("  Werk\x00 ZOEKEN\u200b\n") == "werk zoeken"
    record_zero_result("x" * 10_000, "fr")
    db.session.flush()
    ((lang, query),) = counts(db)
    assert lang == "fr" and len(query) == 100
    assert set(c.name for c in ZeroResultCount.__table__.columns) == {
        "id",
        "day",
        "lang",
        "query",
        "count",
    }  # no IP, no session, no user


def test_the_coalition_admin_sees_them(client, db, make_user, make_org, login):
    record_zero_result("fietsherstelling", "nl")
    record_zero_result("fietsherstelling", "nl")
    record_zero_result("cours de cuisine", "fr")
    old = ZeroResultCount(
        day=utcnow().date() - timedelta(days=60), lang="en", query="ancient", count=9
    )
    db.session.add(old)
    db.session.flush()
    login(make_user(coalition_admin=True))
    response = client.get("/en/admin/search/zero-results")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(
        r'<td[^>]* lang="nl">fietsherstelling</td><td[^>]*>NL</td><td[^>]*>2</td>', html
    )
    assert "cours de cuisine" in html
    assert "ancient" not in html  # older than the default 30 days
    assert "ancient" in client.get("/en/admin/search/zero-results?days=90").get_data(as_text=True)
    only_fr = client.get("/en/admin/search/zero-results?lang=fr").get_data(as_text=True)
    assert "cours de cuisine" in only_fr and "fietsherstelling" not in only_fr
    assert client.get("/en/admin/search/zero-results?days=abc&lang=xx").status_code == 200


def test_others_do_not_see_the_page(client, make_user, make_org, login):
    assert client.get("/en/admin/search/zero-results").status_code == 302  # to the login
    org = make_org()
    login(make_user(org, roles=("org_admin",)))
    assert client.get("/en/admin/search/zero-results").status_code == 404


def test_random_texts_cannot_fill_the_table(db, monkeypatch):
    monkeypatch.setattr("search.zero_results.MAX_QUERIES_PER_DAY", 3)
    for n in range(10):
        record_zero_result(f"random {n}", "en")
    record_zero_result("random 1", "en")  # a text already counted still counts
    assert counts(db) == {("en", "random 0"): 1, ("en", "random 1"): 2, ("en", "random 2"): 1}


def test_a_count_that_cannot_be_written_never_fails_the_search(
    client, db, directory, search_backend, index_programmes, monkeypatch
):
    index_programmes(directory["programmes"]["jobs"])

    def busy(*args):
        raise OperationalError("UPDATE search_zero_results", {}, Exception("database is locked"))

    monkeypatch.setattr("search.zero_results.record_zero_result", busy)
    page = client.get("/nl/programmes?q=fietsherstelling")
    api = client.get("/api/v1/programmes?q=fietsherstelling&lang=nl")
    assert page.status_code == 200 and api.status_code == 200
    assert api.json["total"] == 0
    assert counts(db) == {}


def test_a_process_writes_its_counts_together_when_they_are_due(
    app, client, db, directory, search_backend, index_programmes, monkeypatch
):
    """A search that found nothing takes no write lock: the process adds the texts up and
    writes them every SEARCH_DEMAND_FLUSH_SECONDS in one transaction, and on its way out;
    the office's page and the impact source see them meanwhile; a busy database keeps them
    for the next time."""
    from coalition.impact.sources import rows
    from search.zero_results import write_all_zero_results, zero_result_summary

    index_programmes(directory["programmes"]["jobs"])
    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 3600  # the fixture `fresh_counts` restores it
    for _ in range(3):
        client.get("/nl/programmes?q=fietsherstelling")
    client.get("/api/v1/programmes?q=kookles&lang=nl")
    assert counts(db) == {}  # nothing written yet
    with app.test_request_context():
        today = utcnow().date()
        assert zero_result_summary() == [
            ("fietsherstelling", "nl", 3, today),
            ("kookles", "nl", 1, today),
        ]
        assert {(r["query"], r["count"]) for r in rows("zero_result_searches")} == {
            ("fietsherstelling", 3),
            ("kookles", 1),
        }

    def busy(*args):
        raise OperationalError("UPDATE search_zero_results", {}, Exception("database is locked"))

    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 0
    with monkeypatch.context() as patch:
        patch.setattr("search.zero_results.record_zero_result", busy)
        assert client.get("/fr/programmes?q=emploi").status_code == 200  # due, refused
    assert counts(db) == {}
    client.get("/fr/programmes?q=emploi")  # the next answer writes them
    assert counts(db) == {("nl", "fietsherstelling"): 3, ("nl", "kookles"): 1}

    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 3600
    client.get("/nl/programmes?q=kookles")
    assert counts(db)[("nl", "kookles")] == 1
    with app.app_context():
        write_all_zero_results()  # what the process does when it ends
    assert counts(db)[("nl", "kookles")] == 2


def test_the_counts_a_process_holds_are_bounded():
    """While the database refuses them, random texts cannot make a process grow: a new
    text beyond the limit is not counted, a known one still is."""
    pending = PendingCounts(limit=2)
    for key in ("a", "b", "c", "a"):
        pending.add(key)
    assert pending.counts() == {"a": 2, "b": 1}

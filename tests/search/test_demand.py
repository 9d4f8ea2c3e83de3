"""Searches near a place, counted per day and area when answered: the coverage view's demand."""

from __future__ import annotations

from sqlalchemy import select

from coalition.database import utcnow
from coalition.impact.coverage import coverage
from coalition.impact.sources import rows
from search.demand import write_pending_demand
from search.models import SearchDemandCount


def counts(db) -> dict[tuple[str, str], int]:
    found = db.session.execute(select(SearchDemandCount)).scalars()
    return {(row.country, row.area): row.count for row in found}


def test_searches_near_a_place_are_counted_per_province(
    client, db, directory, search_backend, index_programmes
):
    index_programmes(*directory["programmes"].values())
    assert client.get("/fr/programmes?near=1080").status_code == 200
    assert client.get("/nl/programmes?q=werk&near=Brussel").status_code == 200
    assert client.get("/api/v1/programmes?near=2000").status_code == 200
    assert client.get("/nl/programmes?near=3500&page=2").status_code in (
        200,
        400,
    )  # paging: not a search
    assert client.get("/fr/programmes?near=9999").status_code == 400  # unknown place: not counted
    client.get("/fr/programmes?q=emploi")  # no place: not counted
    assert counts(db) == {("BE", "Brussels-Capital"): 2, ("BE", "Antwerp"): 1}
    # only the day, the country, the area and a count: no text, postcode, IP or session
    assert {c.name for c in SearchDemandCount.__table__.columns} == {
        "id",
        "day",
        "country",
        "area",
        "count",
    }
    assert sorted(rows("search_demand"), key=lambda r: r["area"]) == [
        {"day": utcnow().date(), "country": "BE", "area": "Antwerp", "count": 1},
        {"day": utcnow().date(), "country": "BE", "area": "Brussels-Capital", "count": 2},
    ]


def test_a_process_writes_its_counts_together_when_they_are_due(
    app, client, db, directory, search_backend, index_programmes
):
    """A search near a place takes no write lock: the process adds its searches up and
    writes them every SEARCH_DEMAND_FLUSH_SECONDS, in one transaction (and on its way out)."""
    index_programmes(*directory["programmes"].values())
    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 3600  # the fixture `fresh_counts` restores it
    for _ in range(4):
        assert client.get("/fr/programmes?near=1080").status_code == 200
    assert client.get("/api/v1/programmes?near=2000").status_code == 200
    assert counts(db) == {}  # nothing written yet
    # what the office reads includes what this process holds
    assert {(r["area"], r["count"]) for r in rows("search_demand")} == {
        ("Brussels-Capital", 4),
        ("Antwerp", 1),
    }
    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 0
    client.get("/fr/programmes?q=emploi")  # the next answer finds them due
    assert counts(db) == {("BE", "Brussels-Capital"): 4, ("BE", "Antwerp"): 1}
    assert {(r["area"], r["count"]) for r in rows("search_demand")} == {
        ("Brussels-Capital", 4),
        ("Antwerp", 1),
    }  # not counted twice

    app.config["SEARCH_DEMAND_FLUSH_SECONDS"] = 3600
    client.get("/fr/programmes?near=1080")
    with app.app_context():
        write_pending_demand(force=True)  # what the process does when it ends
    assert counts(db)[("BE", "Brussels-Capital")] == 5


def test_the_coverage_view_sets_demand_against_supply(
    client, db, directory, search_backend, index_programmes, make_user, login
):
    index_programmes(*directory["programmes"].values())
    for _ in range(3):
        client.get("/fr/programmes?near=5000")  # Namur: demand, no programme, no branch
    client.get("/fr/programmes?near=1080")  # Brussels: demand, and programmes there
    areas = {a.name: a for a in coverage()}
    assert len(areas) == 11  # the ten provinces and Brussels-Capital
    namur, brussels = areas["Namur"], areas["Brussels-Capital"]
    assert (namur.searches, namur.programmes, namur.branches) == (3, 0, 0)
    assert brussels.searches == 1
    # published programmes only: "jobs" in Molenbeek and Brussels (the draft and archived
    # ones there do not count)
    assert brussels.programmes == 1
    assert namur.rank == 1 and namur.gap == 3.0
    assert all(a.point is not None for a in areas.values())
    login(make_user(coalition_admin=True))
    page = client.get("/en/admin/impact/coverage")
    assert page.status_code == 200
    assert 'role="img"' in page.text and "1. Namur: 3" in page.text
    csv_text = client.get("/en/admin/impact/coverage.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("1;Namur;3;0;0;0;3")

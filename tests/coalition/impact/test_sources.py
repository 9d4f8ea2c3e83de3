"""The figures the core reads from the parts: provided by name, read as rows."""

from __future__ import annotations

from datetime import date

import pytest

from coalition.impact.sources import SOURCES, provide, rows


def test_a_source_no_part_provides_reads_as_no_rows(make_app):
    app = make_app()
    app.extensions["impact_sources"].pop("search_demand")  # the search part provides it
    with app.app_context():
        assert rows("search_demand") == []


def test_a_provided_source_is_read_with_its_filter(make_app):
    app = make_app()
    seen = []

    def read(since=None):
        seen.append(since)
        return [{"day": date(2026, 11, 30), "country": "BE", "postcode": "1080", "count": 7}]

    provide(app, "search_demand", read)
    with app.app_context():
        assert rows("search_demand", since=date(2026, 11, 1))[0]["count"] == 7
    assert seen == [date(2026, 11, 1)]


def test_only_the_sources_the_core_offers(make_app):
    app = make_app()
    with pytest.raises(KeyError):
        provide(app, "people", lambda **_: [])
    assert "referral_outcomes" in SOURCES

"""Small cells and their complementary cells: no hidden count can be worked out."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.impact.suppression import THRESHOLD, Cell, cell, suppress_rate, suppress_row


def possible_values(total: int | None, cells: list[dict]) -> list[set[int]]:
    """What an attacker who knows the rule can tell of each hidden cell: every value it can
    hold given the published total and cells ("< 5": 0 to 4; "–": 5 or more)."""
    hidden = [c for c in cells if c["value"] is None]
    if total is None:  # no total: nothing ties the hidden cells together
        return [set(range(THRESHOLD)) if c["display"] == "< 5" else {-1, -2} for c in hidden]
    rest = total - sum(c["value"] for c in cells if c["value"] is not None)
    ranges = [
        range(THRESHOLD) if c["display"] == "< 5" else range(THRESHOLD, rest + 1) for c in hidden
    ]
    seen: list[set[int]] = [set() for _ in hidden]
    for combination in itertools.product(*ranges):
        if sum(combination) == rest:
            for i, value in enumerate(combination):
                seen[i].add(value)
    return seen


def published(row) -> tuple[int | None, list[dict]]:
    return row.total.value, [{"value": c.value, "display": str(c)} for c in row.cells.values()]


def test_a_lone_small_cell_takes_a_complementary_one_with_it():
    row = suppress_row({"Q1": 40, "Q2": 3, "Q3": 12, "Q4": 20})
    assert [str(c) for c in row.cells.values()] == ["40", "< 5", "–", "20"]
    assert row.total.value == 75
    # without the complementary cell the total gives the small one back: 75 - 40 - 12 - 20
    naive = 75 - 40 - 12 - 20
    assert naive == 3
    assert all(len(values) > 1 for values in possible_values(*published(row)))


def test_two_zeros_are_not_left_to_add_up_to_nothing():
    row = suppress_row({"a": 0, "b": 0, "c": 30, "d": 12})
    assert [c.suppressed for c in row.cells.values()] == [True, True, False, True]
    assert all(len(values) > 1 for values in possible_values(*published(row)))


def test_a_total_that_would_give_a_cell_back_is_hidden():
    row = suppress_row({"a": 0, "b": 5})
    assert row.total.suppressed and all(c.suppressed for c in row.cells.values())
    assert str(cell(4)) == "< 5" and str(cell(5)) == "5"
    assert str(Cell(None)) == "–"


def test_a_rate_of_few_people_is_hidden():
    assert suppress_rate(4, 100) is None
    assert suppress_rate(12, 4) is None
    assert suppress_rate(12, 16) == 75.0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
def test_no_hidden_cell_is_ever_recovered(values):
    row = suppress_row({f"k{i}": v for i, v in enumerate(values)})
    total, cells = published(row)
    assert all(c["value"] is None for c, v in zip(cells, values, strict=True) if v < THRESHOLD)
    for possible in possible_values(total, cells):
        assert len(possible) > 1


def test_the_published_figures_hide_what_they_must_and_give_nothing_back(client, reported):
    """The attack on the API's answer: totals minus shown quarters, for every figure."""
    body = client.get("/api/v1/impact").json
    quarters = body["quarters"]
    assert [(q["year"], q["quarter"]) for q in quarters] == [(2025, 3), (2025, 4), (2026, 1)]
    # mentors trained per quarter: 12, 6, 3: the 3 is small, the 6 hides with it
    assert [q["mentors_trained"]["display"] for q in quarters] == ["12", "–", "< 5"]
    assert body["totals"]["mentors_trained"]["value"] == 21
    assert body["figures"]["mentors_trained_total"]["value"] == 21
    attempted = 0
    for name, total in body["totals"].items():
        cells = [q[name] for q in quarters]
        hidden = [c for c in cells if c["value"] is None]
        if not hidden:
            continue
        attempted += 1
        # the naive attack: one hidden cell is the total minus the shown ones
        assert len(hidden) >= 2, name
        for possible in possible_values(total["value"], cells):
            assert len(possible) > 1, name
    assert attempted >= 3  # mentors trained, duos started (2), duos completed (0)
    # the stocks have no total: each small cell stands alone
    assert quarters[1]["mentors_aged_50_plus"]["display"] == "9"

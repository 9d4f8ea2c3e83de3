"""Figures the core counts in but does not hold: the parts provide them in their register.

The impact dashboards, the coverage view and the public figures read rows that other parts
keep (referral outcomes in federation, searches near a place in search). The core cannot
import those parts, so each one provides a function under a name the core offers here:

    provide(app, "referral_outcomes", referral_outcome_rows)

and the core reads it with `rows("referral_outcomes", since=…)`. A source no part provides
reads as no rows, so the core works alone (and in tests of the core alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from flask import Flask, current_app

Row = Mapping[str, Any]

#: the sources the core reads, and what each row holds (every count already aggregated:
#: no row names a person, and none is written per search or per referral)
SOURCES = {
    "referral_outcomes": "completed and failed referrals: programme_id, branch_id (or None), "
    "year, quarter, outcome, count, and optionally outcome_label (the outcome's name in the "
    "request's language)",
    "referral_demand": "referrals received: country, postcode area of the programme's nearest "
    "branch or None, year, quarter, count — rows(since=date)",
    "search_demand": "searches made near a place, counted per day and area: day, country, "
    "area (the province of a Belgian or Dutch place, the department of a French one), "
    "count — rows(since=date)",
    "zero_result_searches": "searches that found nothing: day, lang, query, count — "
    "rows(since=date)",
}


def provide(app: Flask, name: str, read: Callable[..., Iterable[Row]]) -> None:
    """Have the core read the source `name` through `read(**filters)`."""
    if name not in SOURCES:
        raise KeyError(f"no source named {name!r}; the core reads {sorted(SOURCES)}")
    app.extensions.setdefault("impact_sources", {})[name] = read


def rows(name: str, *, since: date | None = None) -> list[Row]:
    """The rows of the source `name` (none when no part provides it).

    :param since: only rows from this day (or quarter) on, where the source has a time
    """
    if name not in SOURCES:
        raise KeyError(name)
    read = current_app.extensions.get("impact_sources", {}).get(name)
    return [] if read is None else list(read(since=since))

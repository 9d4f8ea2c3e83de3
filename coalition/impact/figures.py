"""Named impact figures that other parts quote (a policy brief's `{{ figure: name }}`).

Each figure is computed from the members' quarterly `ImpactReport` rows, summed across
every report, with the date it holds for (the last day of the latest quarter reported)
and a label per language; a figure that would show fewer than 5 people is suppressed
(`coalition.impact.suppression`), here as on the public page and `GET /api/v1/impact`.
Quoting parts only ever see `named_figures()` and `figure(name)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from coalition.impact import aggregates
from coalition.impact.suppression import suppress_rate, suppress_row

#: the label of each figure per language, in the order they are listed
LABELS: dict[str, dict[str, str]] = {
    "mentors_trained_total": {
        "fr": "Mentors formés (total)",
        "nl": "Opgeleide mentoren (totaal)",
        "en": "Mentors trained (total)",
    },
    "young_people_enrolled_total": {
        "fr": "Jeunes inscrits (total)",
        "nl": "Ingeschreven jongeren (totaal)",
        "en": "Young people enrolled (total)",
    },
    "duos_started_total": {
        "fr": "Duos commencés (total)",
        "nl": "Gestarte duo's (totaal)",
        "en": "Duos started (total)",
    },
    "duos_completed_total": {
        "fr": "Duos terminés (total)",
        "nl": "Afgeronde duo's (totaal)",
        "en": "Duos completed (total)",
    },
    "mentor_continuation_rate": {
        "fr": "Mentors qui continuent après leur premier duo",
        "nl": "Mentoren die na hun eerste duo doorgaan",
        "en": "Mentors continuing after their first duo",
    },
}

#: the report column each total sums
TOTALS = {
    "mentors_trained_total": "mentors_trained",
    "young_people_enrolled_total": "young_people_enrolled",
    "duos_started_total": "duos_started",
    "duos_completed_total": "duos_completed",
}


class UnknownFigure(KeyError):
    """No figure has this name."""


@dataclass(frozen=True)
class Figure:
    """One named figure: its value (None when nothing is reported yet) and its date."""

    name: str
    value: int | float | None
    #: the last day of the latest quarter the reports cover; None before the first report
    as_of: date | None
    labels: dict[str, str]
    #: "count" (people, duos) or "percent"
    unit: str = "count"
    #: hidden because it would show fewer than 5 people (value None)
    suppressed: bool = False

    def label(self, lang: str) -> str:
        """The figure's name in `lang` (English when it has none)."""
        return self.labels.get(lang) or self.labels["en"]


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def named_figures() -> dict[str, Figure]:
    """Every named figure, computed now from the reports, small counts suppressed: a total
    is the total of its published row per quarter (`coalition.impact.public`), so that a
    figure quoted anywhere is hidden exactly when the public page hides it."""
    quarters = aggregates.by_quarter()
    as_of = quarter_end(*max(quarters)) if quarters else None
    figures: dict[str, Figure] = {}
    for name, column in TOTALS.items():
        row = suppress_row({q: values[column] for q, values in quarters.items()})
        value = row.total.value if quarters else None
        figures[name] = Figure(
            name, value, as_of, LABELS[name], suppressed=bool(quarters) and value is None
        )
    summed = aggregates.totals()
    # The reports hold no count of "mentors whose first duo ended"; each completed duo ends
    # one mentor's duo, the closest denominator they have.
    rate = suppress_rate(summed["mentors_continuing_after_first_duo"], summed["duos_completed"])
    figures["mentor_continuation_rate"] = Figure(
        "mentor_continuation_rate",
        rate,
        as_of,
        LABELS["mentor_continuation_rate"],
        "percent",
        suppressed=summed["duos_completed"] > 0 and rate is None,
    )
    return {name: figures[name] for name in LABELS}


def figure(name: str) -> Figure:
    """The figure called `name`.

    :raise UnknownFigure: no figure has that name.
    """
    figures = named_figures()
    if name not in figures:
        raise UnknownFigure(name)
    return figures[name]

"""The impact figures as the public sees them (the page `/<lang>/impact` and
`GET /api/v1/impact` alike): the coalition's totals, progress to each target and the
trends per quarter, every count of fewer than 5 people suppressed with its complementary
cells (`coalition.impact.suppression`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coalition.impact import aggregates
from coalition.impact.figures import Figure, named_figures
from coalition.impact.suppression import Cell, Row, cell, suppress_rate, suppress_row

#: the report figures published with a total (flows: each person counted once)
FLOWS = ("mentors_trained", "young_people_enrolled", "duos_started", "duos_completed")
#: the figures published per quarter only (people active in several quarters are counted
#: in each: their sum is no count of people)
STOCKS = ("mentors_active", "mentors_aged_50_plus")
#: targets whose value is no count of people (not suppressed)
NOT_PEOPLE = frozenset({"new_branches"})
#: the report figure a target's count is, when it is one (its total is the row's)
TARGET_FIGURES = {
    "young_people_mentored": "duos_started",
    "young_people_enrolled": "young_people_enrolled",
}


@dataclass(frozen=True)
class PublicProgress:
    """One target as published."""

    code: str
    value: Cell | float | None
    target: float
    deadline: date
    share_of_target: float | None
    share_of_time: float
    on_track: bool | None

    #: a rate hidden because its part or whole counts fewer than 5 people
    rate_hidden: bool = False

    @property
    def suppressed(self) -> bool:
        return self.rate_hidden or (isinstance(self.value, Cell) and self.value.suppressed)


@dataclass(frozen=True)
class PublicFigures:
    """What the public page and the API publish."""

    quarters: list[aggregates.Quarter]
    #: report figure → its row per quarter (cells and total)
    rows: dict[str, Row]
    progress: list[PublicProgress]
    named: dict[str, Figure]

    @property
    def totalled(self) -> tuple[str, ...]:
        """The figures whose total is published."""
        return FLOWS

    @property
    def as_of(self) -> date | None:
        return next(iter(self.named.values())).as_of if self.named else None


def public_figures(today: date | None = None) -> PublicFigures:
    """The coalition's published figures, computed now."""
    quarters = aggregates.by_quarter()
    rows: dict[str, Row] = {}
    for name in FLOWS:
        rows[name] = suppress_row({q: values[name] for q, values in quarters.items()})
    for name in STOCKS:
        cells = {q: cell(values[name]) for q, values in quarters.items()}
        rows[name] = Row(cells, Cell(None))  # no total is published
    progress = []
    for item in aggregates.target_progress(today):
        code = item.target.code
        value: Cell | float | None
        if item.denominator is not None:
            value = suppress_rate(item.counted, item.denominator) if item.denominator else None
            share = round(value / item.target.target, 3) if value is not None else None
        elif code in NOT_PEOPLE:
            value, share = item.value, item.share_of_target
        else:
            shown = (
                rows[TARGET_FIGURES[code]].total if code in TARGET_FIGURES else cell(item.counted)
            )
            value = Cell(None, small=shown.small) if shown.suppressed else Cell(int(item.value))
            share = None if shown.suppressed else item.share_of_target
        on_track = item.on_track if share is not None or code in NOT_PEOPLE else None
        hidden = bool(item.denominator) and value is None
        progress.append(
            PublicProgress(
                code,
                value,
                item.target.target,
                item.target.deadline,
                share,
                item.share_of_time,
                on_track,
                hidden,
            )
        )
    return PublicFigures(sorted(quarters), rows, progress, named_figures())

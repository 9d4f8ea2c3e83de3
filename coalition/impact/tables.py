"""The tables of the impact dashboards, built once for the page and its CSV export alike."""

from __future__ import annotations

from datetime import date

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coalition.impact import aggregates
from coalition.impact.export import Table
from coalition.impact.models import FIGURES, OUTCOMES
from coalition.mentors.figures import recruitment_figures

#: each report figure's name in the UI
FIGURE_LABELS = {
    "mentors_trained": _l("Mentors trained"),
    "mentors_active": _l("Active mentors"),
    "mentors_aged_50_plus": _l("Active mentors aged 50+"),
    "young_people_enrolled": _l("Young people enrolled"),
    "duos_started": _l("Duos started"),
    "duos_completed": _l("Duos completed"),
    "mentors_continuing_after_first_duo": _l("Mentors continuing after their first duo"),
}
OUTCOME_LABELS = {
    "job": _l("Found a job"),
    "training": _l("Training or school"),
    "internship": _l("Internship"),
    "dropped_out": _l("Left the duo early"),
    "not_reached": _l("Goal not reached"),
}
TARGET_LABELS = {
    "mentors_aged_50_plus_trained": _l("Additional trained mentors aged 50+"),
    "young_people_mentored": _l("Young people mentored"),
    "young_people_enrolled": _l("Young people enrolled"),
    "new_branches": _l("New branches"),
    "mentor_continuation_rate": _l("Mentors continuing after their first duo (%)"),
}
#: the tables a dashboard exports, in the order it shows them
DASHBOARD_TABLES = (
    "progress",
    "quarters",
    "cities",
    "organisations",
    "branches",
    "mentors",
    "referrals",
    "searches",
)


def percent(share: float | None) -> str:
    return "" if share is None else format_percent(share, "#,##0 %")


def track_label(on_track: bool | None) -> str:
    if on_track is None:
        return _("Not yet measured")
    return _("On track") if on_track else _("Behind")


def progress_table(today: date | None = None) -> Table:
    headers = [
        _("Target"),
        _("Value"),
        _("Target value"),
        _("Deadline"),
        _("Share of target"),
        _("Share of time elapsed"),
        _("Status"),
    ]
    rows = [
        [
            str(TARGET_LABELS[p.target.code]),
            "" if p.value is None else p.value,
            p.target.target,
            p.target.deadline.isoformat(),
            percent(p.share_of_target),
            percent(p.share_of_time),
            track_label(p.on_track),
        ]
        for p in aggregates.target_progress(today)
    ]
    return Table("progress", _("Progress against the targets"), headers, rows)


def _figure_table(name: str, caption: str, key_header: str, values: dict) -> Table:
    headers = [
        key_header,
        *(str(FIGURE_LABELS[f]) for f in FIGURES),
        *(_("Outcome: %(outcome)s", outcome=OUTCOME_LABELS[code]) for code in OUTCOMES),
    ]
    rows = [[str(key), *(sums[c] for c in aggregates.COLUMNS)] for key, sums in values.items()]
    return Table(name, caption, headers, rows)


def quarters_table() -> Table:
    values = {aggregates.quarter_label(q): v for q, v in aggregates.by_quarter().items()}
    return _figure_table("quarters", _("Figures per quarter"), _("Quarter"), values)


def cities_table() -> Table:
    return _figure_table("cities", _("Figures per city"), _("City"), aggregates.by_city())


def organisations_table() -> Table:
    return _figure_table(
        "organisations",
        _("Figures per organisation"),
        _("Organisation"),
        aggregates.by_organisation(),
    )


def branches_table() -> Table:
    headers = [_("Organisation"), _("Branch"), _("City"), _("Opened"), _("New city")]
    rows = [
        [
            organisation,
            branch.name,
            branch.city,
            branch.opened_on.isoformat() if branch.opened_on else "",
            _("New") if branch.is_new else "",
        ]
        for branch, organisation in aggregates.branches_opened()
    ]
    return Table("branches", _("Branches"), headers, rows)


def mentors_table() -> Table:
    figures = recruitment_figures()
    headers = [_("Quarter"), _("Mentors recruited through the platform")]
    rows = [[aggregates.quarter_label(q), n] for q, n in figures.by_quarter.items()]
    rows.append([_("Total"), figures.recruited])
    rows.append([_("Of whom aged 50+"), figures.recruited_50_plus])
    rate = figures.continuation_rate
    rows.append([str(TARGET_LABELS["mentor_continuation_rate"]), "" if rate is None else rate])
    return Table("mentors", _("Mentor recruitment"), headers, rows)


def referrals_table() -> Table:
    found = aggregates.referrals()
    headers = [_("Quarter"), _("Referrals received"), _("Referrals ended")]
    quarters = sorted(set(found.by_quarter) | set(found.received_by_quarter))
    rows = [
        [
            aggregates.quarter_label(q),
            found.received_by_quarter.get(q, 0),
            found.by_quarter.get(q, 0),
        ]
        for q in quarters
    ]
    for outcome, count in sorted(found.by_outcome.items()):
        label = found.outcome_labels.get(outcome, outcome)
        rows.append([_("Outcome: %(outcome)s", outcome=label), "", count])
    return Table("referrals", _("Referrals"), headers, rows)


def searches_table() -> Table:
    headers = [_("Search text"), _("Language"), _("Searches")]
    rows = [
        [query, lang.upper(), count] for query, lang, count in aggregates.zero_result_searches()
    ]
    return Table("searches", _("Searches without results (last 90 days)"), headers, rows)


def dashboard_table(name: str, today: date | None = None) -> Table:
    """One of `DASHBOARD_TABLES` by name.

    :raise KeyError: no table has that name.
    """
    builders = {
        "progress": lambda: progress_table(today),
        "quarters": quarters_table,
        "cities": cities_table,
        "organisations": organisations_table,
        "branches": branches_table,
        "mentors": mentors_table,
        "referrals": referrals_table,
        "searches": searches_table,
    }
    return builders[name]()

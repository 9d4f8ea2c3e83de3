"""The impact pages: the organisation admin's quarterly form and dashboard
(`/<lang>/staff/<org id>/impact`), the coalition dashboard, its targets, coverage view and
CSV exports (`/<lang>/admin/impact/…`), and the public page (`/<lang>/impact`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from coalition import access
from coalition.access import coalition_admin_required, current_user, login_required
from coalition.extensions import db
from coalition.forms import ButtonForm, control_character_errors
from coalition.impact import aggregates, charts, coverage, services, tables
from coalition.impact.export import to_csv
from coalition.impact.models import FIGURES, OUTCOMES, ImpactTarget
from coalition.impact.public import public_figures
from coalition.impact.schemas import ReportSchema, TargetSchema, flat_errors, form_body
from coalition.impact.services import FIRST_YEAR, current_quarter
from coalition.impact.suppression import THRESHOLD, Cell

#: the public page, under /<lang>
bp = Blueprint("impact", __name__)
#: the organisation admin's page, under /<lang>/staff
staff = Blueprint("impact_staff", __name__)
#: the coalition office's pages, under /<lang>/admin/impact
office = Blueprint("impact_admin", __name__)


# --- the organisation's quarter ----------------------------------------------------------


def _selected(organisation) -> tuple:
    """The branch and quarter the form is about: the request's choice, else the first
    branch and the current quarter."""
    year, quarter = current_quarter()
    source = request.form if request.method == "POST" else request.args
    branch_id = source.get("branch", type=int)
    year = source.get("year", type=int) or year
    quarter = source.get("quarter", type=int) or quarter
    branches = sorted(organisation.branches, key=lambda b: (b.city, b.name, b.id))
    branch = next((b for b in branches if b.id == branch_id), None)
    if branch is None and branch_id is None and branches:
        branch = branches[0]
    return branches, branch, year, quarter


@staff.route("/<int:org_id>/impact", methods=["GET", "POST"])
@login_required
def report(org_id: int):
    """Enter or correct a branch's figures for a quarter; the organisation's figures against
    the coalition's."""
    organisation = access.require("report_figures", org_id)
    branches, branch, year, quarter = _selected(organisation)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            abort(400)
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        if branch is None:
            errors["branch"] = _("Choose one of your branches.")
        body = form_body(request.form, branch.id if branch else 0)
        errors |= control_character_errors()
        try:
            data = ReportSchema().load(body)
        except ValidationError as error:
            errors = {**flat_errors(error.normalized_messages()), **errors}
        if not errors:
            _report, replaced = services.submit_report(
                organisation, branch, data["year"], data["quarter"], data, actor=current_user()
            )
            db.session.commit()
            flash(
                _("The figures were corrected.") if replaced else _("The figures were saved."),
                "success",
            )
            return redirect(
                url_for(".report", org_id=org_id, branch=branch.id, year=year, quarter=quarter)
            )
        status = 422
    existing = services.report_of(organisation, branch, year, quarter) if branch else None
    if existing is not None and not values:
        values = {name: str(getattr(existing, name)) for name in FIGURES}
        values |= {f"outcomes-{c}": str(existing.outcomes[c]) for c in OUTCOMES}
    own = aggregates.totals(organisation.id)
    coalition = public_figures()
    everyone = aggregates.totals()
    # the coalition's total minus the organisation's own is the others' sum: hidden when it
    # would show fewer than 5 people of the other members
    theirs = {
        name: Cell(None) if everyone[name] - own[name] < THRESHOLD else coalition.rows[name].total
        for name in coalition.totalled
    }
    return render_template(
        "coalition/impact/report.html",
        organisation=organisation,
        branches=branches,
        branch=branch,
        year=year,
        quarter=quarter,
        years=range(current_quarter()[0], FIRST_YEAR - 1, -1),
        values=values,
        errors=errors,
        existing=existing,
        reports=services.organisation_reports(organisation),
        own=own,
        theirs=theirs,
        totalled=coalition.totalled,
        figure_labels=tables.FIGURE_LABELS,
        outcome_labels=tables.OUTCOME_LABELS,
        figures=FIGURES,
        outcomes=OUTCOMES,
    ), status


# --- the coalition office ----------------------------------------------------------------


def _quarter_chart(chart_id: str, name: str, title: str, desc: str) -> charts.BarChart:
    values = aggregates.figure_by_quarter(name)
    return charts.bar_chart(
        chart_id, title, desc, [(aggregates.quarter_label(q), v) for q, v in values.items()]
    )


@office.get("/")
@coalition_admin_required
def dashboard():
    """Progress against the targets, the trends and every table, with their CSV."""
    today = date.today()
    shown = {name: tables.dashboard_table(name, today) for name in tables.DASHBOARD_TABLES}
    chart_list = [
        _quarter_chart(
            "chart-enrolled",
            "young_people_enrolled",
            _("Young people enrolled per quarter"),
            _("Bars: the young people who signed up in each quarter, all branches together."),
        ),
        _quarter_chart(
            "chart-duos",
            "duos_started",
            _("Duos started per quarter"),
            _("Bars: the duos that started in each quarter, all branches together."),
        ),
        _quarter_chart(
            "chart-trained",
            "mentors_trained",
            _("Mentors trained per quarter"),
            _("Bars: the mentors who finished their training in each quarter."),
        ),
    ]
    for chart_id, title, values in (
        ("chart-cities", _("Young people enrolled per city"), aggregates.by_city()),
        (
            "chart-organisations",
            _("Young people enrolled per organisation"),
            aggregates.by_organisation(),
        ),
    ):
        chart_list.append(
            charts.bar_chart(
                chart_id,
                title,
                _("Bars: the young people enrolled since the first report, per place or member."),
                [(str(key), sums["young_people_enrolled"]) for key, sums in values.items()],
            )
        )
    progress = aggregates.target_progress(today)
    progress_chart = charts.bar_chart(
        "chart-progress",
        _("Share of each target reached"),
        _("Bars: the share of each target reached so far, in percent."),
        [
            (
                str(tables.TARGET_LABELS[p.target.code]),
                None if p.share_of_target is None else round(100 * p.share_of_target),
            )
            for p in progress
        ],
    )
    return render_template(
        "coalition/impact/dashboard.html",
        tables=shown,
        charts=[progress_chart, *chart_list],
        chart_tables={
            "chart-progress": "progress",
            "chart-enrolled": "quarters",
            "chart-duos": "quarters",
            "chart-trained": "quarters",
            "chart-cities": "cities",
            "chart-organisations": "organisations",
        },
    )


@office.get("/<name>.csv")
@coalition_admin_required
def export(name: str):
    """A dashboard table as CSV (UTF-8 with BOM, `;`)."""
    if name == "coverage":
        table = coverage.coverage_table()
    elif name in tables.DASHBOARD_TABLES:
        table = tables.dashboard_table(name)
    else:
        abort(404)
    return Response(
        to_csv(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="impact-{name}.csv"'},
    )


@office.route("/targets", methods=["GET", "POST"])
@coalition_admin_required
def targets():
    """Edit the coalition's targets: baseline, value, start and deadline of each."""
    errors: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            abort(400)
        code = request.form.get("code", "")
        target = db.session.execute(
            db.select(ImpactTarget).where(ImpactTarget.code == code)
        ).scalar_one_or_none()
        if target is None:
            abort(404)
        body = {k: request.form.get(k, "").strip() for k in TargetSchema().fields}
        try:
            data = TargetSchema().load(body)
        except ValidationError as error:
            errors[code] = flat_errors(error.normalized_messages())
        # the target's own fields (its hidden `code` has no place to show a message)
        refused = {k: v for k, v in control_character_errors().items() if k in body}
        if refused:
            errors[code] = {**errors.get(code, {}), **refused}
        if not errors:
            services.update_target(target, current_user(), data)
            db.session.commit()
            flash(_("The target has been saved."), "success")
            return redirect(url_for(".targets"))
    return render_template(
        "coalition/impact/targets.html",
        targets=services.targets(),
        labels=tables.TARGET_LABELS,
        errors=errors,
        form=request.form,
    ), 422 if errors else 200


@office.get("/coverage")
@coalition_admin_required
def coverage_view():
    """Where to open the next branches: demand and supply per province, map and table."""
    areas = coverage.coverage()
    return render_template(
        "coalition/impact/coverage.html",
        areas=areas,
        table=coverage.coverage_table(areas),
        outline=coverage.outline(),
        largest=max([a.demand for a in areas] or [1]) or 1,
    )


# --- the public page ---------------------------------------------------------------------


@bp.get("/impact")
def public():
    """The coalition's totals, progress to each target and trends, small cells suppressed."""
    figures = public_figures()
    quarter_charts = [
        charts.bar_chart(
            f"chart-{name}",
            str(tables.FIGURE_LABELS[name]),
            _(
                "Bars per quarter; a quarter with fewer than 5 people is shown as “< 5”, "
                "and a bar marked “–” is hidden so that it cannot be worked out."
            ),
            [(aggregates.quarter_label(q), row.cells[q]) for q in figures.quarters],
        )
        for name, row in figures.rows.items()
        if name in figures.totalled
    ]
    return render_template(
        "coalition/impact/public.html",
        figures=figures,
        charts=quarter_charts,
        quarter_headers=[_("Quarter"), *(str(tables.FIGURE_LABELS[n]) for n in figures.rows)],
        figure_labels=tables.FIGURE_LABELS,
        target_labels=tables.TARGET_LABELS,
        percent=tables.percent,
        track_label=tables.track_label,
    )

"""The impact report's schemas: one for the staff form and the machine API alike.

`ReportSchema` loads a branch's quarterly figures (the federation's `POST /reports` body and
the organisation admin's form, whose texts are turned into numbers first);
`TargetSchema` loads a coalition target as the coalition admin edits it.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from coalition.impact.models import OUTCOMES
from coalition.impact.services import FIRST_YEAR, figure_errors

#: the largest count a figure may hold (a typo guard, far above any branch's real numbers)
MAX_COUNT = 100_000
#: what a postcode of any of the coalition's countries looks like (BE, FR, NL)
POSTCODE = re.compile(r"[0-9A-Za-z ]{4,8}")
#: the largest branch id (a 32-bit column)
MAX_BRANCH_ID = 2**31 - 1


def _count(description: str, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(
            min=0, max=MAX_COUNT, error=_l("Enter a whole number from 0 to 100,000.")
        ),
        error_messages={"invalid": _l("Enter a whole number from 0 to 100,000.")},
        metadata={"description": description},
        **kwargs,
    )


class BranchRef(fields.Field):
    """A branch of the caller's organisation: its id (integer) or its postcode (string)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError(_("Give the branch's id (a number) or its postcode (a text)."))
        if isinstance(value, int) and not 0 < value <= MAX_BRANCH_ID:
            raise ValidationError(_("This branch does not exist."))
        if isinstance(value, str) and not POSTCODE.fullmatch(value.strip()):
            raise ValidationError(_("This branch does not exist."))
        return value


class OutcomesSchema(Schema):
    """How the duos that ended in the quarter ended."""

    class Meta:
        unknown = RAISE

    job = _count("Found a job.", load_default=0)
    training = _count("Started a training or went back to school.", load_default=0)
    internship = _count("Started an internship.", load_default=0)
    dropped_out = _count("The young person left the duo early.", load_default=0)
    not_reached = _count("The goal was not reached.", load_default=0)


class ReportSchema(Schema):
    """A branch's figures for one quarter (`POST /reports`, the staff impact form)."""

    class Meta:
        unknown = RAISE

    year = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=FIRST_YEAR, max=2100, error=_l("Choose a year from 2020 on.")),
    )
    quarter = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=1, max=4, error=_l("Choose a quarter from 1 to 4.")),
    )
    branch = BranchRef(
        required=True,
        metadata={"description": "The branch: its id (integer) or its postcode (string)."},
    )
    mentors_trained = _count("Mentors who finished their training in the quarter.", required=True)
    mentors_active = _count("Mentors in a duo during the quarter.", required=True)
    mentors_aged_50_plus = _count("Of the active mentors, those aged 50 or more.", required=True)
    young_people_enrolled = _count("Young people who signed up in the quarter.", required=True)
    duos_started = _count("Duos that started in the quarter.", required=True)
    duos_completed = _count(
        "Duos that ended in the quarter, whatever their outcome.", required=True
    )
    outcomes = fields.Nested(OutcomesSchema, load_default=lambda: dict.fromkeys(OUTCOMES, 0))
    mentors_continuing_after_first_duo = _count(
        "Of the mentors whose first duo ended, those who took on another one.", required=True
    )

    @validates_schema(skip_on_field_errors=True)
    def check_totals(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors = figure_errors(data["year"], data["quarter"], data)
        if errors:
            raise ValidationError({key: [message] for key, message in errors.items()})


def form_body(form: Any, branch_id: int) -> dict[str, Any]:
    """A `ReportSchema` body from the staff form's texts: digits become numbers, anything
    else is left as typed (the schema refuses it beside its field), blanks are absent."""

    def value(name: str) -> Any:
        text = (form.get(name) or "").strip()
        return int(text) if text.isdigit() and len(text) < 10 else text

    body: dict[str, Any] = {"branch": branch_id}
    for name in ReportSchema().fields:
        if name in ("branch", "outcomes"):
            continue
        if (form.get(name) or "").strip():
            body[name] = value(name)
    body["outcomes"] = {
        code: value(f"outcomes-{code}")
        for code in OUTCOMES
        if (form.get(f"outcomes-{code}") or "").strip()
    }
    return body


def flat_errors(messages: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A schema's nested messages as {field path: first message}: "outcomes-job"."""
    flat: dict[str, str] = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flat_errors(value, f"{name}-"))
        else:
            flat[name] = str(value[0] if isinstance(value, list) else value)
    return flat


class TargetSchema(Schema):
    """A coalition target as the coalition admin edits it."""

    class Meta:
        unknown = RAISE

    baseline = fields.Float(
        required=True,
        validate=validate.Range(min=0, max=1_000_000, error=_l("Enter a number from 0.")),
        error_messages={"invalid": _l("Enter a number.")},
    )
    target = fields.Float(
        required=True,
        validate=validate.Range(min=0, max=1_000_000, error=_l("Enter a number from 0.")),
        error_messages={"invalid": _l("Enter a number.")},
    )
    starts_on = fields.Date(required=True, error_messages={"invalid": _l("Enter a date.")})
    deadline = fields.Date(required=True, error_messages={"invalid": _l("Enter a date.")})

    @validates_schema(skip_on_field_errors=True)
    def check_dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["deadline"] <= data["starts_on"]:
            raise ValidationError(_("The deadline must come after the start."), "deadline")
        if data["target"] == data["baseline"]:
            raise ValidationError(_("The target must differ from the baseline."), "target")


# --- out: the published figures (`GET /api/v1/impact`) ----------------------------------


class CellSchema(Schema):
    """A published count: its value, or null and the sign shown in its place."""

    value = fields.Integer(allow_none=True)
    display = fields.Function(str)
    suppressed = fields.Boolean()


class NamedFigureSchema(Schema):
    """A named figure that policy briefs quote."""

    value = fields.Float(allow_none=True)
    unit = fields.String()
    suppressed = fields.Boolean()
    as_of = fields.Date(allow_none=True)
    #: its name in each language
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class ProgressSchema(Schema):
    """One target as published."""

    code = fields.String()
    value = fields.Method("_value")
    suppressed = fields.Boolean()
    target = fields.Float()
    deadline = fields.Date()
    share_of_target = fields.Float(allow_none=True)
    share_of_time = fields.Float()
    on_track = fields.Boolean(allow_none=True)

    def _value(self, progress: Any) -> float | None:
        value = progress.value
        return getattr(value, "value", value)


class PublicImpactSchema(Schema):
    """The coalition's published impact figures, small cells suppressed."""

    as_of = fields.Date(allow_none=True)
    threshold = fields.Constant(5)
    figures = fields.Method("_figures")
    targets = fields.List(fields.Nested(ProgressSchema), attribute="progress")
    quarters = fields.Method("_quarters")
    totals = fields.Method("_totals")

    def _figures(self, public: Any) -> dict[str, Any]:
        schema = NamedFigureSchema()
        return {name: schema.dump(figure) for name, figure in public.named.items()}

    def _quarters(self, public: Any) -> list[dict[str, Any]]:
        cells = CellSchema()
        return [
            {
                "year": year,
                "quarter": quarter,
                **{
                    name: cells.dump(row.cells[(year, quarter)])
                    for name, row in public.rows.items()
                },
            }
            for year, quarter in public.quarters
        ]

    def _totals(self, public: Any) -> dict[str, Any]:
        return {
            name: CellSchema().dump(row.total)
            for name, row in public.rows.items()
            if name in public.totalled
        }

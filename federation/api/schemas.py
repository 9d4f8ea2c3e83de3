"""Marshmallow schemas of the machine API: reports, the page of programmes, problems.

The programme body is the core's `coalition.programmes.schemas.ProgrammeSchema`: the editor's form
and member systems are validated by the same schema. The event feed's schemas are in
`federation.events.schemas`.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from marshmallow import (
    EXCLUDE,
    INCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    pre_dump,
    validate,
    validates_schema,
)

from coalition.impact.models import OUTCOMES
from coalition.impact.services import FIRST_YEAR, figure_errors
from coalition.programmes.schemas import ProgrammeSchema

#: the largest count a figure may hold (a typo guard, far above any branch's real numbers)
MAX_COUNT = 100_000
#: what a postcode of any of the coalition's countries looks like (BE, FR, NL)
POSTCODE = re.compile(r"[0-9A-Za-z ]{4,8}")
#: the largest branch id (a 32-bit column)
MAX_BRANCH_ID = 2**31 - 1
#: the most programmes one page of the list returns
MAX_PER_PAGE = 100


def _count(description: str, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=MAX_COUNT),
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
    """A branch's figures for one quarter (`POST /reports`)."""

    class Meta:
        unknown = RAISE

    year = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=FIRST_YEAR, max=2100)
    )
    quarter = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=4))
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


class BranchSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    postcode = fields.String()


class ReportReceiptSchema(Schema):
    """The stored report, as the API confirms it (a `ReportReceipt`)."""

    id = fields.Integer()
    year = fields.Integer()
    quarter = fields.Integer()
    branch = fields.Nested(BranchSummarySchema)
    mentors_trained = fields.Integer()
    mentors_active = fields.Integer()
    mentors_aged_50_plus = fields.Integer()
    young_people_enrolled = fields.Integer()
    duos_started = fields.Integer()
    duos_completed = fields.Integer()
    outcomes = fields.Dict(keys=fields.String(), values=fields.Integer())
    mentors_continuing_after_first_duo = fields.Integer()
    submitted_at = fields.AwareDateTime()
    replaced = fields.Boolean(
        metadata={"description": "True when this replaced figures sent earlier for the quarter."}
    )

    @pre_dump
    def _from_receipt(self, receipt: Any, **kwargs: Any) -> dict[str, Any]:
        """The report's own fields, then its branch and whether it replaced earlier ones."""
        own = {
            name: getattr(receipt.report, name)
            for name in self.dump_fields
            if name not in ("branch", "replaced")
        }
        return {**own, "branch": receipt.branch, "replaced": receipt.replaced}


class ProgrammePageSchema(Schema):
    """A page of the organisation's programmes."""

    items = fields.List(fields.Nested(ProgrammeSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total_items = fields.Integer()
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page."})
    prev = fields.String(allow_none=True, metadata={"description": "URL of the previous page."})


class ProgrammeQuerySchema(Schema):
    """Query parameters of `GET /programmes`."""

    class Meta:
        unknown = EXCLUDE

    modified_after = fields.AwareDateTime(
        metadata={"description": "Only programmes changed after this time (ISO 8601 with zone)."}
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ProblemErrorSchema(Schema):
    pointer = fields.String(metadata={"description": "JSON pointer to the field in the body."})
    parameter = fields.String(metadata={"description": "The query or path parameter."})
    detail = fields.String()


class ProblemSchema(Schema):
    """An RFC 9457 problem document (extension members may follow)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.List(fields.Nested(ProblemErrorSchema))

"""Marshmallow schemas of the machine API: reports, the page of programmes, problems.

The report body is the core's `coalition.impact.schemas.ReportSchema` (the staff impact form
loads the same one), as the programme body is the core's
`coalition.programmes.schemas.ProgrammeSchema`: the staff's forms and member systems are
validated by the same schemas. The event feed's schemas are in
`federation.events.schemas`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    EXCLUDE,
    INCLUDE,
    Schema,
    fields,
    pre_dump,
)

# the report body is the core's; the handler and the OpenAPI document read it here
from coalition.impact.schemas import (  # noqa: F401
    MAX_BRANCH_ID,
    POSTCODE,
    BranchRef,
    ReportSchema,
)
from coalition.paging import PageQuerySchema, page_schema
from coalition.programmes.schemas import ProgrammeSchema


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


ProgrammePageSchema = page_schema(
    "ProgrammePageSchema", ProgrammeSchema, "A page of the organisation's programmes."
)


class ProgrammeQuerySchema(PageQuerySchema):
    """Query parameters of `GET /programmes`."""

    class Meta:
        unknown = EXCLUDE

    modified_after = fields.AwareDateTime(
        metadata={"description": "Only programmes changed after this time (ISO 8601 with zone)."}
    )


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

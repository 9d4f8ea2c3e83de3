"""The machine API's OpenAPI 3.1 document, generated from the marshmallow schemas (apispec).

Paths are declared here, next to the schemas they use; the views stay free of YAML. The
document is built once per application and served at /federation/v1/openapi.json.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from coalition.programmes.schemas import ProgrammeSchema
from federation.api.examples import REFERRAL_ANSWER_EXAMPLE, REFERRAL_EXAMPLE
from federation.api.idempotency import HEADER, TTL
from federation.api.models import MAX_KEY_LENGTH
from federation.api.openapi_rules import (
    PROGRAMME_LINKS,
    REFERRAL_LINKS,
    describe_cross_field_rules,
    state_what_the_validator_requires,
)
from federation.api.problems import EXTERNAL_ID, NO_SUCH_PROGRAMME
from federation.api.schemas import (
    MAX_BRANCH_ID,
    POSTCODE,
    BranchRef,
    ProblemSchema,
    ProgrammePageSchema,
    ProgrammeQuerySchema,
    ReportReceiptSchema,
    ReportSchema,
)
from federation.events.schemas import EventPageSchema, EventQuerySchema
from federation.oauth.scopes import offered_scope_descriptions
from federation.referrals.schemas import (
    MAX_PSEUDONYM,
    ReferralOutSchema,
    ReferralPageSchema,
    ReferralQuerySchema,
    ReferralSchema,
    TransitionSchema,
)

if TYPE_CHECKING:
    from apispec import APISpec

API_PREFIX = "/federation/v1"
PROBLEM = "application/problem+json"
#: the problems any authenticated call may answer
COMMON_PROBLEMS = {
    "401": "No valid access token in the Authorization header.",
    "403": "The token lacks the scope this call needs.",
    "429": "Too many calls by this client; retry after `Retry-After` seconds.",
}
IDEMPOTENCY_HEADER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Retry safely: the same key and body replay the first answer "
    f"({TTL.total_seconds() / 3600:g} h, per client); the same key with another body is 422.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[!-~]+$",
    },
}
EXTERNAL_ID_PARAMETER = {
    "name": "external_id",
    "in": "path",
    "required": True,
    "description": "Your own id of the programme.",
    "schema": {"type": "string", "pattern": f"^{EXTERNAL_ID.pattern}$", "maxLength": 100},
}


def _branch_ref(self: Any, field: Any, **kwargs: Any) -> dict[str, Any]:
    if isinstance(field, BranchRef):
        return {
            "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_BRANCH_ID},
                {"type": "string", "pattern": f"^{POSTCODE.pattern}$"},
            ]
        }
    return {}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _json_content(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": _json_content(schema)}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": _json_content(schema)}


def _operation(summary: str, scope: str, responses: dict[str, Any], **extra: Any) -> dict:
    answers = dict(responses)
    for status, description in COMMON_PROBLEMS.items():
        answers.setdefault(status, _problem(description))
    answers.setdefault("default", _problem("Any other error, as an RFC 9457 problem."))
    return {"summary": summary, "security": [{"oauth2": [scope]}], "responses": answers, **extra}


def _single_operation(spec: APISpec, route: str, *args: Any, **extra: Any) -> None:
    """Declare the one operation of a path; `route` is "method /path"."""
    method, path = route.split(" ")
    spec.path(path=path, operations={method: _operation(*args, **extra)})


def build_spec(public_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the machine API (apispec is loaded by its first request:
    a worker that never serves it does not hold it)."""
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Mentoring coalition — federation API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={
            "description": (
                "The machine API for member organisations' own systems. Authenticate with the "
                "OAuth 2 client-credentials grant (private_key_jwt or client_secret_basic) at "
                f"{public_url}/oauth/token and send the token as `Authorization: Bearer …`. "
                "Every call sees only your organisation's data. Errors are RFC 9457 problems "
                "(application/problem+json) with a JSON pointer to each invalid field. "
                "Integers are written without a fraction (`12`, not `12.0`, which JSON "
                "Schema's `integer` would allow)."
            )
        },
        servers=[{"url": API_PREFIX}],
    )
    plugin.converter.add_attribute_function(_branch_ref)
    spec.components.security_scheme(
        "oauth2",
        {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": f"{public_url}/oauth/token",
                    "scopes": offered_scope_descriptions(),
                }
            },
        },
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.schema("Programme", schema=ProgrammeSchema)
    spec.components.schema("ProgrammePage", schema=ProgrammePageSchema)
    spec.components.schema("Report", schema=ReportSchema)
    spec.components.schema("ReportReceipt", schema=ReportReceiptSchema)
    spec.components.schema("EventPage", schema=EventPageSchema)

    invalid = _problem("The body is invalid: see `errors` (one JSON pointer per field).")
    not_json = _problem("The body is not application/json.")
    bad_id = _problem("Invalid external id.")
    not_found = _problem(NO_SUCH_PROGRAMME)
    spec.path(
        path="/programmes/{external_id}",
        parameters=[EXTERNAL_ID_PARAMETER],
        operations={
            "put": _operation(
                "Create or replace a programme",
                "programmes:write",
                {
                    "200": _json("Programme", "Replaced.") | {"links": PROGRAMME_LINKS},
                    "201": _json("Programme", "Created.") | {"links": PROGRAMME_LINKS},
                    "400": _problem("Malformed JSON or an invalid external id."),
                    "415": not_json,
                    "422": invalid,
                },
                requestBody=_body("Programme"),
                operationId="putProgramme",
                description="Upsert by your own id, with the same validation as the editor's form. "
                "Omit `status` to keep the current one.",
            ),
            "get": _operation(
                "Read a programme",
                "programmes:write",
                {"200": _json("Programme", "The programme."), "400": bad_id, "404": not_found},
                operationId="getProgramme",
            ),
            "delete": _operation(
                "Archive a programme",
                "programmes:write",
                {
                    "204": {"description": "Archived (also when it already was)."},
                    "400": bad_id,
                    "404": not_found,
                },
                operationId="deleteProgramme",
            ),
        },
    )
    _single_operation(
        spec,
        "get /programmes",
        "List your programmes",
        "programmes:write",
        {
            "200": _json("ProgrammePage", "A page of programmes, least recently changed first."),
            "400": _problem("Invalid query parameters."),
        },
        parameters=[{"in": "query", "schema": ProgrammeQuerySchema}],
    )
    _single_operation(
        spec,
        "post /reports",
        "Report a branch's quarterly figures",
        "reports:write",
        {
            "200": _json("ReportReceipt", "Stored; it replaced figures sent earlier."),
            "201": _json("ReportReceipt", "Stored."),
            "400": _problem("Malformed JSON or an invalid Idempotency-Key."),
            "409": _problem("A request with this Idempotency-Key is still being answered."),
            "415": not_json,
            "422": _problem(
                "Invalid figures (see `errors`), or an Idempotency-Key reused with another body."
            ),
        },
        parameters=[IDEMPOTENCY_HEADER],
        requestBody=_body("Report"),
    )
    _single_operation(
        spec,
        "get /events",
        "Read your organisation's events",
        "events:read",
        {
            "200": _json("EventPage", "Events after the cursor, oldest first."),
            "400": _problem("Invalid query parameters (e.g. a cursor not from this feed)."),
        },
        parameters=[{"in": "query", "schema": EventQuerySchema}],
    )
    _referral_paths(spec, invalid, not_json)
    document = spec.to_dict()
    state_what_the_validator_requires(document["components"]["schemas"])
    describe_cross_field_rules(document["paths"])
    return document


REFERRAL_ID = {
    "name": "referral_id",
    "in": "path",
    "required": True,
    "description": "The referral's id (from its creation, the list or an event).",
    "schema": {"type": "string", "format": "uuid"},
}


def _example(content: dict[str, Any], example: Any) -> dict[str, Any]:
    for media in content["content"].values():
        media["example"] = example
    return content


def _referral_paths(spec: APISpec, invalid: dict[str, Any], not_json: dict[str, Any]) -> None:
    """The referral operations, with examples."""
    spec.components.schema("ReferralBody", schema=ReferralSchema)
    spec.components.schema("Referral", schema=ReferralOutSchema)
    spec.components.schema("ReferralPage", schema=ReferralPageSchema)
    spec.components.schema("Transition", schema=TransitionSchema)
    not_found = _problem("Your organisation sent or received no referral with this id.")
    spec.path(
        path="/referrals",
        operations={
            "post": _operation(
                "Send a referral",
                "referrals:write",
                {
                    "201": _example(
                        _json("Referral", "Sent; give `code` to the young person."),
                        REFERRAL_ANSWER_EXAMPLE,
                    )
                    | {"links": REFERRAL_LINKS},
                    "400": _problem("Malformed JSON or an invalid Idempotency-Key."),
                    "409": _problem(
                        "The same person referred to the same programme within "
                        "30 days, or the Idempotency-Key is still being answered."
                    ),
                    "415": not_json,
                    "422": _problem(
                        "Invalid fields, personal data in a text (the pointer names the field "
                        "and the kind of data, never the data), no consent record, or a "
                        "consent for another recipient."
                    ),
                },
                parameters=[IDEMPOTENCY_HEADER],
                requestBody=_example(_body("ReferralBody"), REFERRAL_EXAMPLE),
                description="The body is closed (unknown fields are refused). The postcode is "
                "reduced to its province (or Brussels) and the distance to the programme's "
                "nearest branch, then discarded. The receiver sees its own pseudonym for the "
                "person, never `subject_ref`.",
            ),
            "get": _operation(
                "List your referrals",
                "referrals:read",
                {
                    "200": _json(
                        "ReferralPage", "Newest first: `box=inbox` received, `box=outbox` sent."
                    ),
                    "400": _problem("Invalid query parameters."),
                },
                parameters=[{"in": "query", "schema": ReferralQuerySchema}],
            ),
        },
    )
    _single_operation(
        spec,
        "get /referrals/{referral_id}",
        "Read a referral and its timeline",
        "referrals:read",
        {
            "200": _example(_json("Referral", "The referral."), REFERRAL_ANSWER_EXAMPLE),
            "404": not_found,
        },
        parameters=[REFERRAL_ID],
        operationId="getReferral",
    )
    _single_operation(
        spec,
        "post /referrals/{referral_id}/transitions",
        "Move a referral (FHIR Task status codes)",
        "referrals:write",
        {
            "200": _example(
                _json("Referral", "The referral with its new status."),
                {**REFERRAL_ANSWER_EXAMPLE, "status": "accepted", "box": "inbox"},
            ),
            "403": _problem("The move belongs to the other side (or the token lacks the scope)."),
            "404": not_found,
            "409": _problem("Not a legal move from the current status."),
            "415": not_json,
            "422": _problem("A reason or outcome that does not fit the move."),
        },
        parameters=[REFERRAL_ID, IDEMPOTENCY_HEADER],
        operationId="moveReferral",
        requestBody=_example(_body("Transition"), {"status": "rejected", "reason": "no_capacity"}),
        description="The receiver sets accepted, rejected (reason: no_capacity, not_eligible, "
        "not_reachable, other), in-progress, on-hold, completed (outcome: job, training, "
        "internship, volunteering) and failed (outcome: dropped_out, not_reached); the sender "
        "sets cancelled (reason consent_withdrawn purges the content at once). Both sides "
        "get `referral.status_changed`.",
    )
    _single_operation(
        spec,
        "delete /referral-subjects/{subject_ref}",
        "Erase everything about one young person",
        "referrals:write",
        {
            "204": {
                "description": "Every referral you sent about this person is deleted, on "
                "both sides (also when there was none)."
            },
            "400": _problem("Invalid subject_ref."),
        },
        parameters=[
            {
                "name": "subject_ref",
                "in": "path",
                "required": True,
                "description": "Your own pseudonym for the person (no control characters).",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_PSEUDONYM,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]+$",
                },
            }
        ],
    )


def openapi_document(app: Flask | None = None) -> dict[str, Any]:
    """The document for this application (built once)."""
    app = app or current_app._get_current_object()
    document = app.extensions.get("federation_openapi")
    if document is None:
        document = app.extensions["federation_openapi"] = build_spec(app.config["PUBLIC_URL"])
    return document

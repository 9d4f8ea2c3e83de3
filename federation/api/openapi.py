"""The machine API's OpenAPI 3.1 document, generated from the marshmallow schemas (apispec).

Paths are declared here, next to the schemas they use; the views stay free of YAML. The
document is built once per application and served at /federation/v1/openapi.json.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app

from coalition.programmes.schemas import ProgrammeSchema
from federation.api.idempotency import HEADER, TTL
from federation.api.models import MAX_KEY_LENGTH
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
    """The OpenAPI 3.1 document of the machine API."""
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
                "(application/problem+json) with a JSON pointer to each invalid field."
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
    document = spec.to_dict()
    _state_what_the_validator_requires(document["components"]["schemas"])
    return document


def _state_what_the_validator_requires(schemas: dict[str, Any]) -> None:
    """Rules of the schemas that apispec does not carry into the document: a way to apply
    (at least one of url, e-mail, phone, not null)."""
    apply = schemas["Apply"]
    apply["minProperties"] = 1
    apply["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
        for name in ("url", "email", "phone")
    ]


#: the operations on the programme a PUT answered, reached with its `external_id` (OpenAPI
#: links: stateful tests and generated clients follow them)
PROGRAMME_LINKS = {
    name: {
        "operationId": operation,
        "parameters": {"external_id": "$request.path.external_id"},
        "description": description,
    }
    for name, operation, description in (
        ("GetProgramme", "getProgramme", "Read the programme just written."),
        ("DeleteProgramme", "deleteProgramme", "Archive the programme just written."),
    )
}


def openapi_document(app: Flask | None = None) -> dict[str, Any]:
    """The document for this application (built once)."""
    app = app or current_app._get_current_object()
    document = app.extensions.get("federation_openapi")
    if document is None:
        document = app.extensions["federation_openapi"] = build_spec(app.config["PUBLIC_URL"])
    return document

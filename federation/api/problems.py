"""Reading a machine-API request, and the RFC 9457 problems that refuse it: a body that is
not JSON (415, 400), invalid fields (422, one JSON pointer each), invalid query or path
parameters (400, one entry each)."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from coalition.errors import error_pointers, problem

#: the organisation's own programme id: what member systems put in the URL
EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:~-]{0,99}")
JSON_TYPES = ("application/json",)
#: the detail of a 404 for a programme id: none of the caller's (another organisation's is not told)
NO_SUCH_PROGRAMME = "Your organisation has no programme with this id."


def no_such_programme() -> str:
    """`NO_SUCH_PROGRAMME` in the request's language."""
    return _("Your organisation has no programme with this id.")


def json_body() -> Any:
    """The request's JSON document.

    :raise HTTPException: 415 when it is not JSON, 400 when it is malformed.
    """
    if request.mimetype not in JSON_TYPES:
        abort(
            problem(
                415,
                _("Unsupported Media Type"),
                _("Send the body as application/json."),
                headers={"Accept-Post": "application/json"},
            )
        )

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(request.get_data(cache=True), parse_constant=refuse_constant)
    except (ValueError, UnicodeDecodeError) as error:
        abort(
            problem(
                400,
                _("Malformed JSON"),
                _("The body is not valid JSON: %(error)s", error=str(error)[:150]),
            )
        )


def invalid_body(error: ValidationError, title: str | None = None) -> Response:
    """422 with one pointer per invalid field."""
    return problem(
        422,
        title or _("Invalid body"),
        _("Some fields are invalid; see errors."),
        errors=error_pointers(error.messages),
    )


def invalid_field(title: str, pointer: str, detail: str) -> Response:
    """422 for one field the schema let through but the service refused."""
    return problem(422, title, detail, errors=[{"pointer": pointer, "detail": detail}])


def query_args(schema: Schema) -> dict[str, Any]:
    """The validated query string.

    :raise HTTPException: 400 naming each invalid parameter.
    """
    try:
        return schema.load(request.args.to_dict(flat=True))
    except ValidationError as error:
        errors = [
            {"parameter": str(name), "detail": "; ".join(map(str, messages))}
            for name, messages in error.normalized_messages().items()
        ]
        abort(problem(400, _("Invalid query parameters"), errors=errors))


def checked_external_id(external_id: str) -> str:
    """The path's external id, if well-formed.

    :raise HTTPException: 400 otherwise.
    """
    if not EXTERNAL_ID.fullmatch(external_id):
        abort(
            problem(
                400,
                _("Invalid external id"),
                _("Use 1 to 100 letters, digits and . _ : ~ - (starting with a letter or digit)."),
                errors=[{"parameter": "external_id", "detail": _("Invalid.")}],
            )
        )
    return external_id

"""The one boundary every request crosses before a view reads it (issue 9).

Here, once for every page and API: no control character (NUL and the like; tab and line
breaks are text) in a path segment, a query parameter, a form field or a JSON string;
no parameter repeated more than `MAX_REPEATS` times and no query value longer than
`MAX_QUERY_VALUE` (a search text: `MAX_SEARCH_TEXT`); no JSON document nested deeper
than `MAX_JSON_DEPTH`, checked before it is parsed. A refused path or query answers 400
naming the parameter (an HTML page, or a problem document under the APIs); a JSON string
answers 422 with its JSON pointer.

A form field is different: its page should show the message beside the field. So its
control characters are removed here and the field is noted; every form of the platform
(`coalition.forms.Form`) then refuses the noted fields beside them. A field no form reads
is simply used without them.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Request, abort, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict

from coalition.errors import problem, render_error, wants_problem_json
from coalition.validation import CONTROL_CHARS

#: most values of one query parameter (a taxonomy's codes fit many times over)
MAX_REPEATS = 30
#: longest value of one query parameter (cursors, `next` addresses, tokens refused later)
MAX_QUERY_VALUE = 1000
#: longest search text: the search pages repeat it in every filter link
MAX_SEARCH_TEXT = 200
#: the query parameters that hold a search text (the pages' and APIs' `q`, HSDS `search`)
SEARCH_TEXT_PARAMETERS = frozenset({"q", "search"})
#: deepest nesting of arrays and objects in a JSON body (the API's bodies need 4)
MAX_JSON_DEPTH = 32
#: the largest id a row can have (a 64-bit signed integer)
MAX_ID = 2**63 - 1
#: the `g` attribute naming the form fields whose control characters were removed
REFUSED_FIELDS = "fields_with_control_characters"
#: JSON escapes that stand for a control character (a raw one is not valid JSON)
_CONTROL_ESCAPES = (b"\\u00", b"\\b", b"\\f", b"\x7f")


def json_depth_exceeds(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `data` opens more than `limit` arrays or objects inside each other.

    A linear scan of the bytes, outside strings: nothing is parsed, so a thousand nested
    arrays cost nothing (the parser would recurse once per level).
    """
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _pointer_escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def control_character_pointers(document: Any, pointer: str = "") -> list[str]:
    """The JSON pointers of the strings (and object keys) of `document` holding a control
    character."""
    found: list[str] = []
    if isinstance(document, str):
        if CONTROL_CHARS.search(document):
            found.append(pointer or "/")
    elif isinstance(document, dict):
        for key, value in document.items():
            child = f"{pointer}/{_pointer_escape(key)}"
            if CONTROL_CHARS.search(str(key)):
                found.append(child)
            found += control_character_pointers(value, child)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += control_character_pointers(value, f"{pointer}/{index}")
    return found


def _refuse_parameter(name: str, detail: str) -> None:
    """Answer 400 naming the path or query parameter `name`."""
    g.query_refused = True
    if wants_problem_json() or request.is_json:
        abort(
            problem(
                400,
                _("Invalid parameter"),
                f"{name}: {detail}",
                # `parameter` as the machine API names it, `pointer` as HSDS does
                errors=[{"parameter": name, "pointer": f"/{name}", "detail": detail}],
            )
        )
    body, status = render_error(400, _("“%(name)s”: %(detail)s", name=name, detail=detail))
    abort(Flask.response_class(body, status=status, mimetype="text/html"))


def _check_path(current: Request) -> None:
    for name, value in (current.view_args or {}).items():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            abort(404)  # no row has that id (and SQLite cannot even compare with it)
        if isinstance(value, str) and CONTROL_CHARS.search(value):
            _refuse_parameter(name, _("Control characters are not allowed."))
    if CONTROL_CHARS.search(current.path):
        _refuse_parameter("path", _("Control characters are not allowed."))


def _check_query(current: Request) -> None:
    if not current.query_string:
        return
    for name, values in current.args.lists():
        if CONTROL_CHARS.search(name):
            _refuse_parameter(name, _("Control characters are not allowed."))
        if len(values) > MAX_REPEATS:
            _refuse_parameter(
                name, _("Give at most %(max)s values of this parameter.", max=MAX_REPEATS)
            )
        for value in values:
            if CONTROL_CHARS.search(value):
                _refuse_parameter(name, _("Control characters are not allowed."))
            longest = MAX_SEARCH_TEXT if name in SEARCH_TEXT_PARAMETERS else MAX_QUERY_VALUE
            if len(value) > longest:
                _refuse_parameter(name, _("At most %(max)s characters.", max=longest))


def _check_form() -> None:
    """Remove control characters from the form's fields, noting the fields (see above)."""
    form = request.form
    refused = {name for name, value in form.items(multi=True) if CONTROL_CHARS.search(value)}
    if not refused:
        return
    setattr(g, REFUSED_FIELDS, refused)
    request.form = ImmutableMultiDict(
        [(name, CONTROL_CHARS.sub("", value)) for name, value in form.items(multi=True)]
    )


def _check_json() -> None:
    data = request.get_data(cache=True)
    if not data:
        return
    if json_depth_exceeds(data):
        abort(
            problem(
                400,
                _("JSON nested too deeply"),
                _("Nest arrays and objects at most %(max)s levels deep.", max=MAX_JSON_DEPTH),
            )
        )
    if not any(escape in data for escape in _CONTROL_ESCAPES):
        return  # no control character can hide in it: no need to parse it here
    try:
        document = json.loads(data)
    except ValueError:
        return  # malformed: the view refuses it with its own words
    pointers = control_character_pointers(document)
    if pointers:
        detail = _("Control characters are not allowed.")
        abort(
            problem(
                422,
                _("Invalid body"),
                _("Some fields are invalid; see errors."),
                errors=[{"pointer": pointer, "detail": detail} for pointer in pointers],
            )
        )


def check_request() -> None:
    """Refuse (or, in form fields, remove and note) what no view should ever see."""
    current = request._get_current_object()  # one lookup for every check
    _check_path(current)
    _check_query(current)
    if current.method in ("GET", "HEAD", "OPTIONS"):
        return
    if current.is_json:
        _check_json()
    elif current.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_form()


def init_boundary(app: Flask) -> None:
    """Check every request at the boundary before any view (and after the signed-in user
    is known, so that error pages show the usual header)."""
    app.before_request(check_request)

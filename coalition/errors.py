"""Error responses: HTML pages in the visitor's language, RFC 9457 problems for the APIs,
and the JSON pointers of invalid fields that both show beside the field."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(ValueError):
    """What a user entered breaks a rule; `field` names the form field to show it beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """An `application/problem+json` response (RFC 9457).

    :param errors: one entry per invalid field: ``{"pointer": "/title/fr", "detail": "..."}``
    """
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _builtin_messages() -> dict[str, str]:
    """marshmallow's own messages, in the request's language."""
    return {
        "Missing data for required field.": _("This field is required."),
        "Unknown field.": _("Unknown field."),
        "Field may not be null.": _("This field cannot be empty."),
        "Not a valid integer.": _("Enter a whole number."),
        "Not a valid number.": _("Enter a number."),
        "Not a valid string.": _("Not a valid text."),
        "Not a valid list.": _("Expected a list."),
        "Not a valid date.": _("Enter a date as YYYY-MM-DD."),
        "Invalid input type.": _("Expected an object."),
        "Invalid value.": _("Invalid value."),
        "Not a valid UUID.": _("Not a valid UUID."),
        "Not a valid datetime.": _("Not a valid datetime."),
        "Not a valid aware datetime.": _("Not a valid aware datetime."),
        "Special numeric values (nan or infinity) are not permitted.": _("Enter a number."),
    }


def N_(message: str) -> str:
    """Mark `message` for the catalogues (Babel's `N_` keyword) without translating it."""
    return message


#: marshmallow's messages that carry values (a length — of a text or of a list —, the
#: choices, a range), as marshmallow writes them: each is also its own catalogue id
_WITH_VALUES = (
    N_("Length must be between %(min)s and %(max)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Length must be %(equal)s."),
    N_("Must be one of: %(choices)s."),
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be less than or equal to %(max)s."),
)
#: a placeholder of an escaped message (`re.escape` turns `%(min)s` into `%\(min\)s`)
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def _filled(message: str) -> re.Pattern[str]:
    """What `message` reads once marshmallow filled it in: a value is one word (a number),
    the choices any text."""

    def value(match: re.Match[str]) -> str:
        return f"(?P<{match[1]}>" + (".+" if match[1] == "choices" else r"\S+") + ")"

    return re.compile(_PLACEHOLDER.sub(value, re.escape(message)))


_FORMATTED = tuple((_filled(message), message) for message in _WITH_VALUES)


def _formatted_message(text: str) -> str | None:
    """One of marshmallow's messages with values in the request's language; None for any
    other text."""
    for pattern, message in _FORMATTED:
        if match := pattern.fullmatch(text):
            return _(message, **match.groupdict())
    return None


def translated_message(text: str, builtin: dict[str, str] | None = None) -> str:
    """A validation message in the request's language: marshmallow's own (English) ones
    translated, ours (already translated) as they are."""
    builtin = _builtin_messages() if builtin is None else builtin
    return builtin.get(text) or _formatted_message(text) or text


def _escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def error_pointers(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten marshmallow's error messages into ``[{"pointer": "/title/fr", "detail": …}]``.

    Schema-level messages (``_schema``) point at their parent object.
    """
    builtin = _builtin_messages()
    found: list[dict[str, str]] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, pointer if key == "_schema" else f"{pointer}/{_escape(key)}")
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item, pointer)
        else:
            found.append(
                {"pointer": pointer or "/", "detail": translated_message(str(node), builtin)}
            )

    walk(messages, prefix)
    return found


def answer_with_problems(app: Flask, blueprint: Blueprint) -> None:
    """Have every error under `blueprint` (and under its URLs, matched or not) be a problem."""
    app.extensions.setdefault("problem_blueprints", set()).add(blueprint.name)
    app.extensions.pop("problem_prefixes", None)


def problem_prefixes() -> tuple[str, ...]:
    """The URL folders of the problem blueprints' routes, read once from the URL map.

    A request that no blueprint's route matched is a problem when its path lies in a folder
    where a problem blueprint has a route (`/federation/v1/nothing-here`).
    """
    app = current_app
    prefixes = app.extensions.get("problem_prefixes")
    if prefixes is None:
        names = app.extensions.get("problem_blueprints", set())
        folders = {
            rule.rule.split("<", 1)[0].rsplit("/", 1)[0] + "/"
            for rule in app.url_map.iter_rules()
            if rule.endpoint.rpartition(".")[0] in names
        }
        prefixes = app.extensions["problem_prefixes"] = tuple(f for f in folders if f != "/")
    return prefixes


def wants_problem_json() -> bool:
    """True where errors are answered as `application/problem+json` rather than HTML."""
    names = current_app.extensions.get("problem_blueprints", set())
    if request.blueprint is not None:
        return any(name in names for name in request.blueprints)
    return request.path.startswith(problem_prefixes())


def _page_titles() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please check what you entered."),
        ),
        403: (_("Access denied"), _("You do not have access to this page.")),
        404: (_("Page not found"), _("This page does not exist or is no longer available.")),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many requests"), _("Too many attempts. Please wait a moment and try again.")),
        500: (
            _("Something went wrong"),
            _("An unexpected error occurred. It has been logged; please try again later."),
        ),
    }


def _problem_titles() -> dict[int, str]:
    """The titles of HTTP errors answered as problems, in the request's language."""
    return {
        400: _("Bad Request"),
        401: _("Unauthorized"),
        403: _("Forbidden"),
        404: _("Not Found"),
        405: _("Method Not Allowed"),
        409: _("Conflict"),
        413: _("Content Too Large"),
        415: _("Unsupported Media Type"),
        422: _("Unprocessable Content"),
        429: _("Too Many Requests"),
        500: _("Internal Server Error"),
        503: _("Service Unavailable"),
    }


def http_problem(error: HTTPException, headers: dict[str, str] | None = None) -> Response:
    """An HTTP error as a problem in one language: werkzeug's own English words are
    replaced by the platform's translated ones; a view's own description is kept."""
    status = error.code or 500
    title = _problem_titles().get(status, error.name)
    detail = None
    if status < 500:
        if error.description != type(error).description:
            detail = error.description
        elif status in _page_titles():
            detail = _page_titles()[status][1]
    return problem(status, title, detail, headers=headers)


def render_error(status: int, description: str | None = None) -> tuple[str, int]:
    titles = _page_titles()
    title, default_text = titles.get(status, titles[500] if status >= 500 else titles[400])
    return render_template(
        "coalition/error.html", status=status, title=title, text=description or default_text
    ), status


def init_error_handlers(app: Flask) -> None:
    """Answer every error without a stack trace: an HTML page or a problem document."""

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        if wants_problem_json():
            return problem(400, _("CSRF token missing or invalid"))
        return render_error(
            400,
            _(
                "Your form expired or was sent from elsewhere. "
                "Please reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        headers = {}
        if status == 429 and getattr(error, "retry_after", None) is None:
            retry_after = getattr(error, "limit", None)
            headers["Retry-After"] = (
                "60" if retry_after is None else str(max(1, int(retry_after.limit.get_expiry())))
            )
        if status == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if wants_problem_json():
            response = http_problem(error, headers)
        else:
            body, _status = render_error(status)
            response = app.make_response((body, status, headers))
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # The route's rule, not the path: a path may hold a token (invitation links).
        rule = request.url_rule.rule if request.url_rule else "-"
        log.exception("Unhandled error on %s %s", request.method, rule)
        if wants_problem_json():
            return problem(500, _problem_titles()[500])
        return render_error(500)

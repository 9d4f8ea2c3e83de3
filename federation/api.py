"""The machine API for member systems, under /federation/v1 (JSON, OAuth 2 bearer tokens).

Every call is confined to the token's organisation: another organisation's object is
answered 404 exactly like one that does not exist. Views are thin: they parse, call one
service and dump a schema; `finish_call` commits the work with its audit entry, once.
Errors are RFC 9457 problems with JSON pointers.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request, url_for
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from coalition.errors import problem
from coalition.extensions import csrf, db, limiter
from coalition.models import Programme
from coalition.schemas import ProgrammeSchema, error_pointers
from coalition.services.audit import record
from coalition.services.impact import find_branch, submit_report
from coalition.services.programmes import (
    ProgrammeStateError,
    archive_programme,
    get_by_external_id,
    upsert_programme,
)
from federation import unit_of_work
from federation.api_schemas import (
    EventPageSchema,
    EventQuerySchema,
    ProgrammePageSchema,
    ProgrammeQuerySchema,
    ReportReceiptSchema,
    ReportSchema,
)
from federation.events import (
    START,
    decode_cursor,
    encode_cursor,
    list_events,
    record_event,
    resolve_position,
)
from federation.idempotency import idempotent
from federation.oauth2 import current_token, require_oauth

log = logging.getLogger(__name__)

bp = Blueprint("federation_api", __name__)
csrf.exempt(bp)

#: one instance for every call: building a schema costs more than dumping with it
_PROGRAMME_SCHEMA = ProgrammeSchema()
#: the organisation's own programme id: what member systems put in the URL
EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:~-]{0,99}")
JSON_TYPES = ("application/json",)


# --- the pieces every endpoint shares ---------------------------------------------------------


def _client_key() -> str:
    return "federation-client:" + current_token().client_id


def _rate_limit() -> str:
    return current_app.config["FEDERATION_RATE_LIMIT"]


#: one budget per client over the whole API, checked after the token (so keyed by client)
_client_limit = limiter.shared_limit(_rate_limit, scope="federation-api", key_func=_client_key)


def endpoint(scope: str, *, post: bool = False) -> Callable:
    """Protect a view: the token with `scope`, the client's rate limit, and for a POST
    the `Idempotency-Key` handling."""

    def decorator(view: Callable) -> Callable:
        wrapped = view
        if post:
            wrapped = idempotent(lambda: current_token().client_id)(wrapped)
        wrapped = _client_limit(wrapped)
        wrapped = require_oauth(scope)(wrapped)
        return wraps(view)(wrapped)

    return decorator


def json_body() -> Any:
    """The request's JSON document.

    :raise HTTPException: 415 when it is not JSON, 400 when it is malformed.
    """
    if request.mimetype not in JSON_TYPES:
        abort(
            problem(
                415,
                "Unsupported Media Type",
                "Send the body as application/json.",
                headers={"Accept-Post": "application/json"},
            )
        )

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(request.get_data(cache=True), parse_constant=refuse_constant)
    except (ValueError, UnicodeDecodeError) as error:
        abort(problem(400, "Malformed JSON", f"The body is not valid JSON: {error}"[:200]))


def invalid_body(error: ValidationError, title: str = "Invalid body") -> Response:
    """422 with one pointer per invalid field."""
    return problem(
        422, title, "Some fields are invalid; see errors.", errors=error_pointers(error.messages)
    )


def query_args(schema: Any) -> dict[str, Any]:
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
        abort(problem(400, "Invalid query parameters", errors=errors))


def checked_external_id(external_id: str) -> str:
    """The path's external id, if well-formed.

    :raise HTTPException: 400 otherwise.
    """
    if not EXTERNAL_ID.fullmatch(external_id):
        abort(
            problem(
                400,
                "Invalid external id",
                "Use 1 to 100 letters, digits and . _ : ~ - (starting with a letter or digit).",
                errors=[{"parameter": "external_id", "detail": "Invalid."}],
            )
        )
    return external_id


def _own_programme(external_id: str) -> Programme:
    programme = get_by_external_id(current_token().organisation, checked_external_id(external_id))
    if programme is None:
        abort(problem(404, "Not Found", "Your organisation has no programme with this id."))
    return programme


@bp.before_request
def watch_flushes() -> None:
    unit_of_work.start()


@bp.after_request
def finish_call(response: Response) -> Response:
    """Commit the call's work together with its audit entry: one commit per request.

    The audit entry names the client, organisation, route and status; never a body or a
    token. A refused call's work is discarded first. Unauthenticated calls are refused
    before any work and only logged: recording them would let anyone fill the audit log.
    """
    if not db.session.is_active:  # a failed flush: the transaction is lost anyway
        db.session.rollback()
    elif response.status_code >= 400:
        unit_of_work.discard_failed_work()
    token = g.get("federation_token")
    if token is None:
        log.info(
            "federation call refused: %s %s -> %s",
            request.method,
            request.path,
            response.status_code,
        )
        return response
    try:
        record(
            "api.call",
            client_id=token.client_id,
            organisation=token.organisation_id,
            route=request.url_rule.rule if request.url_rule else request.path,
            method=request.method,
            status=response.status_code,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not commit the API call %s %s", request.method, request.path)
        if response.status_code < 400:  # the work is lost: never answer success
            return problem(500, "Internal Server Error")
    return response


# --- programmes -------------------------------------------------------------------------------


@bp.put("/programmes/<external_id>")
@endpoint("programmes:write")
def put_programme(external_id: str):
    """Create or replace the programme the organisation knows as `external_id`."""
    external_id = checked_external_id(external_id)
    body = json_body()
    token = current_token()
    try:
        programme, created = upsert_programme(
            token.organisation, external_id, body, client_id=token.client_id
        )
    except ValidationError as error:
        return invalid_body(error, "Invalid programme")
    except ProgrammeStateError as error:
        return problem(
            422,
            "Invalid status change",
            error.message,
            errors=[{"pointer": error.pointer, "detail": error.message}],
        )
    response = jsonify(_PROGRAMME_SCHEMA.dump(programme))
    response.status_code = 201 if created else 200
    if created:
        response.headers["Location"] = url_for(".get_programme", external_id=external_id)
    return response


@bp.get("/programmes/<external_id>")
@endpoint("programmes:write")
def get_programme(external_id: str):
    """One of the organisation's programmes."""
    return jsonify(_PROGRAMME_SCHEMA.dump(_own_programme(external_id)))


@bp.delete("/programmes/<external_id>")
@endpoint("programmes:write")
def delete_programme(external_id: str):
    """Archive the programme: it leaves the directory; its history stays."""
    token = current_token()
    archive_programme(_own_programme(external_id), client_id=token.client_id)
    return Response(status=204)


@bp.get("/programmes")
@endpoint("programmes:write")
def list_programmes():
    """The organisation's programmes, least recently changed first, page by page."""
    args = query_args(ProgrammeQuerySchema())
    page, per_page = args["page"], args["per_page"]
    conditions = [Programme.organisation_id == current_token().organisation_id]
    if "modified_after" in args:
        conditions.append(Programme.updated_at > args["modified_after"])
    total = db.session.scalar(select(func.count()).select_from(Programme).where(*conditions))
    items = (
        db.session.execute(
            select(Programme)
            .where(*conditions)
            .order_by(Programme.updated_at, Programme.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        .scalars()
        .all()
    )

    def link(number: int) -> str:
        params = {"page": number, "per_page": per_page}
        if "modified_after" in request.args:
            params["modified_after"] = request.args["modified_after"]
        return url_for(".list_programmes", _external=True, **params)

    return jsonify(
        ProgrammePageSchema().dump(
            {
                "items": items,
                "page": page,
                "per_page": per_page,
                "total_items": total,
                "next": link(page + 1) if page * per_page < total else None,
                "prev": link(page - 1) if page > 1 else None,
            }
        )
    )


# --- impact reports ---------------------------------------------------------------------------


@bp.post("/reports")
@endpoint("reports:write", post=True)
def post_report():
    """A branch's quarterly figures; a second report for the same quarter replaces the first."""
    body = json_body()
    try:
        data = ReportSchema().load(body)
    except ValidationError as error:
        return invalid_body(error, "Invalid report")
    token = current_token()
    organisation = token.organisation
    branch = find_branch(organisation, data["branch"])
    if branch is None:
        detail = (
            "Your organisation has no branch with this id or postcode (if several share "
            "the postcode, give the id)."
        )
        return problem(
            422, "Invalid report", detail, errors=[{"pointer": "/branch", "detail": detail}]
        )
    report, replaced = submit_report(
        organisation, branch, data["year"], data["quarter"], data, client_id=token.client_id
    )
    record_event(
        organisation.id,
        "report.received",
        {
            "report_id": report.id,
            "branch_id": branch.id,
            "year": report.year,
            "quarter": report.quarter,
            "replaced": replaced,
        },
    )
    receipt = ReportReceiptSchema().dump(
        {
            **{
                name: getattr(report, name)
                for name in ReportReceiptSchema._declared_fields
                if name not in ("branch", "replaced")
            },
            "branch": branch,
            "replaced": replaced,
        }
    )
    response = jsonify(receipt)
    response.status_code = 200 if replaced else 201
    return response


# --- events -----------------------------------------------------------------------------------


@bp.get("/events")
@endpoint("events:read")
def get_events():
    """The organisation's events after a cursor, oldest first."""
    args = query_args(EventQuerySchema())
    organisation_id = current_token().organisation_id
    after = START
    if args.get("after"):
        try:
            after = resolve_position(organisation_id, decode_cursor(args["after"]))
        except ValueError:
            abort(
                problem(
                    400,
                    "Invalid query parameters",
                    errors=[{"parameter": "after", "detail": "Not a cursor from this feed."}],
                )
            )
    limit = args["limit"]
    events = list_events(organisation_id, after, limit + 1)
    page = events[:limit]
    next_cursor = encode_cursor(page[-1]) if page else args.get("after") or None
    return jsonify(
        EventPageSchema().dump(
            {"events": page, "next_cursor": next_cursor, "has_more": len(events) > limit}
        )
    )


# --- the description of the API ---------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document (public: it holds no data)."""
    from federation.openapi import openapi_document

    response = jsonify(openapi_document())
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response


@bp.get("/docs")
def docs():
    """The API's documentation as a page, rendered here from the OpenAPI document."""
    from flask import render_template

    from federation.openapi import openapi_document

    return render_template("federation/api_docs.html", spec=openapi_document())


def init_api(app: Flask) -> None:
    """Mount the machine API, subscribe the event feed to the core, register the jobs."""
    from coalition import outbox, worker
    from coalition.errors import answer_with_problems
    from federation.events import connect_signals
    from federation.idempotency import purge_expired
    from federation.webhooks import WebhookDelivery, deliver_due

    app.register_blueprint(bp, url_prefix="/federation/v1")
    answer_with_problems(app, bp)
    connect_signals()
    outbox.watch(WebhookDelivery)
    worker.register_job("webhook-deliveries", deliver_due, interval=5.0)
    worker.register_job("idempotency-purge", purge_expired, interval=3600.0, on_wake=False)

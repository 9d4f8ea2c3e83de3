"""The machine API for member systems, under /federation/v1 (JSON, OAuth 2 bearer tokens).

Every call is confined to the token's organisation: another organisation's object is
answered 404 exactly like one that does not exist. Handlers are thin: they parse, call one
service and dump a schema; `unit_of_work.finish` commits the work with its audit entry,
once. Errors are RFC 9457 problems with JSON pointers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from marshmallow import ValidationError

from coalition.errors import problem
from coalition.extensions import csrf, limiter
from coalition.paging import Page
from coalition.programmes.models import Programme
from coalition.programmes.schemas import ProgrammeSchema
from coalition.programmes.services import (
    ProgrammeStateError,
    archive_programme,
    get_by_external_id,
    upsert_programme,
)
from federation.api import services, unit_of_work
from federation.api.idempotency import idempotent
from federation.api.openapi import openapi_document
from federation.api.problems import (
    checked_external_id,
    invalid_body,
    invalid_field,
    json_body,
    no_such_programme,
    query_args,
)
from federation.api.schemas import (
    ProgrammePageSchema,
    ProgrammeQuerySchema,
    ReportReceiptSchema,
    ReportSchema,
)
from federation.events.schemas import EventPageSchema, EventQuerySchema
from federation.events.services import read_feed
from federation.oauth.tokens import current_token, require_oauth
from federation.referrals import housekeeping
from federation.referrals import services as referrals
from federation.referrals.schemas import (
    MAX_PSEUDONYM,
    ReferralOutSchema,
    ReferralQuerySchema,
    ReferralSchema,
    TransitionSchema,
)
from federation.referrals.states import Side, TransitionRefused

bp = Blueprint("federation_api", __name__)
csrf.exempt(bp)
bp.before_request(unit_of_work.start)
bp.after_request(unit_of_work.finish)

#: one instance for every call: building a schema costs more than dumping with it
_PROGRAMME_SCHEMA = ProgrammeSchema()
_REFERRAL_SCHEMA = ReferralSchema()
_REFERRAL_OUT = {side: ReferralOutSchema(side) for side in Side}


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


def _own_programme(external_id: str) -> Programme:
    programme = get_by_external_id(current_token().organisation, checked_external_id(external_id))
    if programme is None:
        abort(problem(404, _("Not Found"), no_such_programme()))
    return programme


def _page_links(page: Page, view: str, **params: str) -> dict[str, str | None]:
    """URLs of the next and previous pages (None where there is none)."""

    def link(number: int) -> str:
        query = {"page": number, "per_page": page.per_page, **params}
        return url_for(view, _external=True, **query)

    return {
        "next": link(page.page + 1) if page.has_next else None,
        "prev": link(page.page - 1) if page.has_prev else None,
    }


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
        return invalid_body(error, _("Invalid programme"))
    except ProgrammeStateError as error:
        return invalid_field(_("Invalid status change"), error.pointer, error.message)
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
    page = services.list_programmes(current_token().organisation_id, **args)
    # the next and previous pages keep the filter as the caller wrote it
    kept = {name: request.args[name] for name in ("modified_after",) if name in request.args}
    return jsonify(
        ProgrammePageSchema().dump(
            {
                "items": page.items,
                "page": page.page,
                "per_page": page.per_page,
                "total_items": page.total,
                **_page_links(page, ".list_programmes", **kept),
            }
        )
    )


# --- impact reports ---------------------------------------------------------------------------


@bp.post("/reports")
@endpoint("reports:write", post=True)
def post_report():
    """A branch's quarterly figures; a second report for the same quarter replaces the first."""
    try:
        data = ReportSchema().load(json_body())
    except ValidationError as error:
        return invalid_body(error, _("Invalid report"))
    token = current_token()
    try:
        receipt = services.receive_report(token.organisation, data, client_id=token.client_id)
    except services.UnknownBranch as error:
        return invalid_field(_("Invalid report"), error.pointer, error.message)
    response = jsonify(ReportReceiptSchema().dump(receipt))
    response.status_code = 200 if receipt.replaced else 201
    return response


# --- referrals ------------------------------------------------------------------------------

#: the detail of a 404 for a referral id: none the caller sent or received
NO_SUCH_REFERRAL = "Your organisation sent or received no referral with this id."


def _referral_answer(referral, status: int = 200) -> Response:
    side = referral.side_of(current_token().organisation_id)
    response = jsonify(_REFERRAL_OUT[side].dump(referral))
    response.status_code = status
    return response


def _visible_referral(referral_id: str):
    try:
        referral_uuid = uuid.UUID(referral_id)
    except ValueError:
        referral_uuid = None
    referral = referral_uuid and referrals.visible_referral(
        current_token().organisation_id, referral_uuid
    )
    if not referral:
        abort(problem(404, "Not Found", NO_SUCH_REFERRAL))
    return referral


@bp.post("/referrals")
@endpoint("referrals:write", post=True)
def post_referral():
    """Send a referral: the young person's needs, never who they are."""
    try:
        data = _REFERRAL_SCHEMA.load(json_body())
    except ValidationError as error:
        return invalid_body(error, "Invalid referral")
    token = current_token()
    try:
        referral = referrals.send_referral(token.organisation, data, client_id=token.client_id)
    except referrals.ReferralRefused as error:
        if error.pointer is None:
            return problem(error.status, "Already referred", error.message)
        return invalid_field("Invalid referral", error.pointer, error.message)
    response = _referral_answer(referral, 201)
    response.headers["Location"] = url_for(".get_referral", referral_id=referral.uuid)
    return response


@bp.get("/referrals")
@endpoint("referrals:read")
def list_referrals():
    """The referrals the organisation received (`box=inbox`) or sent (`box=outbox`)."""
    args = query_args(ReferralQuerySchema())
    page = referrals.list_referrals(current_token().organisation_id, **args)
    kept = {name: request.args[name] for name in ("box", "status") if name in request.args}
    side = Side.receiver if args["box"] == "inbox" else Side.sender
    return jsonify(
        {
            "items": ReferralOutSchema(side).dump(page.items, many=True),
            "page": page.page,
            "per_page": page.per_page,
            "total_items": page.total,
            **_page_links(page, ".list_referrals", **kept),
        }
    )


@bp.get("/referrals/<referral_id>")
@endpoint("referrals:read")
def get_referral(referral_id: str):
    """One referral the organisation sent or received, with its timeline."""
    return _referral_answer(_visible_referral(referral_id))


@bp.post("/referrals/<referral_id>/transitions")
@endpoint("referrals:write", post=True)
def post_transition(referral_id: str):
    """Move a referral in its lifecycle (FHIR Task status codes)."""
    referral = _visible_referral(referral_id)
    try:
        move = TransitionSchema().load(json_body())
    except ValidationError as error:
        return invalid_body(error, "Invalid transition")
    token = current_token()
    try:
        referral = referrals.move_referral(
            referral,
            move["status"],
            referral.side_of(token.organisation_id),
            reason=move["reason"],
            outcome=move["outcome"],
            client_id=token.client_id,
        )
    except TransitionRefused as error:
        if error.status == 422:
            return invalid_field("Invalid transition", error.pointer, error.message)
        title = "Not your move" if error.status == 403 else "Illegal transition"
        return problem(error.status, title, error.message)
    return _referral_answer(referral)


@bp.delete("/referral-subjects/<path:subject_ref>")
@endpoint("referrals:write")
def delete_referral_subject(subject_ref: str):
    """Erase every referral you made about the person you call `subject_ref`, both sides."""
    if not 0 < len(subject_ref) <= MAX_PSEUDONYM:
        abort(problem(400, "Invalid subject_ref", f"Use 1 to {MAX_PSEUDONYM} characters."))
    token = current_token()
    housekeeping.erase_subject(token.organisation, subject_ref, client_id=token.client_id)
    return Response(status=204)


# --- events -----------------------------------------------------------------------------------


@bp.get("/events")
@endpoint("events:read")
def get_events():
    """The organisation's events after a cursor, oldest first."""
    args = query_args(EventQuerySchema())
    try:
        page = read_feed(current_token().organisation_id, args.get("after"), args["limit"])
    except ValueError:
        abort(
            problem(
                400,
                _("Invalid query parameters"),
                errors=[{"parameter": "after", "detail": _("Not a cursor from this feed.")}],
            )
        )
    return jsonify(EventPageSchema().dump(page))


# --- the description of the API ---------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document (public: it holds no data)."""
    response = jsonify(openapi_document())
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response


@bp.get("/docs")
def docs():
    """The API's documentation as a page, rendered here from the OpenAPI document."""
    return render_template("federation/api/docs.html", spec=openapi_document())

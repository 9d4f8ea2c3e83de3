"""The audit log, for the coalition admin: who did what, when."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from coalition.access import coalition_admin_required
from coalition.extensions import db
from coalition.models import AuditLogEntry, Organisation, User

bp = Blueprint("audit", __name__)

PER_PAGE = 50


@bp.get("/")
@coalition_admin_required
def index():
    """The audit log, newest first, filtered by organisation and action, paginated."""
    org_id = request.args.get("organisation", type=int)
    action = request.args.get("action", "").strip()[:80]
    page = max(1, request.args.get("page", 1, type=int))
    query = select(AuditLogEntry)
    if org_id:
        query = query.where(AuditLogEntry.organisation_id == org_id)
    if action:
        query = query.where(AuditLogEntry.action == action)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    entries = (
        db.session.execute(
            query.order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    user_ids = {e.actor_user_id for e in entries if e.actor_user_id}
    actors = (
        {u.id: u for u in db.session.execute(select(User).where(User.id.in_(user_ids))).scalars()}
        if user_ids
        else {}
    )
    organisations = (
        db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()
    )
    actions = (
        db.session.execute(select(AuditLogEntry.action).distinct().order_by(AuditLogEntry.action))
        .scalars()
        .all()
    )
    return render_template(
        "coalition/audit/index.html",
        entries=entries,
        actors=actors,
        organisations=organisations,
        org_names={o.id: o.name for o in organisations},
        actions=actions,
        selected_org=org_id,
        selected_action=action,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        total=total,
    )

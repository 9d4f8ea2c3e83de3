"""`GET /api/v1/impact`: the published impact figures as JSON (public, cacheable), the same
suppressed figures as the public page."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from coalition.impact.public import public_figures
from coalition.impact.schemas import PublicImpactSchema

bp = Blueprint("impact_api", __name__)

#: how long a cache may keep the answer (the figures change a few times a quarter)
MAX_AGE = 300


@bp.get("/impact")
def impact():
    """The coalition's totals, named figures, targets and quarters, small cells suppressed."""
    response = jsonify(PublicImpactSchema().dump(public_figures()))
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)

"""`GET /metrics`: the platform's figures in the Prometheus text format."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from coalition.observability.access import metrics_access
from coalition.observability.metrics import CONTENT_TYPE, exposition

bp = Blueprint("observability", __name__)

_REFUSALS = {
    401: "A bearer token is required (METRICS_TOKEN).\n",
    403: "Not allowed: the metrics answer loopback callers or the METRICS_TOKEN bearer.\n",
}


@bp.get("/metrics")
def metrics():
    """Every figure, for Prometheus; guarded by METRICS_TOKEN, else loopback only."""
    status = metrics_access(request.environ, current_app.config["METRICS_TOKEN"])
    if status != 200:
        headers = {"WWW-Authenticate": 'Bearer realm="metrics"'} if status == 401 else {}
        return _REFUSALS[status], status, {"Content-Type": "text/plain", **headers}
    return exposition(), 200, {"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"}

"""The coalition office's view of the search: what people looked for and did not find."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from coalition.access import coalition_admin_required
from coalition.config import LANGUAGES
from search.zero_results import zero_result_summary

bp = Blueprint("search_admin", __name__)

PERIODS = (7, 30, 90, 365)


@bp.get("/zero-results")
@coalition_admin_required
def zero_results():
    """The most frequent searches that found nothing, per language, over a period."""
    days = request.args.get("days", type=int)
    days = days if days in PERIODS else 30
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else None
    rows = zero_result_summary(days=days, lang=lang)
    return render_template(
        "search/admin_zero_results.html", rows=rows, days=days, periods=PERIODS, lang=lang
    )

"""The JSON search API: `GET /api/v1/programmes` and `GET /api/v1/programmes/suggest`."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from coalition.errors import problem
from search.analysis import LANGS
from search.answer_cache import answer_cache, cache_key
from search.answers import PROGRAMME_PLACEHOLDER, SearchAnswer, answer_json
from search.query import SearchParamError, clean_text
from search.schemas import SUGGEST_ANSWER, language
from search.services import get_backend, parse_search_params, search_programmes, suggest
from search.zero_results import count_if_none_found

bp = Blueprint("search_api", __name__)


def _language() -> str:
    """The `lang` parameter, else the browser's best match, else the default.

    :raise SearchParamError: an unknown `lang`.
    """
    return (
        language(request.args)
        or request.accept_languages.best_match(LANGS)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _bad_param(error: SearchParamError):
    return problem(
        400,
        _("Invalid search parameter"),
        f"{error.param}: {error.message}",
        errors=[{"pointer": f"/{error.param}", "detail": error.message}],
        parameter=error.param,
    )


@bp.get("/programmes")
def search():
    """Search published programmes (same parameters as the search page)."""
    try:
        lang = _language()
        params = parse_search_params(request.args, lang)
    except SearchParamError as error:
        return _bad_param(error)
    # One url_for per answer, not per hit: building URLs is a visible share of the time.
    url = url_for(
        "search.programme", lang_code=lang, programme_uuid=PROGRAMME_PLACEHOLDER, _external=True
    )
    key = cache_key(get_backend(), params, url)
    cached = answer_cache().get(key) if key is not None else None
    if cached is not None:
        body, total = cached
    else:
        results = search_programmes(params)
        if results.unavailable:
            return problem(
                503,
                _("Search temporarily unavailable"),
                _("The search engine cannot be reached; please try again later."),
                headers={"Retry-After": "30"},
            )
        body = answer_json(SearchAnswer(results, lang, url, params.seeking_mentors))
        total = results.total
        if key is not None:
            answer_cache().put(key, body, total)
    count_if_none_found(params.q, lang, total)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/programmes/suggest")
def suggest_programmes():
    """Autocomplete on titles, organisations and themes."""
    try:
        lang = _language()
    except SearchParamError as error:
        return _bad_param(error)
    prefix = clean_text(request.args.get("q") or "", 60)
    return jsonify(SUGGEST_ANSWER.dump({"q": prefix, "suggestions": suggest(prefix, lang)}))

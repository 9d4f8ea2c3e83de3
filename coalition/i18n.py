"""Languages: the `/fr/`, `/nl/`, `/en/` URL prefix, the browser's choice on `/`, Babel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_translations
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from coalition.config import LANGUAGES
from coalition.errors import problem_prefixes, wants_problem_json
from coalition.extensions import babel

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}


class LanguageConverter(BaseConverter):
    """Matches only the platform's UI languages, so `/de/...` is a plain 404."""

    regex = "|".join(LANGUAGES)


def browser_language() -> str:
    """The best UI language for the visitor's `Accept-Language`, else the default."""
    return (
        request.accept_languages.best_match(LANGUAGES) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    """The language of this request: the URL prefix, else the browser's."""
    if not has_request_context():  # CLI commands and the worker: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = g.get("lang_code")
    if lang:
        return lang
    first = request.path.strip("/").split("/", 1)[0] if request else ""
    if first in LANGUAGES:
        return first
    if wants_problem_json() or request.path.startswith(problem_prefixes()):
        # the APIs: one language per answer, English unless the client asks for another
        return request.accept_languages.best_match(LANGUAGES) or "en"
    return browser_language()


def text_in(texts: Mapping[str, str] | None, lang: str) -> str:
    """A per-language text in `lang`, else in the first language that has one, else ""."""
    return text_and_language(texts, lang)[0]


def text_and_language(texts: Mapping[str, str] | None, lang: str) -> tuple[str, str]:
    """A per-language text in `lang` if it has one, else another, with the language it is in.

    Pages mark a text shown in another language than the visitor's with its `lang`.
    """
    texts = texts or {}
    if texts.get(lang):
        return texts[lang], lang
    # the platform's languages in their fixed order first, so that every page, feed and
    # API shows the same fallback whatever order the texts were saved in
    for other in (*LANGUAGES, *texts):
        if texts.get(other):
            return texts[other], other
    return "", lang


def switch_language_url(lang: str) -> str:
    """This page's address in another language (the home page when it has none)."""
    endpoint = request.endpoint
    if endpoint and request.url_rule and "lang_code" in request.url_rule.arguments:
        args = dict(request.view_args or {}, lang_code=lang)
        if not g.get("query_refused"):  # a refused query is not carried to the next page
            args.update(request.args.to_dict(flat=True))
        return url_for(endpoint, **args)
    return url_for("coalition.home", lang_code=lang)


def catalogue():
    """The catalogue of the language this request (or a `force_locale` block) speaks.

    Flask-Babel's `get_translations()` looks the request's state up seven times a call; a
    page calls it once a text (thirty and more times), so the catalogue found first is kept
    beside the locale it is for, and found again while that locale holds.
    """
    try:
        state = g._flask_babel  # Flask-Babel's state of this context, once it has looked
    except (AttributeError, RuntimeError):  # not yet; or no app context at all
        return get_translations()
    kept = getattr(state, "catalogue", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept[1]
    translations = get_translations()
    state.catalogue = (getattr(state, "babel_locale", None), translations)
    return translations


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    # Jinja's "newstyle" gettext: every text is a format string whose variables are escaped
    # where the template escapes; the catalogue's texts are ours, trusted as Jinja does
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    return _formatted(eval_ctx, catalogue().ugettext(string), variables)


@pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, catalogue().ungettext(singular, plural, num), variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_ctx, catalogue().upgettext(context, string), variables)


@pass_eval_context
def _npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = catalogue().unpgettext(context, singular, plural, num)
    return _formatted(eval_ctx, text, variables)


def install_page_gettext(env: Environment) -> None:
    """The templates' `_`, `gettext`, `ngettext`, `pgettext` and `npgettext`, as Jinja's
    newstyle i18n defines them, in the catalogue of `catalogue()`.

    Jinja's own wrappers reach the catalogue through three template calls a text (`_` asks
    for `gettext`, which calls the function it wraps); a page shows thirty texts and more,
    so these are one call each.
    """
    env.newstyle_gettext = True  # {% trans %} blocks pass their variables to the call
    env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )


def init_i18n(app: Flask) -> None:
    """Install the language converter, the prefix handling and Babel."""
    app.url_map.converters["lang"] = LanguageConverter
    babel.init_app(app, locale_selector=current_language)
    install_page_gettext(app.jinja_env)

    @app.url_value_preprocessor
    def pull_lang_code(endpoint, values):
        if values and "lang_code" in values:
            g.lang_code = values.pop("lang_code")

    #: endpoint → whether its rules take a language (a page builds twenty links and more)
    takes_language: dict[str, bool] = {}

    @app.url_defaults
    def add_lang_code(endpoint, values):
        if "lang_code" in values:
            return
        expects = takes_language.get(endpoint)
        if expects is None:  # the routes are all added by create_app: the answer holds
            expects = takes_language[endpoint] = app.url_map.is_endpoint_expecting(
                endpoint, "lang_code"
            )
        if expects:
            values["lang_code"] = current_language()

    @app.context_processor
    def language_context():
        return {
            "current_language": current_language,
            "switch_language_url": switch_language_url,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "LANGUAGES": LANGUAGES,
        }

"""A section's Markdown made into safe HTML, with the impact figures it quotes.

`markdown-it-py` in its safe preset ("js-default": raw HTML is escaped, `javascript:`,
`vbscript:`, `file:` and `data:` links are refused) without images (a page never loads
anything from elsewhere), then `nh3` as a second, independent line: only the tags
Markdown makes, `http`/`https`/`mailto` links, and no attribute that we did not generate —
the `pb-figure` classes and the `pb-` ids of headings.

A figure is quoted as `{{ figure: mentors_trained_total }}`: the draft shows its live
value, a brief in sign-off or published its frozen one. An unknown name is reported (the
editor shows it beside the section) and rendered as the placeholder itself.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import nh3
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from coalition.impact.figures import Figure, named_figures
from policy_briefs.models import Brief

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

#: `{{ figure: name }}`; whatever stands between the colon and the braces is the name
FIGURE = re.compile(r"\{\{\s*figure\s*:\s*([^{}]*?)\s*\}\}")
#: the classes the renderer puts on figures (the only classes the sanitiser keeps)
FIGURE_CLASS, UNKNOWN_FIGURE_CLASS = "pb-figure", "pb-figure-unknown"
#: heading ids the renderer makes: "pb-" and lower-case letters, digits, dashes
HEADING_ID = re.compile(r"pb-[a-z0-9-]{1,120}")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def frozen(figure: Figure, lang: str) -> dict[str, Any]:
    """A figure as a brief keeps it when its text is frozen (and signs it)."""
    return {
        "value": figure.value,
        "as_of": figure.as_of.isoformat() if figure.as_of else None,
        "unit": figure.unit,
        "label": figure.label(lang),
    }


def formatted(value: dict[str, Any], lang: str) -> str:
    """A frozen figure's value as the brief's language writes it."""
    number = value.get("value")
    if number is None:
        return "—"
    if value.get("unit") == "percent":
        return format_percent(number / 100, locale=lang, decimal_quantization=False)
    return format_decimal(number, locale=lang)


def _figure_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = FIGURE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("figure", "", 0)
        token.meta = {"name": match.group(1), "source": match.group(0)}
    state.pos = match.end()
    return True


def _render_figure(self, tokens, idx, options, env) -> str:
    name, source = tokens[idx].meta["name"], tokens[idx].meta["source"]
    value = env["figures"].get(name)
    if value is None:
        env["unknown"].append(name)
        return f'<span class="{UNKNOWN_FIGURE_CLASS}">{escape(source)}</span>'
    if name not in env["used"]:
        env["used"].append(name)
    return f'<span class="{FIGURE_CLASS}">{escape(formatted(value, env["lang"]))}</span>'


def slugify(text: str) -> str:
    """A lower-case ASCII slug of `text` (letters, digits, dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 80:  # cut between words
        slug = slug[:81].rsplit("-", 1)[0]
    return slug or "section"


def _heading_ids(state) -> None:
    """Headings go one level down (the page has the h1) and get a `pb-` id to link to."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        token.tag = HEADINGS[min(int(token.tag[1]), len(HEADINGS)) - 1]
        if token.type == "heading_open":
            base = state.env["id_prefix"] + slugify(tokens[i + 1].content)
            wanted, n = base, 1
            while wanted in state.env["ids"]:
                n += 1
                wanted = f"{base}-{n}"
            state.env["ids"].add(wanted)
            token.attrSet("id", wanted)


@cache
def _markdown() -> MarkdownIt:
    """The parser, made by the first section rendered (a worker that serves no brief does not
    load markdown-it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default").disable("image")
    md.inline.ruler.before("text", "figure", _figure_rule)
    md.add_render_rule("figure", _render_figure)
    md.core.ruler.after("inline", "pb_heading_ids", _heading_ids)
    return md


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if tag in HEADINGS and HEADING_ID.fullmatch(value) else None
    return value


CLEANER = nh3.Cleaner(
    tags={
        *("p", "br", "hr", "strong", "em", "s", "code", "pre", "blockquote"),
        *("ul", "ol", "li", "a", "span", *HEADINGS),
        *("table", "thead", "tbody", "tr", "th", "td"),
    },
    clean_content_tags={"script", "style"},
    attributes={
        "a": {"href", "title"},
        "ol": {"start"},
        **{h: {"id"} for h in HEADINGS},
    },
    attribute_filter=_keep_attribute,
    allowed_classes={"span": {FIGURE_CLASS, UNKNOWN_FIGURE_CLASS}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


@dataclass
class Rendered:
    """A section's HTML, and the figures it quotes or names wrongly."""

    html: Markup
    used: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def render_all(
    texts: Iterable[str],
    figures: Mapping[str, dict[str, Any]],
    lang: str,
    id_prefix: str = "pb-",
) -> list[Rendered]:
    """The sections of one page: safe HTML each, heading ids unique across them.

    :param figures: the figures by name, as `frozen` gives them (live or frozen values)
    """
    ids: set[str] = set()
    rendered = []
    for text in texts:
        env = {"figures": figures, "lang": lang, "used": [], "unknown": [], "ids": ids}
        env["id_prefix"] = id_prefix
        html = CLEANER.clean(_markdown().render(text, env))
        # nh3's output is sanitised HTML: the one place it becomes markup
        rendered.append(Rendered(Markup(html), env["used"], env["unknown"]))  # noqa: S704
    return rendered


def render(text: str, figures: Mapping[str, dict[str, Any]], lang: str, **kw: Any) -> Rendered:
    """One section's safe HTML."""
    return render_all([text], figures, lang, **kw)[0]


def plain_text(text: str, figures: Mapping[str, dict[str, Any]], lang: str) -> str:
    """A section's words without its Markdown, its figures' values in (for summaries)."""
    return html.unescape(nh3.clean(str(render(text, figures, lang).html), tags=set()))


def quoted_names(text: str) -> list[str]:
    """The figure names a text quotes (placeholders in code spans are text, not quotes)."""
    env = {"figures": {}, "lang": "en", "used": [], "unknown": [], "ids": set()}
    env["id_prefix"] = "pb-"
    _markdown().render(text, env)
    return list(dict.fromkeys(env["unknown"]))


def live_figures(lang: str) -> dict[str, dict[str, Any]]:
    """Every named figure with its value now, as a brief in `lang` would freeze it."""
    return {name: frozen(figure, lang) for name, figure in named_figures().items()}


def brief_figures(brief: Brief) -> dict[str, dict[str, Any]]:
    """The figures a brief's text shows: frozen in sign-off and after, else live."""
    if brief.frozen_figures is not None:
        return brief.frozen_figures
    return live_figures(brief.language)

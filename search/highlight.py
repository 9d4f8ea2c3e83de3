"""Highlighted snippets, computed the same way whatever the backend."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import escape

from search.analysis import (
    _WORD,
    analyze_word,
    edit_distance,
    fold,
    fuzzy_distance,
    query_words,
)
from search.documents import document_text

SNIPPET_CHARS = 220
FIELDS = ("title", "summary", "description")


@lru_cache(maxsize=1024)
def _query_terms(q: str, lang: str) -> tuple[tuple[str, int], ...]:
    terms = []
    for word in query_words(q):
        for term in analyze_word(word, lang):
            terms.append((term, fuzzy_distance(fold(word))))
    return tuple(terms)


@lru_cache(maxsize=100_000)
def _form(word: str, lang: str) -> str | None:
    """The indexed form of a word of the text (None: not indexed, e.g. too long)."""
    forms = analyze_word(word, lang)
    return forms[0] if forms else None


@lru_cache(maxsize=100_000)
def _near(form: str, term: str, distance: int) -> bool:
    return edit_distance(form, term, distance) <= distance


@lru_cache(maxsize=4096)
def _words(text: str, lang: str) -> tuple[tuple[tuple[int, int], str], ...]:
    """The indexed words of `text` with their spans (the same programmes come back often:
    a text is split and analysed once, whatever the query)."""
    return tuple((m.span(), form) for m in _WORD.finditer(text) if (form := _form(m.group(), lang)))


def _exact_found(text: str, q: str, lang: str) -> set[str]:
    """The query's terms that words of `text` match exactly."""
    exact = {t for t, _d in _query_terms(q, lang)}
    return {form for _span, form in _words(text, lang) if form in exact}


def highlight_text(
    text: str, q: str, lang: str, window: int | None = None, found: set[str] | None = None
) -> str | None:
    """`text` HTML-escaped with the words matching `q` in <mark>; None if nothing matches.

    Exact (stemmed, accent-folded) matches first: a query term found as such (in `text`,
    or in any text of `found`, the terms the rest of the document matched exactly) marks
    only those words; fuzzy neighbours ("weken", "week" for "werk") are marked only for a
    term that matched nothing exactly (a typo).
    """
    terms = _query_terms(q, lang)
    if not terms or not text:
        return None
    words = _words(text, lang)
    exact = {t for t, _d in terms}
    here = {form for _span, form in words if form in exact}
    done = here | (found or set())
    fuzzy = [(t, d) for t, d in terms if d and t not in done]
    if fuzzy:
        spans = [
            span for span, form in words if form in here or any(_near(form, t, d) for t, d in fuzzy)
        ]
    else:
        spans = [span for span, form in words if form in here]
    if not spans:
        return None
    start, end = 0, len(text)
    if window and len(text) > window:
        start = max(0, spans[0][0] - window // 4)
        end = min(len(text), start + window)
        while start > 0 and not text[start - 1].isspace():
            start += 1
    parts, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(str(escape(text[cursor:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    parts.append(str(escape(text[cursor:end])))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")


def highlight_document(doc: dict, q: str, lang: str) -> dict[str, str]:
    """Snippets per field of an index document, in `lang` if it has that text."""
    if not q:
        return {}
    texts = [(name, *document_text(doc, name, lang)) for name in FIELDS]
    found: set[str] = set()
    for _name, text, text_lang in texts:
        if text:
            found |= _exact_found(text, q, text_lang)
    snippets: dict[str, str] = {}
    for name, text, text_lang in texts:
        window = None if name == "title" else SNIPPET_CHARS
        snippet = highlight_text(text, q, text_lang, window, found)
        if snippet:
            snippets[name] = snippet
    return snippets

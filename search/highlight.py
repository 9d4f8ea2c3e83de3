"""Highlighted snippets, computed the same way whatever the backend."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import escape

from search.analysis import _WORD, analyze, edit_distance, fold, fuzzy_distance, query_words
from search.documents import document_text

SNIPPET_CHARS = 220
FIELDS = ("title", "summary", "description")


@lru_cache(maxsize=1024)
def _query_terms(q: str, lang: str) -> tuple[tuple[str, int], ...]:
    terms = []
    for word in query_words(q):
        for term in analyze(word, lang):
            terms.append((term, fuzzy_distance(fold(word))))
    return tuple(terms)


@lru_cache(maxsize=100_000)
def _matches(word: str, lang: str, terms: tuple[tuple[str, int], ...]) -> bool:
    forms = analyze(word, lang)
    if not forms:
        return False
    form = forms[0]
    return any(form == t or (d and edit_distance(form, t, d) <= d) for t, d in terms)


def highlight_text(text: str, q: str, lang: str, window: int | None = None) -> str | None:
    """`text` HTML-escaped with the words matching `q` in <mark>; None if nothing matches."""
    terms = _query_terms(q, lang)
    if not terms or not text:
        return None
    spans = [m.span() for m in _WORD.finditer(text) if _matches(m.group(), lang, terms)]
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
    snippets: dict[str, str] = {}
    for name in FIELDS:
        text, text_lang = document_text(doc, name, lang)
        snippet = highlight_text(text, q, text_lang, None if name == "title" else SNIPPET_CHARS)
        if snippet:
            snippets[name] = snippet
    return snippets

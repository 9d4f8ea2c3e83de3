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
    spellings,
    squeeze_repeats,
)
from search.documents import document_text

SNIPPET_CHARS = 220
FIELDS = ("title", "summary", "description")


@lru_cache(maxsize=1024)
def _query_terms(q: str, lang: str) -> tuple[tuple[str, int], ...]:
    terms = []
    for word in query_words(q):
        typo = squeeze_repeats(word)
        for form in spellings(word):
            # as the engines match: a typo on the squeezed form only
            distance = fuzzy_distance(fold(typo)) if form == typo else 0
            terms.extend((term, distance) for term in analyze_word(form, lang))
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


@lru_cache(maxsize=1024)
def _exact_terms(q: str, lang: str) -> frozenset[str]:
    return frozenset(t for t, _d in _query_terms(q, lang))


def _marked(
    text: str,
    words: tuple[tuple[tuple[int, int], str], ...],
    here: set[str],
    fuzzy: list[tuple[str, int]],
    window: int | None,
) -> str | None:
    """`text` HTML-escaped with the words of `here` (found exactly) and the neighbours of
    the `fuzzy` terms in <mark>, cut to `window` characters around the first one; None if
    nothing is marked."""
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
    """Snippets per field of an index document, in `lang` if it has that text: the text
    HTML-escaped with the words matching `q` in <mark> (the title whole, the others cut to
    `SNIPPET_CHARS` around the first match); a field where nothing matches has none.

    Exact (stemmed, accent-folded) matches first: a query term found as such in any field
    of the document marks only those words; fuzzy neighbours ("weken", "week" for "werk")
    are marked only for a term that matched nothing exactly (a typo). Each text is split
    and analysed once (`_words`), whatever the query.
    """
    if not q:
        return {}
    fields = []
    found: set[str] = set()
    for name in FIELDS:
        text, text_lang = document_text(doc, name, lang)
        if not text:
            continue
        terms = _query_terms(q, text_lang)
        if not terms:
            continue
        words = _words(text, text_lang)
        exact = _exact_terms(q, text_lang)
        here = {form for _span, form in words if form in exact}
        found |= here
        fields.append((name, text, terms, words, here))
    snippets: dict[str, str] = {}
    for name, text, terms, words, here in fields:
        fuzzy = [(t, d) for t, d in terms if d and t not in found]
        if not here and not fuzzy:
            continue
        window = None if name == "title" else SNIPPET_CHARS
        snippet = _marked(text, words, here, fuzzy, window)
        if snippet:
            snippets[name] = snippet
    return snippets

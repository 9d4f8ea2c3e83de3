"""Comments anchored to a quoted passage, as W3C Web Annotation's TextQuoteSelector.

A comment keeps the passage it quotes (`exact`) with a little of the text before and
after it (`prefix`, `suffix`). On a later revision the passage is found again: among its
occurrences, the one whose surroundings best match the stored ones. When the passage is
no longer in the text the comment is flagged as such.
"""

from __future__ import annotations

from dataclasses import dataclass

#: characters of context kept on each side of a quote
CONTEXT = 32


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""


def quote_in(text: str, exact: str, start: int | None = None) -> Quote | None:
    """The selector of `exact` in `text` (at `start` if given and right, else its first
    occurrence); None when the passage is not in the text."""
    if not exact:
        return None
    if start is None or text[start : start + len(exact)] != exact:
        start = text.find(exact)
    if start < 0:
        return None
    end = start + len(exact)
    return Quote(exact, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def anchor(text: str, quote: Quote) -> tuple[int, int] | None:
    """Where the quoted passage is in `text` now, (start, end); None if it is gone."""
    if not quote.exact:
        return None
    best: tuple[int, int] | None = None
    best_score = -1
    start = text.find(quote.exact)
    while start >= 0:
        end = start + len(quote.exact)
        score = _common_suffix(text[max(0, start - CONTEXT) : start], quote.prefix)
        score += _common_prefix(text[end : end + CONTEXT], quote.suffix)
        if score > best_score:
            best, best_score = (start, end), score
        start = text.find(quote.exact, start + 1)
    return best

"""Three-way merge of a section's text on word tokens: no edit is ever lost.

A save based on an older revision is merged with the current text: the author's changes
(base → yours) and the changes saved meanwhile (base → theirs) are both kept when they
touch different words; when they change the same words, the merge refuses and the author
gets both versions to resolve.

The region logic is `merge3` (Breezy's diff3, GPL-2.0-or-later — compatible with the
platform's EUPL-1.2 through the EUPL's compatibility appendix) rather than a diff3 of our
own on `difflib`: it is the well-kept, widely used implementation, it works on any sequence
of hashable tokens, and it lets us give it `difflib`'s matcher without the "autojunk"
heuristic (which would treat the frequent space token as junk in long texts).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from merge3 import Merge3

#: a word, a run of white space, or one other character: joined back they give the text
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokens(text: str) -> list[str]:
    """The word tokens of `text`; `"".join(tokens(text)) == text`."""
    return TOKEN.findall(text)


class Matcher(difflib.SequenceMatcher):
    """`difflib`'s matcher without autojunk: every token counts, however frequent."""

    def __init__(self, isjunk=None, a: Sequence = "", b: Sequence = "") -> None:
        super().__init__(isjunk, a, b, autojunk=False)


def merge(base: str, theirs: str, yours: str) -> str | None:
    """`yours` and `theirs` (both edited from `base`) merged, or None when they overlap."""
    if theirs in (base, yours):
        return yours
    if yours == base:
        return theirs
    base_t, theirs_t, yours_t = tokens(base), tokens(theirs), tokens(yours)
    merged: list[str] = []
    for region in Merge3(base_t, theirs_t, yours_t, sequence_matcher=Matcher).merge_regions():
        kind = region[0]
        if kind == "conflict":
            return None
        start, end = region[1], region[2]
        source = {"unchanged": base_t, "a": theirs_t, "same": theirs_t, "b": yours_t}[kind]
        merged.extend(source[start:end])
    return "".join(merged)

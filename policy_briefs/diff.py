"""Word-level differences between two texts, for the history's comparison view."""

from __future__ import annotations

from dataclasses import dataclass

from policy_briefs.merge import Matcher, tokens


@dataclass(frozen=True)
class Change:
    """A run of text that is the same in both texts ("equal"), or only in the old
    ("delete") or the new one ("insert")."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[Change]:
    """What changed from `old` to `new`, word by word (a replacement: delete, then insert)."""
    a, b = tokens(old), tokens(new)
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in Matcher(None, a, b).get_opcodes():
        if op == "equal":
            changes.append(Change("equal", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            changes.append(Change("delete", "".join(a[a1:a2])))
        if b2 > b1:
            changes.append(Change("insert", "".join(b[b1:b2])))
    return changes


def counts(changes: list[Change]) -> dict[str, int]:
    """How many words were deleted and inserted."""
    result = {"delete": 0, "insert": 0}
    for change in changes:
        if change.kind in result:
            result[change.kind] += sum(1 for t in tokens(change.text) if t[0].isalnum())
    return result

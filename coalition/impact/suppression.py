"""Small-cell suppression of published figures, with complementary suppression.

Every published count below `THRESHOLD` people is hidden ("< 5"). Hiding one cell of a
row whose total is published is not enough: the total minus the other cells gives it
back. So, within each published row (cells that add up to a published total), more cells
are hidden ("–"), the smallest first, until no hidden cell can be worked out — even by
someone who knows this rule, so that a "< 5" cell holds 0 to 4 and a "–" cell at least 5:
for every hidden cell, the published total minus the shown cells leaves it at least two
possible values. When even hiding every cell cannot achieve that, the total is hidden too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

#: the smallest count of people that is published
THRESHOLD = 5

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """A published figure: its value, or None when it is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    #: hidden because it is below the threshold (else to protect another cell)
    small: bool = False

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return f"< {THRESHOLD}" if self.small else "–"


def cell(value: int) -> Cell:
    """A lone figure (no row to add up with): hidden when below the threshold."""
    return Cell(None, small=True) if value < THRESHOLD else Cell(value)


def feasible_range(hidden_sum: int, bounds: list[tuple[int, int]], index: int) -> tuple[int, int]:
    """The values hidden cell `index` can take when the hidden cells add up to `hidden_sum`
    and each lies within its (low, high) bounds."""
    low, high = bounds[index]
    others_low = sum(b[0] for i, b in enumerate(bounds) if i != index)
    others_high = sum(b[1] for i, b in enumerate(bounds) if i != index)
    return max(low, hidden_sum - others_high), min(high, hidden_sum - others_low)


def _protected(values: Mapping, small: set, hidden: set) -> bool:
    if len(hidden) < 2:
        return not hidden
    total = sum(values[key] for key in hidden)
    bounds = [(0, THRESHOLD - 1) if key in small else (THRESHOLD, total) for key in hidden]
    return all((span := feasible_range(total, bounds, i))[1] > span[0] for i in range(len(bounds)))


@dataclass(frozen=True)
class Row(Generic[K]):
    """Cells that add up to a total, as published."""

    cells: dict[K, Cell]
    total: Cell


def suppress_row(values: Mapping[K, int]) -> Row[K]:
    """The row's cells and total as they may be published (see the module's rule)."""
    total = sum(values.values())
    small = {key for key, value in values.items() if value < THRESHOLD}
    hidden = set(small)
    shown = sorted((value, str(key), key) for key, value in values.items() if key not in small)
    while not _protected(values, small, hidden) and shown:
        hidden.add(shown.pop(0)[2])
    published = cell(total)
    if not _protected(values, small, hidden):
        published = Cell(None, small=published.small)
    cells = {
        key: Cell(None, small=key in small) if key in hidden else Cell(value)
        for key, value in values.items()
    }
    return Row(cells, published)


def suppress_rate(part: int, whole: int, digits: int = 1) -> float | None:
    """A percentage `part / whole`, or None when either count is below the threshold (the
    published whole would give the small part back)."""
    if part < THRESHOLD or whole < THRESHOLD:
        return None
    return round(100 * part / whole, digits)

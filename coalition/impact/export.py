"""Tables as the dashboards show them, and as CSV for the Belgian Excel locale: UTF-8 with a
byte-order mark, `;` between cells, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

#: what makes a spreadsheet read a cell as a formula (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Table:
    """A table of a dashboard: its name (the CSV's file name), caption, headers and rows."""

    name: str
    caption: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def safe_cell(value: Any) -> Any:
    """A text that would start a formula, quoted with a leading apostrophe; numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # the Belgian locale writes a decimal comma
        return f"{value:g}".replace(".", ",")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(table: Table) -> bytes:
    """The table as CSV bytes: BOM, `;`, CRLF line ends, formula-safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")

"""Fill translations into a part's catalogue from a JSON object {msgid: msgstr}.

    python scripts/po_fill.py coalition fr < fr.json

Plural messages take a list of forms as their value. Unknown msgids are reported, not
added: run `python scripts/i18n.py extract` first so the catalogue knows them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def fill(part: str, locale: str, translations: dict[str, str | list[str]]) -> list[str]:
    path = ROOT / part / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    unknown = []
    for msgid, msgstr in translations.items():
        message = next(
            (m for m in catalog if (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid), None
        )
        if message is None:
            unknown.append(msgid)
            continue
        message.string = tuple(msgstr) if isinstance(message.id, tuple) else msgstr
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True)
    return unknown


if __name__ == "__main__":
    missing = fill(sys.argv[1], sys.argv[2], json.load(sys.stdin))
    for msgid in missing:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)

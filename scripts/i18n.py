"""Extract, update and compile the message catalogues of every part.

Each part keeps its own catalogue in `<part>/translations/` (its Python code and
`templates/<part>/`; the core also owns `templates/base.html`). Flask-Babel merges them.

    python scripts/i18n.py extract   # refresh each part's messages.pot and its fr/nl .po files
    python scripts/i18n.py compile   # build the .mo files (done by `make`)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("coalition", "search", "federation", "policy_briefs")
LOCALES = ("fr", "nl")


def sources(part: str) -> list[str]:
    """The files and folders whose messages belong to `part`."""
    paths = [part, f"templates/{part}"]
    if part == "coalition":
        paths.append("templates/base.html")
    return [p for p in paths if (ROOT / p).exists()]


def pybabel(*args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=ROOT
    )


def extract() -> None:
    for part in PARTS:
        folder = ROOT / part / "translations"
        folder.mkdir(exist_ok=True)
        pot = folder / "messages.pot"
        pybabel(
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            *sources(part),
        )
        for locale in LOCALES:
            po = folder / locale / "LC_MESSAGES" / "messages.po"
            if po.exists():
                pybabel(
                    "update",
                    "--no-fuzzy-matching",
                    "--ignore-obsolete",
                    "-i",
                    str(pot),
                    "-d",
                    str(folder),
                    "-l",
                    locale,
                )
            else:
                pybabel("init", "-i", str(pot), "-d", str(folder), "-l", locale)


def compile_catalogues() -> None:
    for part in PARTS:
        folder = ROOT / part / "translations"
        if any(folder.glob("*/LC_MESSAGES/messages.po")):
            pybabel("compile", "--use-fuzzy", "-d", str(folder))


if __name__ == "__main__":
    {"extract": extract, "compile": compile_catalogues}[sys.argv[1]]()

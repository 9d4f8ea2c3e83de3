"""The UI catalogues are complete: every message of every part has its FR and NL text."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("coalition", "search", "federation", "policy_briefs")


@pytest.fixture(scope="module")
def fresh_templates(tmp_path_factory):
    """Extract each part's messages from its current sources into a temporary .pot."""
    out = tmp_path_factory.mktemp("pot")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from i18n import sources
    finally:
        sys.path.pop(0)
    for part in PARTS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "-q",
                "extract",
                "-F",
                "babel.cfg",
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "-o",
                str(out / f"{part}.pot"),
                *sources(part),
            ],
            check=True,
            cwd=ROOT,
        )
    return out


@pytest.mark.parametrize("locale", ["fr", "nl"])
@pytest.mark.parametrize("part", PARTS)
def test_every_message_is_translated(fresh_templates, part, locale):
    with (fresh_templates / f"{part}.pot").open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    if not wanted:
        return
    po = ROOT / part / "translations" / locale / "LC_MESSAGES" / "messages.po"
    assert po.exists(), f"{po.relative_to(ROOT)} is missing: run `python scripts/i18n.py extract`"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id
        and "fuzzy" not in m.flags
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(wanted - translated)
    assert not missing, f"untranslated in {part}/{locale}: {missing[:10]}"

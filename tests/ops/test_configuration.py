"""Every environment variable the platform reads (coalition/config.py, the one place) has
its row in the README's Configuration table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def variables_read() -> set[str]:
    source = (ROOT / "coalition" / "config.py").read_text()
    return set(re.findall(r'env\.get\(\s*"([A-Z0-9_]+)"', source))


def variables_documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`([A-Z0-9_]+)`", cell)}


def test_every_variable_read_is_documented():
    read = variables_read()
    assert {"LOG_FORMAT", "METRICS_TOKEN", "WEB_CONCURRENCY", "SEARCH_BACKEND"} <= read
    assert read - variables_documented() == set()


def test_the_table_documents_nothing_that_is_not_read():
    assert variables_documented() - variables_read() == set()

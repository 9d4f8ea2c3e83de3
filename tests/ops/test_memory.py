"""A web worker loads what serves requests, not the libraries of rare pages and commands:
each weighs megabytes in every worker (WeasyPrint with its font and image libraries about
26 MB, alembic for `flask db` about 9 MB, requests with urllib3 about 5 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: loaded by the page that needs them, on its first use
RARELY_NEEDED = (
    *("weasyprint", "fontTools", "PIL", "segno", "elasticsearch", "alembic"),
    # the webhook deliveries' HTTP client, the OpenAPI generator, the briefs' Markdown
    *("requests", "apispec", "markdown_it"),
)

PROBE = f"""
import sys
from coalition.app import create_app
app = create_app()
client = app.test_client()
assert client.get("/healthz").status_code == 200
assert client.get("/api/v1/programmes?q=emploi").status_code == 200
print(" ".join(m for m in {RARELY_NEEDED!r} if m in sys.modules))
"""


def test_a_started_worker_has_not_loaded_the_pdf_qr_migration_or_elasticsearch_libraries(tmp_path):
    env = {
        **os.environ,
        "PLATFORM_ENV": "production",
        "SECRET_KEY": "memory-test-" * 4,
        "PSEUDONYM_SECRET": "memory-pseudonyms-" * 3,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'platform.db'}",
        "INSTANCE_PATH": str(tmp_path),
        "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "WORKER_THREAD": "0",
        "RATELIMIT_ENABLED": "0",
    }
    for name in ("ELASTICSEARCH_URL", "SEARCH_BACKEND", "REDIS_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.split() == []

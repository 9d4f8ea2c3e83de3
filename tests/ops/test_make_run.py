"""`make run PORT=…`: the platform serves on that port and names it as its address.

`PUBLIC_URL` is the token issuer and the `aud` member systems put in their assertions: a
`make run` on another port that still called itself `:5000` refused every client.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

from coalition.config import PROJECT_ROOT
from tests._commands import run_in_project
from tests.e2e.server import free_port


def make(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"PUBLIC_URL", "MAKEFLAGS"}}
    return run_in_project(["make", *args], {**environment, **env}, timeout=60, check=True)


def flask_run_line(output: str) -> str:
    (line,) = [line for line in output.splitlines() if " run --host " in line]
    return line


def test_make_run_on_another_port_names_that_port_as_its_address():
    line = flask_run_line(make("-n", "run", "PORT=5077").stdout)
    assert "PUBLIC_URL='http://127.0.0.1:5077'" in line
    assert line.endswith("--host 127.0.0.1 --port 5077")


def test_a_public_url_given_is_kept():
    given = make("-n", "run", "PORT=5077", PUBLIC_URL="https://mentoring.example.be").stdout
    assert "PUBLIC_URL='https://mentoring.example.be'" in flask_run_line(given)
    on_the_line = make("-n", "run", "PORT=5077", "PUBLIC_URL=https://m.example.be").stdout
    assert "PUBLIC_URL='https://m.example.be'" in flask_run_line(on_the_line)


def plant_an_index_of_an_older_version(folder) -> None:
    """A live tantivy index whose fields are not today's (as after an upgrade)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True)
    (folder / "gen-old").mkdir(parents=True)
    tantivy.Index(builder.build(), path=str(folder / "gen-old"))
    (folder / "CURRENT").write_text("gen-old")


def test_make_run_serves_on_the_port_and_issues_tokens_for_it(tmp_path):
    """…and searches, even over an index an older version left (it is built afresh)."""
    port = free_port()
    plant_an_index_of_an_older_version(tmp_path / "search-index")
    environment = {k: v for k, v in os.environ.items() if k not in {"PUBLIC_URL", "DATABASE_URL"}}
    environment.update(INSTANCE_PATH=str(tmp_path), MAIL_BACKEND="file", PYTHONUNBUFFERED="1")
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: make, then flask below it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        metadata = None
        deadline = time.monotonic() + 180
        while metadata is None and time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "make-run.log").read_text()
            try:
                with urllib.request.urlopen(  # noqa: S310 - loopback
                    f"{url}/.well-known/oauth-authorization-server", timeout=2
                ) as response:
                    metadata = json.load(response)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert metadata is not None, (tmp_path / "make-run.log").read_text()
        assert metadata["issuer"] == url
        assert metadata["token_endpoint"] == f"{url}/oauth/token"
        with urllib.request.urlopen(f"{url}/api/v1/programmes?q=mentor", timeout=10) as r:  # noqa: S310
            assert r.status == 200 and json.load(r)["total"] > 0
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()

"""The soak's engines and set-up (bench/soak.py): its PostgreSQL database, a private
redis-server, the Elasticsearch test server, the member clients, the referral detection
and the read-back of PostgreSQL and of the index."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.processes import cpu_model, git_commit, run_in_app  # noqa: E402

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def wait_for(check: Callable[[], bool], timeout: float, message: str, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(every)
    raise RuntimeError(message)


class SoakDatabase:
    """A database of its own (`soak_<pid>_<hex>`) on the PostgreSQL server given."""

    def __init__(self, server_url: str) -> None:
        import sqlalchemy as sa

        from coalition.config import database_url

        self.admin_url = sa.make_url(database_url(server_url or DEFAULT_SERVER))
        self.name = f"soak_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        engine.dispose()
        self.sa_url = self.admin_url.set(database=self.name)
        self.url = self.sa_url.render_as_string(hide_password=False)

    def connect(self):
        import psycopg

        conninfo = self.sa_url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True)

    def outbox_length(self) -> int:
        with self.connect() as conn:
            return conn.execute("SELECT count(*) FROM search_outbox").fetchone()[0]

    def programme_titles(self) -> tuple[dict[str, str | None], dict[str, int]]:
        """The soak programmes' English titles and ids, by soak key (slug/external id)."""
        from bench.soak_load import programme_key

        with self.connect() as conn:
            rows = conn.execute(
                "SELECT o.slug, p.external_id, p.titles, p.id FROM programmes p "
                "JOIN organisations o ON o.id = p.organisation_id WHERE o.slug LIKE %s",
                ("soak-member-%",),
            ).fetchall()
        titles, ids = {}, {}
        for slug, external_id, texts, pid in rows:
            key = programme_key(slug, external_id)
            texts = json.loads(texts) if isinstance(texts, str) else texts
            titles[key] = (texts or {}).get("en")
            ids[key] = pid
        return titles, ids

    def drop(self) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        engine.dispose()


class Redis:
    """A redis-server of the soak's own, on a free port (not the shared 6379)."""

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = workdir
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    def answers(self) -> bool:
        import redis

        return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())

    def start(self) -> None:
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(self.answers, 20, "redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class SearchEngine:
    """The Elasticsearch test server (noida-db), on a free port, with its own data folder."""

    def __init__(self, data: Path, port: int) -> None:
        self.data = data
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.exe = shutil.which("noida-db") or str(Path(sys.executable).parent / "noida-db")
        data.mkdir(parents=True, exist_ok=True)

    def _run(self, *args: str) -> None:
        subprocess.run(
            [self.exe, *args, "--data-dir", str(self.data)],
            check=True,
            capture_output=True,
            timeout=180,
        )

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/", timeout=1) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def start(self) -> None:
        self._run(
            "up",
            "--only",
            "elasticsearch",
            "--elasticsearch-port",
            str(self.port),
            "--host",
            "127.0.0.1",
        )
        wait_for(self.answers, 60, "noida-db did not start")

    def stop_service(self) -> None:
        """Stop the engine (the noida-db server stays; its data is kept)."""
        self._run("stop", "elasticsearch")

    def start_service(self) -> None:
        self._run("start", "elasticsearch")

    def stop(self) -> None:
        subprocess.run(
            [self.exe, "down", "--data-dir", str(self.data)],
            capture_output=True,
            timeout=120,
            check=False,
        )

    def version(self) -> str | None:
        result = subprocess.run([self.exe, "version"], capture_output=True, text=True, check=False)
        return result.stdout.strip() or None


def read_back(url: str, alias: str, ids: dict[str, int]) -> dict[str, str | None]:
    """The indexed English title of each programme (None when it is not in the index)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=30)
    by_id = {str(pid): key for key, pid in ids.items()}
    out: dict[str, str | None] = dict.fromkeys(ids)
    names = list(by_id)
    for n in range(0, len(names), 500):
        answer = client.mget(index=alias, ids=names[n : n + 500])
        for doc in answer["docs"]:
            if doc.get("found"):
                out[by_id[doc["_id"]]] = doc["_source"].get("title_en")
    return out


def detect_referrals(base_url: str) -> dict[str, Any]:
    """Whether `POST /federation/v1/referrals` exists (the OpenAPI document says), and
    the scope to send it with (the body is `bench.scenarios.referrals.referral_body`)."""
    try:
        with urllib.request.urlopen(base_url + "/federation/v1/openapi.json", timeout=10) as r:  # noqa: S310
            document = json.load(r)
    except (urllib.error.URLError, ValueError) as error:
        return {"found": False, "reason": f"no OpenAPI document ({error})"}
    paths = document.get("paths", {})
    servers = [s.get("url", "") for s in document.get("servers", [])]
    prefix = next((s for s in servers if s.endswith("/federation/v1")), "")
    prefix = re.sub(r"^https?://[^/]+", "", prefix)
    for path, operations in paths.items():
        full = path if path.startswith("/federation/v1") else prefix + path
        if full == "/federation/v1/referrals" and "post" in operations:
            operation = operations["post"]
            scopes = [s for req in operation.get("security", []) for v in req.values() for s in v]
            return {
                "found": True,
                "path": full,
                "scope": (scopes or ["referrals:write"])[0],
                "reason": "POST /federation/v1/referrals found in the OpenAPI document",
            }
    return {
        "found": False,
        "reason": "POST /federation/v1/referrals not in the OpenAPI document: "
        "referral posts left out of the mix",
    }


_CREATE_CLIENTS = """
import json
from sqlalchemy import select
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth.services import register_client
out = []
for slug, scopes, jwk in {specs!r}:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(name=slug.replace("-", " ").title(), slug=slug, admitted_at=utcnow(),
                           languages=["fr"], names={{}}, descriptions={{}})
        db.session.add(org)
        db.session.flush()
    created = register_client(org, name="soak load", scopes=scopes, public_keys=jwk)
    out.append(created.client.client_id)
db.session.commit()
print(json.dumps(out))
"""


def _token(base_url: str, audience: str, client: dict[str, Any]) -> str:
    import requests
    from joserfc.jwk import ECKey

    from bench.soak_load import assertion_body

    body = assertion_body(client["client_id"], ECKey.import_key(client["private_jwk"]), audience)
    response = requests.post(
        base_url + "/oauth/token",
        data=body,
        timeout=30,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response.raise_for_status()
    return response.json()["access_token"]


def make_clients(layout, count: int, referral: dict[str, Any], refresh: dict | None = None) -> dict:
    """`count` member organisations with an OAuth client each (made once), and a fresh
    access token for each; with referrals, the first client also holds their scope."""
    from joserfc.jwk import ECKey

    if refresh is None:
        members, specs = [], []
        for n in range(1, count + 1):
            key = ECKey.generate_key("P-256", private=True)
            key.ensure_kid()
            scopes = "programmes:write" + (
                f" {referral['scope']}" if referral["found"] and n == 1 else ""
            )
            specs.append((f"soak-member-{n}", scopes, json.dumps(key.as_dict(private=False))))
            members.append({"slug": f"soak-member-{n}", "private_jwk": key.as_dict(private=True)})
        ids = json.loads(
            run_in_app(layout.env, _CREATE_CLIENTS.format(specs=specs)).strip().splitlines()[-1]
        )
        for member, client_id in zip(members, ids, strict=True):
            member["client_id"] = client_id
    else:
        members = refresh["members"]
    base = layout.web[0].url
    audience = layout.env["PUBLIC_URL"] + "/oauth/token"
    for member in members:
        member["token"] = _token(base, audience, member)
    out: dict[str, Any] = {"members": members}
    if referral["found"]:
        out["referral"] = {
            "path": referral["path"],
            "target": referral["target"],
            "token": members[0]["token"],
        }
    return out


def machine_info(layout, load_before: tuple[float, float, float]) -> dict[str, Any]:
    redis_version = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=False
    ).stdout.split(" ")[2:3]
    with layout.database.connect() as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": pg,
        "redis": redis_version[0] if redis_version else None,
        "search_engine": layout.engine.version(),
        "commit": git_commit(),
    }

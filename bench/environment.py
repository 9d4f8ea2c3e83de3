"""The bench's platform: its own database (SQLite, or a private PostgreSQL one), the
environment it runs with, the BENCH_* settings read from ours, and what machine ran it."""

from __future__ import annotations

import os
import platform
import re
import secrets
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench.processes import Gunicorn, cpu_model, git_commit


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def machine(database_url: str, server: Gunicorn, seconds: int, connections: int) -> dict:
    """What ran the bench: CPU, cores, memory, software, settings, date."""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "wrk": (wrk.stdout + wrk.stderr).splitlines()[0].split(" [")[0]
        if wrk.stdout or wrk.stderr
        else None,
        "database": database_url.split(":", 1)[0].split("+", 1)[0],
        "server": server.settings,
        "load": f"wrk -t2 -c{connections} -d{seconds}s, platform and baseline alternately"
        + (
            f", median of {env_int('BENCH_REPEAT', 1)} runs"
            if env_int("BENCH_REPEAT", 1) > 1
            else ""
        ),
        "commit": git_commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class Database:
    """The bench's own database: SQLite in the instance folder, or a private PostgreSQL one."""

    def __init__(self, instance: Path) -> None:
        from coalition.config import database_url

        base = os.environ.get("BENCH_DATABASE_URL", "")
        self.admin_url = None
        if not base:
            self.url = f"sqlite:///{instance / 'platform.db'}"
            return
        import sqlalchemy as sa

        url = sa.make_url(database_url(base))
        self.name = f"bmp_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.admin_url = url
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        engine.dispose()
        self.url = url.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.admin_url is None:
            return
        import sqlalchemy as sa

        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        engine.dispose()


def platform_environment(instance: Path, database_url: str) -> dict[str, str]:
    """The platform's environment: production settings, the bench's own engines."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "INSTANCE_PATH",
            "ELASTICSEARCH_URL",
            "REDIS_URL",
            "DEMO_MODE",
            "SEARCH_BACKEND",
            # each gunicorn server makes its own metrics folder (gunicorn.conf.py)
            "PROMETHEUS_MULTIPROC_DIR",
        }
    }
    env.update(
        {
            "PLATFORM_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PSEUDONYM_SECRET": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance),
            "SEARCH_INDEX_PATH": str(instance / "search-index"),
            "MAIL_BACKEND": "file",
            "MAIL_FILE_DIR": str(instance / "mail"),
            # The limiter would answer 429 to a load generator: measure the platform.
            "RATELIMIT_ENABLED": "0",
            # Embedded mode: the worker thread drains the outbox in the web process; the
            # distributed layout runs it in a `flask worker` process of its own instead.
            "WORKER_THREAD": "0" if separate_worker() else "1",
        }
    )
    for name in ("ELASTICSEARCH_URL", "REDIS_URL"):
        if os.environ.get(f"BENCH_{name}"):
            env[name] = os.environ[f"BENCH_{name}"]
    return env


def separate_worker() -> bool:
    """Run background jobs in a `flask worker` process (default with BENCH_DATABASE_URL)."""
    default = "1" if os.environ.get("BENCH_DATABASE_URL") else "0"
    return os.environ.get("BENCH_SEPARATE_WORKER", default) not in {"0", "", "false", "no"}

"""What a bench scenario's `setup` and `measure` get (`BenchContext`): the servers, the
database, and helpers to run commands against the platform and to load it with wrk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import wrk
from bench.processes import FLASK, Gunicorn, run_here, run_in_app

if TYPE_CHECKING:
    from bench.scenarios import Scenario


@dataclass
class BenchContext:
    """What a scenario's `setup` and `measure` get: the servers, the database, helpers."""

    #: the platform's base address, e.g. http://127.0.0.1:40123
    app_url: str
    #: the baseline's base address (GET /ping)
    baseline_url: str
    #: the platform's database URL (SQLite file or the private PostgreSQL database)
    database_url: str
    instance_path: Path
    #: the environment the platform runs with (for commands against the same database)
    env: dict[str, str]
    #: seconds per wrk measurement (BENCH_SECONDS)
    seconds: int
    connections: int
    app_server: Gunicorn
    #: measurements per row (BENCH_REPEAT); the row is the run of median throughput
    repeat: int = 1
    #: a place for scenarios to keep what their setup made (shared across scenarios)
    state: dict[str, Any] = field(default_factory=dict)

    def flask(self, *args: str, demo: bool = False) -> str:
        """Run `flask …` against the platform's database; its stdout (raises on failure)."""
        env = dict(self.env, PLATFORM_ENV="development", DEMO_MODE="1") if demo else self.env
        result = run_here([*FLASK, *args], env)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def python(self, code: str) -> str:
        """Run Python in an app context of the platform (services, bulk data); its stdout."""
        return run_in_app(self.env, code)

    def http(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request to the platform with `requests` (for setup: tokens, data)."""
        import requests

        return requests.request(method, self.app_url + path, timeout=30, **kwargs)

    def wrk(self, url: str, lua: str = "", seconds: int | None = None) -> dict[str, Any]:
        """Load `url` with wrk (-t2 -c<N> --latency); rps, p50/p95/p99 in ms, errors."""
        return wrk.load(url, lua, seconds or self.seconds, self.connections)

    def load(self, scenario: Scenario, seconds: int | None = None) -> dict[str, Any]:
        """Load the platform as `scenario` says (path, method, body, headers or Lua)."""
        lua = scenario.lua
        if lua is None and (scenario.method != "GET" or scenario.body or scenario.headers):
            lua = wrk.request_lua(scenario.method, scenario.body, scenario.headers)
        cpu_before = self.app_server.worker_cpu_seconds()
        measured = self.wrk(self.app_url + scenario.path, lua or "", seconds)
        cpu = self.app_server.worker_cpu_seconds() - cpu_before
        if measured.get("requests"):
            # what one request costs the workers, whatever else shares the machine
            measured["cpu_ms_per_request"] = round(cpu * 1000 / measured["requests"], 2)
        return measured

    def baseline(self, seconds: int | None = None, *, close: bool = False) -> dict[str, Any]:
        """Load the bare-Flask baseline (GET /ping); with `close`, each request on a new
        connection (`Connection: close`), as the rows that send it load the platform."""
        lua = wrk.request_lua("GET", None, {"Connection": "close"}) if close else ""
        return self.wrk(self.baseline_url + "/ping", lua, seconds)

    def baselines(self, closes_connections: bool = False) -> dict[str, Any]:
        """The baseline of a row's ratio, loaded as the row loads the platform; a row that
        closes its connections also keeps the keep-alive one (`baseline_keepalive_rps`)."""
        if not closes_connections:
            return {"baseline_rps": self.baseline()["rps"]}
        return {
            "baseline_rps": self.baseline(close=True)["rps"],
            "baseline_keepalive_rps": self.baseline()["rps"],
        }

    def rss_mb(self) -> float | None:
        """Resident memory of the platform's gunicorn worker, in MiB."""
        return self.app_server.worker_rss_mb()

    def settle(self) -> None:
        """Let the database absorb earlier rows' writes before measuring this one.

        On PostgreSQL a CHECKPOINT flushes what earlier rows (or this row's setup) wrote,
        so that its writes to disk do not land in the middle of the next measurement.
        """
        if not self.database_url.startswith("postgresql"):
            return
        import sqlalchemy as sa

        from coalition.config import database_url

        engine = sa.create_engine(database_url(self.database_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("CHECKPOINT")
        except sa.exc.DBAPIError as error:  # not allowed for this role: measure anyway
            print(f"bench: CHECKPOINT refused ({error.orig}); measuring unsettled", flush=True)
        finally:
            engine.dispose()

"""`make bench`: load the platform with wrk next to a bare-Flask baseline, in the same run.

The platform runs under gunicorn on loopback with a fresh database (SQLite in a temporary
instance folder, or a private PostgreSQL database on the server of `BENCH_DATABASE_URL`),
migrated and seeded with the demo coalition. The baseline (`bench/baseline.py`) runs under
the same gunicorn settings. Each scenario is loaded, then the baseline, alternately, so
that both share the machine's state (on a 2-core machine wrk competes with the server).

Environment: `BENCH_SECONDS` (per measurement, default 5), `BENCH_REPEAT` (measurements
per row, default 1; the row is the median), `BENCH_ONLY=home,search`,
`BENCH_DATABASE_URL`, `BENCH_ELASTICSEARCH_URL`, `BENCH_REDIS_URL`, `BENCH_THREADS`
(default 4), `BENCH_WORKERS` (default 1), `BENCH_CONNECTIONS` (default 8),
`BENCH_OUTPUT` (default bench/results/latest.json), `BENCH_KEEP=1` keeps the instance.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.scenarios import Scenario, all_scenarios  # noqa: E402

BENCH_DIR = PROJECT_ROOT / "bench"
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
#: appended to every wrk script: prints the numbers wrk's own output lacks (p95) as JSON
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run_in_app(env: dict[str, str], code: str) -> str:
    """Run Python in an app context of the platform configured by `env`; its stdout
    (raises with its stderr on failure)."""
    script = (
        "from coalition.app import create_app\napp = create_app()\n"
        "with app.app_context():\n" + "".join(f"    {line}\n" for line in code.strip().splitlines())
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"python in the platform failed:\n{result.stderr}")
    return result.stdout


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lua_string(text: str) -> str:
    """A Lua (5.1) string literal for `text`."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def request_lua(method: str, body: str | None, headers: dict[str, str]) -> str:
    """A wrk script that sends every request with this method, body and headers."""
    lines = [f"wrk.method = {lua_string(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait until `url` answers 200; fail with the server's log if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited while starting:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {timeout}s:\n{log.read_text(errors='replace')}")


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """Resident memory of a process in MiB (from /proc), None if it is gone.

    `field`: VmRSS (all resident pages), RssAnon (the process's own heap and stacks) or
    RssFile (pages of mapped files, such as the search index: shared between workers and
    given back by the kernel under memory pressure).
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1) if match else None


@dataclass
class Gunicorn:
    """A gunicorn server on loopback with the bench's settings."""

    name: str
    app: str
    env: dict[str, str]
    workdir: Path
    workers: int
    threads: int
    pythonpath: str = str(PROJECT_ROOT)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> str:
        return f"gunicorn gthread, {self.workers} worker(s) x {self.threads} threads"

    def start(self, probe: str) -> None:
        """Serve under gunicorn.conf.py (the container's settings); the bench's own
        address, workers and threads through the variables the file reads."""
        log = self.workdir / f"{self.name}.log"
        output = log.open("ab")  # the app's own log (stderr) beside gunicorn's
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(PROJECT_ROOT / "gunicorn.conf.py"),
                "--pythonpath",
                self.pythonpath,
                self.app,
            ],
            cwd=PROJECT_ROOT,
            env={
                **self.env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(self.workers),
                "GUNICORN_THREADS": str(self.threads),
                "GUNICORN_LOG_LEVEL": "warning",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        output.close()
        wait_until_up(self.url + probe, self.process, log)

    def worker_rss_mb(self, field: str = "VmRSS") -> float | None:
        """Resident memory of the largest worker, in MiB (`field` as in `rss_mb`)."""
        if not self.process:
            return None
        workers = child_pids(self.process.pid)
        values = [v for v in (rss_mb(pid, field) for pid in workers) if v is not None]
        return max(values) if values else None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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
        result = subprocess.run(
            [*FLASK, *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
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
        seconds = seconds or self.seconds
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(lua + "\n" + REPORT_LUA)
        try:
            result = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{self.connections}",
                    f"-d{seconds}s",
                    "--latency",
                    "-s",
                    script.name,
                    url,
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=seconds + 60,
            )
        finally:
            os.unlink(script.name)
        match = re.search(r"^BENCH_RESULT (\{.*\})$", result.stdout, re.MULTILINE)
        if result.returncode != 0 or not match:
            raise RuntimeError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
        data = json.loads(match.group(1))
        errors = {k: v for k, v in data["errors"].items() if v}
        return {
            "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
            "p50_ms": round(data["p50_us"] / 1000, 2),
            "p95_ms": round(data["p95_us"] / 1000, 2),
            "p99_ms": round(data["p99_us"] / 1000, 2),
            "requests": data["requests"],
            "errors": errors,
        }

    def load(self, scenario: Scenario, seconds: int | None = None) -> dict[str, Any]:
        """Load the platform as `scenario` says (path, method, body, headers or Lua)."""
        lua = scenario.lua
        if lua is None and (scenario.method != "GET" or scenario.body or scenario.headers):
            lua = request_lua(scenario.method, scenario.body, scenario.headers)
        return self.wrk(self.app_url + scenario.path, lua or "", seconds)

    def baseline(self, seconds: int | None = None) -> dict[str, Any]:
        """Load the bare-Flask baseline (GET /ping)."""
        return self.wrk(self.baseline_url + "/ping", "", seconds)

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


def run_scenario(ctx: BenchContext, scenario: Scenario) -> dict[str, Any]:
    """Set up, measure (warm-up, platform, then baseline) and build the row."""
    started = time.monotonic()
    overrides = scenario.setup(ctx) if scenario.setup else None
    if overrides:
        scenario = replace(scenario, **overrides)
    row: dict[str, Any] = {"name": scenario.name, "description": scenario.description}
    ctx.settle()
    if not scenario.measure:
        ctx.load(scenario, seconds=1)  # warm-up: imports, template and query caches
    runs = [measure_once(ctx, scenario) for _ in range(max(1, ctx.repeat))]
    # The run of median throughput is the row; with BENCH_REPEAT > 1 every run is kept.
    measured = sorted(runs, key=lambda run: run.get("rps") or 0)[len(runs) // 2]
    if len(runs) > 1:
        measured["runs"] = [
            {k: run.get(k) for k in ("rps", "p95_ms", "baseline_rps")} for run in runs
        ]
    measured.setdefault("rss_mb", ctx.rss_mb())
    measured.setdefault("rss_anon_mb", ctx.app_server.worker_rss_mb("RssAnon"))
    measured.setdefault("rss_file_mb", ctx.app_server.worker_rss_mb("RssFile"))
    rps, baseline_rps = measured.pop("rps", None), measured.pop("baseline_rps", None)
    row.update(
        {
            "rps": rps,
            "p50_ms": measured.pop("p50_ms", None),
            "p95_ms": measured.pop("p95_ms", None),
            "baseline_rps": baseline_rps,
            "ratio": round(rps / baseline_rps, 3) if rps and baseline_rps else None,
            "rss_mb": measured.pop("rss_mb"),
        }
    )
    if not measured.get("errors"):
        measured.pop("errors", None)
    row.update(measured)
    row["database"] = ctx.database_url.split(":", 1)[0].split("+", 1)[0]
    row["server"] = ctx.app_server.settings
    row["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    # Wall-clock seconds of the whole row, setup included: `make bench` must stay short.
    row["took_s"] = round(time.monotonic() - started, 1)
    return row


def measure_once(ctx: BenchContext, scenario: Scenario) -> dict[str, Any]:
    """One measurement of the scenario (its own, or a wrk load), then the baseline."""
    if scenario.measure:
        return scenario.measure(ctx)
    measured = ctx.load(scenario)
    if scenario.baseline:
        measured["baseline_rps"] = ctx.baseline()["rps"]
    return measured


def failed_row(scenario: Scenario, error: Exception) -> dict[str, Any]:
    """The row of a scenario whose setup or measurement raised."""
    return {
        "name": scenario.name,
        "description": scenario.description,
        **dict.fromkeys(("rps", "p50_ms", "p95_ms", "baseline_rps", "ratio", "rss_mb")),
        # The end of the message says what went wrong (the start is often log noise).
        "errors": {"failed": f"{type(error).__name__}: {error}"[-600:]},
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "took_s": None,
    }


def machine(database_url: str, server: Gunicorn, seconds: int, connections: int) -> dict:
    """What ran the bench: CPU, cores, memory, software, settings, date."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
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
        "commit": commit.stdout.strip() or None,
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


def select_scenarios() -> list[Scenario]:
    """The registered scenarios, or those named in BENCH_ONLY (unknown names are an error)."""
    scenarios = all_scenarios()
    only = [n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()]
    if not only:
        return scenarios
    known = {s.name for s in scenarios}
    unknown = sorted(set(only) - known)
    if unknown:
        raise SystemExit(f"unknown scenario(s) {unknown}; known: {sorted(known)}")
    return [s for s in scenarios if s.name in only]


def write_results(path: Path, machine_info: dict, rows: list[dict]) -> None:
    """Write latest.json; rows of scenarios not run this time are kept from the last file."""
    previous: list[dict] = []
    if path.exists():
        try:
            previous = json.loads(path.read_text()).get("results", [])
        except (json.JSONDecodeError, AttributeError):
            previous = []
    names = {row["name"] for row in rows}
    kept = [row for row in previous if row.get("name") not in names]
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": machine_info, "results": kept + rows}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def main() -> int:
    """Run the bench; print a table; write the results file."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make browser` (apt-get install wrk)")
    seconds = env_int("BENCH_SECONDS", 5)
    connections = env_int("BENCH_CONNECTIONS", 8)
    workers, threads = env_int("BENCH_WORKERS", 1), env_int("BENCH_THREADS", 4)
    output = Path(os.environ.get("BENCH_OUTPUT") or BENCH_DIR / "results" / "latest.json")
    scenarios = select_scenarios()

    instance = Path(tempfile.mkdtemp(prefix="bench-instance-"))
    database = Database(instance)
    env = platform_environment(instance, database.url)
    app_server = Gunicorn("platform", "wsgi:app", env, instance, workers, threads)
    env["PUBLIC_URL"] = app_server.url
    baseline_server = Gunicorn(
        "baseline", "baseline:app", env, instance, workers, threads, pythonpath=str(BENCH_DIR)
    )
    ctx = BenchContext(
        app_url=app_server.url,
        baseline_url=baseline_server.url,
        database_url=database.url,
        instance_path=instance,
        env=env,
        seconds=seconds,
        connections=connections,
        app_server=app_server,
        repeat=env_int("BENCH_REPEAT", 1),
    )
    rows = []
    worker: subprocess.Popen | None = None
    try:
        print(f"bench: migrating and seeding ({database.url.split(':', 1)[0]}) …", flush=True)
        ctx.flask("db", "upgrade", "heads")
        try:
            ctx.flask("demo", "seed", demo=True)
        except RuntimeError as error:
            if "No such command" not in str(error):
                raise
            print("bench: no `flask demo seed` yet; measuring an empty platform", flush=True)
        app_server.start("/healthz")
        baseline_server.start("/ping")
        if separate_worker():
            worker = subprocess.Popen(
                [*FLASK, "worker"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=(instance / "worker.log").open("w"),
                stderr=subprocess.STDOUT,
            )
        for scenario in scenarios:
            print(f"bench: {scenario.name} …", flush=True)
            try:
                row = run_scenario(ctx, scenario)
            except Exception as error:  # one broken row must not lose the others
                traceback.print_exc()
                row = failed_row(scenario, error)
            rows.append(row)
            if row.get("errors"):
                print(f"bench: {scenario.name}: errors {row['errors']}", flush=True)
        write_results(output, machine(database.url, app_server, seconds, connections), rows)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        app_server.stop()
        baseline_server.stop()
        database.drop()
        if os.environ.get("BENCH_KEEP"):
            print(f"bench: instance kept in {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)
    print(
        f"\n{'name':<18}{'rps':>10}{'p50 ms':>9}{'p95 ms':>9}{'base rps':>10}{'ratio':>7}"
        f"{'RSS MB':>8}{'took s':>8}"
    )
    for row in rows:
        print(
            f"{row['name']:<18}{fmt(row['rps']):>10}{fmt(row['p50_ms']):>9}"
            f"{fmt(row['p95_ms']):>9}{fmt(row['baseline_rps']):>10}{fmt(row['ratio']):>7}"
            f"{fmt(row['rss_mb']):>8}{fmt(row.get('took_s')):>8}"
        )
    print(f"\nwritten to {output}")
    return 0


def fmt(value: Any) -> str:
    return "-" if value is None else str(value)


if __name__ == "__main__":
    sys.exit(main())

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
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench import environment  # noqa: E402
from bench.context import BenchContext  # noqa: E402
from bench.environment import env_int  # noqa: E402
from bench.processes import FLASK, Gunicorn  # noqa: E402
from bench.scenarios import Scenario, all_scenarios  # noqa: E402

BENCH_DIR = PROJECT_ROOT / "bench"


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
        measured["runs"] = [run_summary(run) for run in runs]
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


def run_summary(run: dict[str, Any]) -> dict[str, Any]:
    """What `runs` keeps of one run of a repeated row (and its keep-alive baseline, if
    the row measured one)."""
    kept = {k: run.get(k) for k in ("rps", "p95_ms", "baseline_rps")}
    if "baseline_keepalive_rps" in run:
        kept["baseline_keepalive_rps"] = run["baseline_keepalive_rps"]
    return kept


def measure_once(ctx: BenchContext, scenario: Scenario) -> dict[str, Any]:
    """One measurement of the scenario (its own, or a wrk load), then the baseline."""
    if scenario.measure:
        return scenario.measure(ctx)
    measured = ctx.load(scenario)
    if scenario.baseline:
        measured.update(ctx.baselines(scenario.closes_connections))
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
    workers, threads = (
        env_int("BENCH_WORKERS", 1),
        env_int("BENCH_THREADS", 4),
    )
    output = Path(os.environ.get("BENCH_OUTPUT") or BENCH_DIR / "results" / "latest.json")
    scenarios = select_scenarios()

    instance = Path(tempfile.mkdtemp(prefix="bench-instance-"))
    database = environment.Database(instance)
    env = environment.platform_environment(instance, database.url)
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
        if environment.separate_worker():
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
        write_results(
            output, environment.machine(database.url, app_server, seconds, connections), rows
        )
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

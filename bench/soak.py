"""`make soak`: the distributed layout under a mixed load while its parts fail.

On this machine: a private PostgreSQL database (`soak_<pid>_<hex>`, created and dropped
here) on the server of `SOAK_DATABASE_URL`, the Elasticsearch test server (noida-db), a
private redis-server on a free port, two gunicorn servers (gunicorn.conf.py) and two
`flask worker` processes. After measuring the capacity of the mix (unpaced load for
`SOAK_CAPACITY_SECONDS`), it loads the platform at `SOAK_LOAD_FRACTION` (0.8) of it for
`SOAK_SECONDS` (60) while it kills -9 one worker, stops the search engine for 10 s,
restarts Redis and restarts one web server. Then it checks that every acknowledged PUT
is in PostgreSQL and, once the outbox drained, in the index; that every 5xx (and every
request left unanswered) fell in the window of a fault it depends on; and how long the
outbox took to drain after the engine came back. Results: bench/results/soak.json.

Not a test: it takes the machine for a few minutes. See bench/README.md ("Survive").
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench import soak_checks as checks  # noqa: E402
from bench.environment import env_int, platform_environment  # noqa: E402
from bench.processes import FLASK, Gunicorn, free_port  # noqa: E402
from bench.scenarios.referrals import referral_target  # noqa: E402
from bench.soak_load import run_load  # noqa: E402
from bench.soak_parts import (  # noqa: E402
    Redis,
    SearchEngine,
    SoakDatabase,
    detect_referrals,
    make_clients,
    wait_for,
)
from bench.soak_report import SoakRun, report  # noqa: E402
from examples.member_client import EXAMPLE_PROGRAMME  # noqa: E402

OUTPUT = PROJECT_ROOT / "bench" / "results" / "soak.json"
MIX = {"search": 0.5, "put": 0.3, "token": 0.15, "referral": 0.05}
ENGINE_DOWN_SECONDS = 10.0
#: a supervisor (compose's `restart: unless-stopped`) brings a killed worker back
WORKER_RESTART_SECONDS = 5.0
#: how long a web server's graceful stop may take before it is killed (gunicorn's
#: graceful_timeout is 30 s)
GRACEFUL_STOP_SECONDS = 40.0


T0 = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - T0:5.0f} s] soak: {message}", flush=True)


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


class Layout:
    """Every process of the distributed layout, started and stopped together."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.database = SoakDatabase(os.environ.get("SOAK_DATABASE_URL", ""))
        self.redis = Redis(instance / "redis", free_port())
        self.engine = SearchEngine(instance / "noida", free_port())
        env = platform_environment(instance, self.database.url)
        env.update(
            {
                "ELASTICSEARCH_URL": self.engine.url,
                "SEARCH_BACKEND": "elasticsearch",
                "SEARCH_INDEX_PREFIX": f"soak-{uuid.uuid4().hex[:6]}",
                "REDIS_URL": self.redis.url,
                "WORKER_THREAD": "0",
                # Rate limits stay on, counted in Redis as in production, but far above
                # the load: the soak measures faults, not the limiter's refusals.
                "RATELIMIT_ENABLED": "1",
                "FEDERATION_RATE_LIMIT": "100000 per minute",
                "OAUTH_TOKEN_RATE_LIMIT": "100000 per minute",
            }
        )
        workers, threads = env_int("SOAK_WEB_WORKERS", 2), env_int("SOAK_WEB_THREADS", 4)
        self.web = [
            Gunicorn(f"web-{n}", "wsgi:app", env, instance, workers, threads) for n in (1, 2)
        ]
        # Both servers stand behind one public address (token issuer and audience).
        env["PUBLIC_URL"] = self.web[0].url
        self.env = env
        self.workers: list[subprocess.Popen | None] = [None, None]

    def flask(self, *args: str, demo: bool = False) -> str:
        env = dict(self.env, PLATFORM_ENV="development", DEMO_MODE="1") if demo else self.env
        result = subprocess.run(
            [*FLASK, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start_worker(self, n: int) -> None:
        log = (self.instance / f"worker-{n + 1}.log").open("ab")
        self.workers[n] = subprocess.Popen(
            [*FLASK, "worker"], cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def start(self) -> None:
        self.redis.start()
        self.engine.start()
        say("migrating, seeding, indexing …")
        self.flask("db", "upgrade", "heads")
        self.flask("demo", "seed", demo=True)
        self.flask("search", "reindex")
        for server in self.web:
            server.start("/healthz")
        for n in range(2):
            self.start_worker(n)

    def stop(self) -> None:
        for worker in self.workers:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        for server in self.web:
            server.stop()
        self.engine.stop()
        self.redis.stop()
        self.database.drop()


class Faults:
    """Runs the fault schedule during the load and notes when each fault began and ended."""

    def __init__(self, layout: Layout, schedule: dict[str, float]) -> None:
        self.layout = layout
        self.schedule = schedule
        self.log: dict[str, dict[str, float]] = {}
        self.engine_returned: float | None = None
        #: more about a fault than its window (e.g. how long a graceful stop took)
        self.details: dict[str, dict[str, Any]] = {}
        self.error: str | None = None

    def run(self, start: float) -> None:
        try:
            for name, at in sorted(self.schedule.items(), key=lambda item: item[1]):
                time.sleep(max(0.0, start + at - time.time()))
                began = time.time()
                getattr(self, name)()
                self.log[name] = {
                    "start": began,
                    "end": self.log.get(name, {}).get("end", time.time()),
                }
                say(f"{name} at {began - start:.1f} s, {time.time() - began:.1f} s")
        except Exception as error:  # the load goes on; the report says the fault broke
            self.error = f"{type(error).__name__}: {error}"

    def worker_kill(self) -> None:
        worker = self.layout.workers[0]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

        self.details["worker_kill"] = {"pid": worker.pid, "exit_code": worker.returncode}

        def restart() -> None:
            time.sleep(WORKER_RESTART_SECONDS)
            self.layout.start_worker(0)
            self.details["worker_kill"]["restarted_after_s"] = WORKER_RESTART_SECONDS

        threading.Thread(target=restart, daemon=True).start()

    def search_engine_stop(self) -> None:
        engine = self.layout.engine
        engine.stop_service()
        time.sleep(ENGINE_DOWN_SECONDS)
        engine.start_service()
        wait_for(engine.answers, 60, "the search engine did not come back")
        self.engine_returned = time.time()

    def redis_restart(self) -> None:
        self.layout.redis.stop()
        self.layout.redis.start()

    def web_restart(self) -> None:
        server = self.layout.web[1]
        began = time.time()
        # A graceful stop: gunicorn lets its workers finish their requests (up to its
        # graceful_timeout, 30 s) before it exits; only then is it killed.
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=GRACEFUL_STOP_SECONDS)
            killed = False
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
            killed = True
        stopped = time.time()
        server.start("/healthz")
        self.details["web_restart"] = {
            "stopped_after_s": round(stopped - began, 2),
            "killed_after_graceful_timeout": killed,
            "serving_again_after_s": round(time.time() - stopped, 2),
        }

    def windows(self) -> list[checks.Window]:
        """The fault windows that requests depend on (a background worker answers none)."""
        out = []
        # A web server's own window first: a request to it that failed while it was down
        # is its, even when another fault's window overlaps.
        for name, times in sorted(self.log.items(), key=lambda item: item[0] != "web_restart"):
            if name == "search_engine_stop":
                out.append(
                    checks.Window(name, times["start"], times["end"], kinds=frozenset({"search"}))
                )
            elif name == "redis_restart":  # the rate limits: PUTs, tokens, referrals
                kinds = frozenset({"put", "token", "referral"})
                out.append(checks.Window(name, times["start"], times["end"], kinds=kinds))
            elif name == "web_restart":
                out.append(checks.Window(name, times["start"], times["end"], server=1))
        return out


class OutboxSampler:
    """Samples the search outbox every 0.25 s: its length, oldest row, and the backlog of
    rows written before the search engine came back."""

    def __init__(self, database: SoakDatabase, faults: Faults) -> None:
        self.database = database
        self.faults = faults
        self.samples: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.max_id_at_return: int | None = None

    def run(self) -> None:
        with self.database.connect() as conn:
            while not self.stop.wait(0.25):
                returned = self.faults.engine_returned
                if returned is not None and self.max_id_at_return is None:
                    self.max_id_at_return = conn.execute(
                        "SELECT coalesce(max(id), 0) FROM search_outbox"
                    ).fetchone()[0]
                total, oldest = conn.execute(
                    "SELECT count(*), extract(epoch FROM now() - min(created_at))"
                    " FROM search_outbox"
                ).fetchone()
                backlog = None
                if self.max_id_at_return is not None:
                    backlog = conn.execute(
                        "SELECT count(*) FROM search_outbox WHERE id <= %s",
                        (self.max_id_at_return,),
                    ).fetchone()[0]
                self.samples.append(
                    {
                        "t": time.time(),
                        "rows": total,
                        "oldest_s": float(oldest or 0),
                        "backlog": backlog,
                    }
                )


def main() -> int:
    seconds = env_float("SOAK_SECONDS", 60)
    capacity_seconds = env_float("SOAK_CAPACITY_SECONDS", 8)
    processes, threads = env_int("SOAK_PROCESSES", 2), env_int("SOAK_THREADS", 12)
    output = Path(os.environ.get("SOAK_OUTPUT") or OUTPUT)
    instance = Path(tempfile.mkdtemp(prefix="soak-instance-"))
    layout = Layout(instance)
    run = SoakRun(
        seconds=seconds, fraction=env_float("SOAK_LOAD_FRACTION", 0.8), load_before=os.getloadavg()
    )
    try:
        layout.start()
        run.referral = detect_referrals(layout.web[0].url)
        run.mix = dict(MIX)
        if run.referral["found"]:  # a seeded programme of another member, its organisation
            run.referral["target"] = referral_target(layout.env)
        else:
            run.mix.pop("referral")
        say(f"referrals: {run.referral['reason']}")
        clients = make_clients(layout, count=env_int("SOAK_CLIENTS", 4), referral=run.referral)
        plan = {
            "run": uuid.uuid4().hex[:6],
            "seed": 15,
            "servers": [server.url for server in layout.web],
            "audience": layout.env["PUBLIC_URL"] + "/oauth/token",
            "clients": clients["members"],
            "referral_client": clients.get("referral"),
            "programme": EXAMPLE_PROGRAMME,
            "mix": run.mix,
        }
        say(f"capacity ({capacity_seconds:.0f} s unpaced) …")
        warm, _ = run_load(plan, processes, threads, 2, None, instance)
        measured, _ = run_load(plan, processes, threads, capacity_seconds, None, instance)
        run.capacity_records = warm + measured
        run.capacity = len(measured) / capacity_seconds
        run.rate = run.fraction * run.capacity
        clients = make_clients(
            layout, count=len(plan["clients"]), referral=run.referral, refresh=clients
        )
        plan["clients"], plan["referral_client"] = clients["members"], clients.get("referral")
        schedule = checks.fault_schedule(seconds)
        faults = Faults(layout, schedule)
        sampler = OutboxSampler(layout.database, faults)
        threading.Thread(target=sampler.run, daemon=True).start()
        say(f"{seconds:.0f} s at {run.rate:.0f}/s ({run.fraction:.0%} of {run.capacity:.0f}/s) …")
        start_delay = 3.0
        fault_thread = threading.Thread(target=lambda: faults.run(time.time() + start_delay))
        fault_thread.start()
        run.records, run.started = run_load(
            plan, processes, threads, seconds, run.rate, instance, start_delay
        )
        with (instance / "records.jsonl").open("w") as file:  # kept with SOAK_KEEP=1
            for record in run.records:
                file.write(json.dumps(dataclasses.asdict(record)) + "\n")
        fault_thread.join()
        wait_for(lambda: layout.database.outbox_length() == 0, 120, "the outbox did not drain")
        run.drained_after_load = time.time()
        sampler.stop.set()
        result = report(layout, faults, sampler, run)
    finally:
        layout.stop()
        if os.environ.get("SOAK_KEEP"):
            say(f"instance kept in {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["verdict"], indent=2))
    print(f"written to {output}")
    return 0 if all(result["verdict"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The bench's processes: Python in the platform, free ports, a gunicorn server on loopback
and the memory of its workers (read from /proc). `make bench` and `make soak` share them."""

from __future__ import annotations

import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: `flask …` against the platform (its environment says which database)
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def run_here(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `argv` in the project's folder, its output captured as text; a failure does not
    raise (the caller reads `returncode` and says what failed)."""
    return subprocess.run(
        argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


def git_commit() -> str | None:
    """The short hash of the commit checked out, None outside a git checkout."""
    return run_here(["git", "rev-parse", "--short", "HEAD"]).stdout.strip() or None


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo, else what `platform` knows)."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return model.group(1).strip() if model else platform.processor() or "unknown"


def run_in_app(env: dict[str, str], code: str) -> str:
    """Run Python in an app context of the platform configured by `env`; its stdout
    (raises with its stderr on failure)."""
    script = (
        "from coalition.app import create_app\napp = create_app()\n"
        "with app.app_context():\n" + "".join(f"    {line}\n" for line in code.strip().splitlines())
    )
    result = run_here([sys.executable, "-c", script], env)
    if result.returncode != 0:
        raise RuntimeError(f"python in the platform failed:\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process so far, in seconds; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields 14 and 15 of proc(5) (utime, stime), counted here from field 3 on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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

    def worker_cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far, in seconds."""
        if not self.process:
            return 0.0
        return sum(cpu_seconds(pid) for pid in child_pids(self.process.pid))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

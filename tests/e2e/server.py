"""The platform served on loopback for the browser tests, in a process of its own.

Each server gets a fresh instance folder, a fresh SQLite database built by the migrations
(`flask db upgrade heads`) and a `file` mail backend whose messages the test reads back.
A subprocess keeps the served app apart from the in-process `app`/`db` fixtures.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NamedTuple

from coalition.config import PROJECT_ROOT
from tests._commands import run_in_project

FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
STARTUP_TIMEOUT = 30.0


class Staff(NamedTuple):
    """A staff member `LiveServer.add_staff` made."""

    #: what makes their names unique on the server (its database outlives a test)
    tag: str
    email: str
    #: their organisation's id
    org_id: str


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(instance: Path, demo_mode: bool, **overrides: str) -> dict[str, str]:
    """The environment of a served platform: its own database, instance and mail folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Engines of the developer's shell must not leak into the served app.
        if key not in {"DATABASE_URL", "INSTANCE_PATH", "ELASTICSEARCH_URL", "REDIS_URL"}
    }
    env.update(
        {
            "PLATFORM_ENV": "development",
            "DEMO_MODE": "1" if demo_mode else "0",
            "SECRET_KEY": "e2e-secret-key-that-is-long-enough-0123456789",
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'platform.db'}",
            "SEARCH_INDEX_PATH": str(instance / "search-index"),
            "MAIL_BACKEND": "file",
            "MAIL_FILE_DIR": str(instance / "mail"),
            # Plain http on loopback: a Secure cookie would never come back.
            "SESSION_COOKIE_SECURE": "0",
            # Every journey signs in from 127.0.0.1; throttling is tested elsewhere.
            "RATELIMIT_ENABLED": "0",
            "WORKER_THREAD": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@dataclass
class LiveServer:
    """A running platform: its address, its instance folder and its mail."""

    instance_path: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.instance_path / "server.log"
        self.port = self.port or free_port()
        # Links in mails point at the served address.
        self.env.setdefault("PUBLIC_URL", self.url)

    @property
    def url(self) -> str:
        """The base address, e.g. `http://127.0.0.1:45678`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["MAIL_FILE_DIR"])

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        """Run `command` in the project with this server's environment; its output."""
        return run_in_project(command, self.env)

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a `flask …` command against this server's database and instance."""
        result = self._run([*FLASK, *args])
        if check and result.returncode != 0:
            raise AssertionError(
                f"flask {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def python(self, code: str) -> str:
        """Run Python inside an app context of this server (services, fixtures); its stdout."""
        script = (
            "from coalition.app import create_app\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            + "".join(f"    {line}\n" for line in code.strip().splitlines())
        )
        result = self._run([sys.executable, "-c", script])
        if result.returncode != 0:
            raise AssertionError(f"python in the server's app failed:\n{result.stderr}")
        return result.stdout

    def python_json(self, code: str) -> Any:
        """Run Python as `python` does; the JSON its last printed line holds."""
        return json.loads(self.python(code).strip().splitlines()[-1])

    def add_staff(
        self,
        mailbox: str,
        first_name: str,
        password: str,
        role: str,
        *,
        language: str = "fr",
        user_language: str | None = None,
        branch: tuple[str, str] | None = None,
    ) -> Staff:
        """A new admitted organisation "Duo <tag>" working in `language`, and a staff member
        of it, "<first_name> <tag>", with `role` (a `coalition.access.Role` name) signing in
        with `<mailbox>-<tag>@example.org` and `password`; a new tag each time.

        :param branch: also a Belgian branch of the organisation: (city, postcode)
        """
        tag = uuid.uuid4().hex[:6]
        email = f"{mailbox}-{tag}@example.org"
        name = f"{first_name} {tag}"
        add_branch = (
            f"db.session.add(Branch(organisation_id=org.id, name={branch[0]!r}, "
            f"postcode={branch[1]!r}, city={branch[0]!r}, country='BE'))"
            if branch
            else ""
        )
        ui_language = f", language={user_language!r}" if user_language else ""
        org_id = self.python(f"""
from coalition.branches.models import Branch
from coalition.extensions import db
from tests.e2e.world import member, staff
org = member("Duo {tag}", "duo-{tag}", [{language!r}])
staff(org, {role!r}, {email!r}, {name!r}, {password!r}{ui_language})
{add_branch}
db.session.commit()
print(org.id)
""").strip()
        return Staff(tag, email, org_id)

    def start(self) -> LiveServer:
        """Migrate the fresh database, then serve it and wait until `/healthz` answers."""
        self.instance_path.mkdir(parents=True, exist_ok=True)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.flask("db", "upgrade", "heads")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                *FLASK,
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-reload",
                "--no-debugger",
            ],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the e2e server exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the e2e server did not answer /healthz in time:\n{self.log()}")

    def stop(self) -> None:
        """Stop the server process."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        """What the server printed so far (for failure messages)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- mail -------------------------------------------------------------------------------

    def mails(self, to: str | None = None) -> list[EmailMessage]:
        """Messages the platform sent (oldest first), optionally only those to `to`."""
        messages = []
        for path in sorted(self.mail_dir.glob("**/*.eml"), key=lambda p: p.stat().st_mtime_ns):
            with path.open("rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            if to is None or to.lower() in str(message.get("To", "")).lower():
                messages.append(message)
        return messages

    def wait_for_mail(self, to: str, timeout: float = 10.0) -> EmailMessage:
        """The latest message to `to`, waiting for it a little (mail may be sent by a job)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.mails(to)
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} in {self.mail_dir}")
            time.sleep(0.2)


def mail_text(message: EmailMessage) -> str:
    """The plain-text body of a message (the first text part)."""
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""

"""Running the project's own commands from a test, at its root, as an operator does."""

from __future__ import annotations

import subprocess

from coalition.config import PROJECT_ROOT


def run_in_project(
    command: list[str],
    env: dict[str, str] | None = None,
    *,
    timeout: float = 120,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `command` at the project's root with `env` (this process's when None); its output,
    captured as text.

    :raise CalledProcessError: `check` is set and the command failed.
    """
    return subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )

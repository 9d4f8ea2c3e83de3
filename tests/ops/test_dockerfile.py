"""The Dockerfile, parsed with BuildKit's own parser (`dockerfile`) and linted by hadolint:
multi-stage, a slim Python 3.11+ base, no dev extras, compiled catalogues, not root,
a HEALTHCHECK on /healthz, and gunicorn under gunicorn.conf.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def instructions() -> list[dockerfile.Command]:
    return list(dockerfile.parse_file(str(ROOT / "Dockerfile")))


def stages(instructions) -> list[list[dockerfile.Command]]:
    """The instructions of each stage, from its FROM on."""
    found: list[list[dockerfile.Command]] = []
    for instruction in instructions:
        if instruction.cmd == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def base_image(instructions) -> str:
    [arg] = [i for i in instructions if i.cmd == "ARG" and i.value[0].startswith("PYTHON_IMAGE")]
    return arg.value[0].split("=", 1)[1]


def test_it_builds_in_stages_on_a_slim_python_of_3_11_or_later(instructions):
    built = stages(instructions)
    assert len(built) >= 2
    assert [stage[0].value[-1] for stage in built] == ["build", "runtime"]
    assert all(stage[0].value[0] == "${PYTHON_IMAGE}" for stage in built)
    image = base_image(instructions)
    match = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", image)
    assert match and int(match.group(1)) >= 11, image


def test_the_final_stage_copies_only_what_the_build_stage_made(instructions):
    runtime = stages(instructions)[-1]
    copies = [i for i in runtime if i.cmd == "COPY"]
    assert copies and all(i.flags == ("--from=build",) for i in copies)
    assert not [i for i in runtime if i.cmd == "RUN" and "pip" in i.value[0]]


def test_no_dev_dependencies_are_installed(instructions):
    runs = " ".join(i.value[0] for i in instructions if i.cmd == "RUN")
    assert "pip install" in runs
    assert "[dev]" not in runs and "dev]" not in runs
    assert "['project']['dependencies']" in runs  # pyproject's runtime list, read by tomllib
    copied = [v for i in instructions if i.cmd == "COPY" for v in i.value]
    assert not {"tests", "bench", ".env", "."} & set(copied)


def test_the_catalogues_are_compiled_in_the_image(instructions):
    runs = [i.value[0] for i in stages(instructions)[0] if i.cmd == "RUN"]
    assert any("scripts/i18n.py compile" in run for run in runs)


def test_it_runs_as_a_user_that_is_not_root(instructions):
    users = [i.value[0] for i in stages(instructions)[-1] if i.cmd == "USER"]
    assert users, "the final stage names a USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit()  # numeric: a runtime can check it without /etc/passwd


def test_its_healthcheck_asks_healthz_and_it_serves_with_the_config_file(instructions):
    runtime = stages(instructions)[-1]
    [check] = [i for i in runtime if i.cmd == "HEALTHCHECK"]
    assert check.value[0] == "CMD"
    assert "/healthz" in " ".join(check.value)
    assert any(flag.startswith("--timeout=") for flag in check.flags)
    [cmd] = [i for i in runtime if i.cmd == "CMD"]
    assert list(cmd.value) == ["gunicorn", "--config", "gunicorn.conf.py"]
    env = dict(zip(*[iter(next(i for i in runtime if i.cmd == "ENV").value)] * 2, strict=True))
    assert env["PLATFORM_ENV"] == "production"
    assert env["GUNICORN_BIND"] == "0.0.0.0:8000"


def test_every_folder_the_platform_needs_is_copied(instructions):
    copied = {v.rstrip("/") for i in stages(instructions)[0] if i.cmd == "COPY" for v in i.value}
    for needed in ("coalition", "search", "federation", "policy_briefs", "templates"):
        assert needed in copied
    for needed in ("migrations", "wsgi.py", "gunicorn.conf.py", "pyproject.toml"):
        assert needed in copied


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_runtime_has_the_pdf_s_libraries_and_the_build_checks_them(instructions):
    """WeasyPrint loads with the first PDF: the image must carry the Makefile's pango
    packages, and the build fails when `import weasyprint` would."""
    runtime = stages(instructions)[-1]
    runs = " ".join(" ".join(i.value) for i in runtime if i.cmd == "RUN")
    makefile = (ROOT / "Makefile").read_text()
    packages = re.search(r"^PANGO := (.+)$", makefile, re.MULTILINE).group(1).split()
    assert packages and all(package in runs for package in packages)
    assert 'python -c "import weasyprint"' in runs or "python -c 'import weasyprint'" in runs

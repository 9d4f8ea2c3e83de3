"""compose.yaml: valid against the Compose Specification (its schema vendored, no network,
no container runtime), and the facts the deployment relies on."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).parent / "compose-spec" / "compose-spec.json"
PLATFORM = ("web", "worker", "migrate")
#: ${NAME}, ${NAME:?message}, ${NAME:-default}…; `$${NAME}` is left to the container's shell
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def example() -> dict[str, str]:
    """The variables of .env.example."""
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def test_compose_yaml_is_valid_against_the_compose_specification(compose):
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_catches_a_broken_file(compose):
    """The validation is not vacuous: a misspelt key and a bad condition are refused."""
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_finished"
    broken["services"]["worker"]["helthcheck"] = broken["services"]["worker"].pop("healthcheck")
    assert len(list(validator.iter_errors(broken))) >= 2


def test_the_services_and_what_they_run(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "migrate", "postgres", "elasticsearch", "redis"}
    assert services["web"]["command"][:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert int(services["web"]["environment"]["WEB_CONCURRENCY"]) >= 2
    assert services["worker"]["command"] == ["flask", "worker"]
    assert services["migrate"]["command"][:3] == ["flask", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in PLATFORM:
        environment = services[name]["environment"]
        assert environment["PLATFORM_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert environment["ELASTICSEARCH_URL"].startswith("http")
        assert environment["REDIS_URL"].startswith("redis://")
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"
    assert services["elasticsearch"]["environment"]["xpack.security.enabled"] == "true"


def test_every_long_running_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name == "migrate":
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), name
    web, worker = (compose["services"][n]["healthcheck"]["test"] for n in ("web", "worker"))
    assert "/healthz" in " ".join(web) and "/healthz" in " ".join(worker)


def test_the_start_order_is_gated_on_health(compose):
    services = compose["services"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "elasticsearch": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_data_lives_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"postgres-data", "elasticsearch-data"}
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert any(
        v.startswith("elasticsearch-data:") for v in compose["services"]["elasticsearch"]["volumes"]
    )


def test_the_web_port_is_published_on_the_hosts_loopback_only(compose):
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for name in ("worker", "postgres", "elasticsearch", "redis"):
        assert "ports" not in compose["services"][name], name


def test_the_file_holds_no_secret_only_references_to_the_env_file(compose, example):
    text = (ROOT / "compose.yaml").read_text()
    for name in PLATFORM:
        assert compose["services"][name]["env_file"] == ".env"
    for service in compose["services"].values():
        for key, value in (service.get("environment") or {}).items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert INTERPOLATION.fullmatch(value), f"{key} has a value in compose.yaml"
            if "://" in value and "@" in value:  # a URL with credentials
                userinfo = value.split("://", 1)[1].split("@", 1)[0]
                password = userinfo.partition(":")[2]
                assert INTERPOLATION.fullmatch(password), f"{key} holds a password"
    # Secrets are required (`:?`), never given a default (`:-`) in the file.
    for name, rest in INTERPOLATION.findall(text):
        assert rest.startswith(":?"), f"${{{name}{rest}}} would start without its value"
        assert name in example, f"{name} is missing from .env.example"
    # The platform's own secrets only come through env_file.
    for secret in ("SECRET_KEY", "PSEUDONYM_SECRET", "METRICS_TOKEN"):
        assert secret in example
        for service in compose["services"].values():
            assert secret not in (service.get("environment") or {})


def test_the_env_file_stays_out_of_git_and_of_the_image(example):
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False
    ).returncode
    assert ignored == 0, ".env must be in .gitignore"
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
    # The example's values are placeholders that production refuses to start with.
    from coalition.config import ConfigurationError, check_config

    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        check_config({"PLATFORM_ENV": "production", "SECRET_KEY": example["SECRET_KEY"]})

"""The application shell: configuration, languages, headers, errors, health, schema."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coalition.app import create_app
from coalition.config import ConfigurationError, load_config
from coalition.extensions import db as _db
from tests.coalition._errors import failing_route_answer


def test_production_refuses_the_default_secret(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"PLATFORM_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_demo_mode(tmp_path):
    with pytest.raises(ConfigurationError, match="DEMO_MODE"):
        create_app(
            {
                "PLATFORM_ENV": "production",
                "SECRET_KEY": "x" * 40,
                "DEMO_MODE": True,
                "INSTANCE_PATH": str(tmp_path),
            }
        )


def test_configuration_comes_from_the_environment(tmp_path):
    config = load_config(
        {
            "DATABASE_URL": "postgres://u@h/db",
            "ELASTICSEARCH_URL": "http://es:9200",
            "REDIS_URL": "redis://r:6379/0",
        },
        instance_path=tmp_path,
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["SEARCH_BACKEND"] == "elasticsearch"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"
    embedded = load_config({}, instance_path=tmp_path)
    assert embedded["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'platform.db'}"
    assert embedded["SEARCH_BACKEND"] == "tantivy"


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    # issue 15: the search engine (tantivy by default) is reported beside the database
    assert client.get("/readyz").json == {"status": "ok", "database": "ok", "search": "ok"}


def test_readiness_reports_an_unreachable_database(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.5", "/nl/"),
        ("en-GB,en", "/en/"),
        ("fr-BE", "/fr/"),
        ("de-DE", "/fr/"),
    ],
)
def test_root_follows_the_browser_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_pages_declare_their_language(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html


def test_security_headers(client):
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_load_nothing_from_elsewhere(client):
    html = client.get("/en/").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "Page introuvable"), ("nl", "Pagina niet gevonden"), ("en", "Page not found")],
)
def test_not_found_page_in_the_visitors_language(client, lang, words):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    assert words in response.get_data(as_text=True)


def test_api_errors_are_problem_documents(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_unexpected_errors_show_no_stack_trace(make_app, db):
    response = failing_route_answer(make_app, "/en/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_migrations_match_the_models(app, db):
    """Every model change comes with a revision: the migrated schema equals the models."""
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_production_refuses_the_default_pseudonym_secret(tmp_path):
    """Referral pseudonyms are keyed with PSEUDONYM_SECRET, held outside the database."""
    from coalition.config import check_config

    settings = load_config(
        {"PLATFORM_ENV": "production", "SECRET_KEY": "x" * 40}, instance_path=tmp_path
    )
    with pytest.raises(ConfigurationError, match="PSEUDONYM_SECRET"):
        check_config(settings)
    with pytest.raises(ConfigurationError, match="PSEUDONYM_SECRET"):
        check_config({**settings, "PSEUDONYM_SECRET": "too-short"})
    check_config({**settings, "PSEUDONYM_SECRET": "p" * 40})


def test_compiled_templates_are_kept_without_a_lock(client, app):
    # Jinja's default LRU takes a lock at each template a page includes; gunicorn's
    # threads queued on it. The platform's templates are a fixed set: a plain dict.
    assert client.get("/en/").status_code == 200
    cache = app.jinja_env.cache
    assert type(cache) is dict
    assert any(name == "coalition/home.html" for _, name in cache)


def test_coroutine_functions_are_still_told_apart(app, monkeypatch):
    def hook():
        return "sync"

    async def coroutine_hook():
        return "async"

    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "called"

    wrapped = []
    monkeypatch.setattr(app, "async_to_sync", lambda func: wrapped.append(func) or "wrapped")
    for _ in range(2):  # asked, then remembered: the same answers
        assert app.ensure_sync(hook) is hook
        assert app.ensure_sync(coroutine_hook) == "wrapped"
    unhashable = Unhashable()
    assert app.ensure_sync(unhashable) is unhashable
    assert wrapped == [coroutine_hook, coroutine_hook]

"""Fixtures of the search part's tests: a demo-like directory and a private search index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask import Flask

from coalition.app import create_app
from coalition.branches.models import Branch
from coalition.database import utcnow
from coalition.programmes.models import Programme, ProgrammeLocation, ProgrammeStatus
from search.backends import make_backend
from search.documents import documents_for
from search.pending import PendingCounts
from search.services import get_backend
from tests.conftest import close_connections, config_for_tests
from tests.contract.corpus import corpus_documents


@pytest.fixture(autouse=True)
def fresh_counts(request, monkeypatch) -> None:
    """Each test of the app starts with nothing counted in memory, and its searches' counts
    written after each answer (the session's app is shared by the tests of a process)."""
    if "app" not in request.fixturenames:
        return  # a test without the app (and without its database parameter)
    app = request.getfixturevalue("app")
    monkeypatch.setitem(app.config, "SEARCH_DEMAND_FLUSH_SECONDS", 0)
    monkeypatch.setitem(app.extensions, "search_demand_pending", PendingCounts())
    monkeypatch.setitem(app.extensions, "search_zero_results_pending", PendingCounts())


@contextmanager
def _backend_of(app: Flask, **config: Any) -> Iterator[Any]:
    """The app searches a backend of this configuration, then its own again."""
    previous = app.extensions.get("search_backend")
    backend = make_backend({**app.config, **config})
    app.extensions["search_backend"] = backend
    try:
        yield backend
    finally:
        if previous is None:
            app.extensions.pop("search_backend", None)
        else:
            app.extensions["search_backend"] = previous


@pytest.fixture
def search_backend(app: Flask, tmp_path) -> Iterator[Any]:
    """A fresh tantivy index for this test only (the app's backend is swapped back after)."""
    with _backend_of(
        app, SEARCH_BACKEND="tantivy", SEARCH_INDEX_PATH=str(tmp_path / "index")
    ) as backend:
        yield backend


@pytest.fixture
def engine_down(app: Flask) -> Iterator[Any]:
    """An Elasticsearch backend whose server does not answer (nothing listens on port 9)."""
    with _backend_of(
        app,
        SEARCH_BACKEND="elasticsearch",
        ELASTICSEARCH_URL="http://127.0.0.1:9",
        SEARCH_INDEX_PREFIX="down",
    ) as backend:
        yield backend


@pytest.fixture
def make_programme(db, make_org) -> Callable[..., Programme]:
    """Create a programme (published by default) with locations given as (postcode, city)."""

    def make(
        organisation=None,
        *,
        places: tuple[tuple[str, str], ...] = (("1080", "Molenbeek-Saint-Jean"),),
        **fields: Any,
    ) -> Programme:
        organisation = organisation or make_org()
        fields.setdefault("titles", {"fr": "Mentorat emploi", "nl": "Mentoraat werk"})
        fields.setdefault(
            "summaries",
            {"fr": "Un mentor pour trouver un emploi.", "nl": "Een mentor om werk te zoeken."},
        )
        fields.setdefault("descriptions", {"fr": "Six mois avec un mentor de plus de 50 ans."})
        fields.setdefault("themes", ["employment"])
        fields.setdefault("audiences", ["neet"])
        fields.setdefault("formats", ["one_to_one"])
        fields.setdefault("languages", ["fr", "nl"])
        fields.setdefault("age_min", 18)
        fields.setdefault("age_max", 30)
        fields.setdefault("status", ProgrammeStatus.published)
        fields.setdefault("confirmed_on", date.today())
        if fields["status"] == ProgrammeStatus.published:
            fields.setdefault("published_at", utcnow())
        programme = Programme(organisation=organisation, **fields)
        for postcode, city in places:
            branch = Branch(
                organisation=organisation,
                name=f"{organisation.name} {city}",
                address="Rue de l'Exemple 1",
                postcode=postcode,
                city=city,
            )
            programme.locations.append(
                ProgrammeLocation(branch=branch, postcode=postcode, city=city)
            )
        db.session.add(programme)
        db.session.flush()
        return programme

    return make


@pytest.fixture
def index_programmes(app: Flask) -> Callable[..., None]:
    """Put programmes into the current search backend (as the indexer would)."""
    from search.services import get_backend

    def index(*programmes: Programme) -> None:
        docs, gone = documents_for([p.id for p in programmes])
        backend = get_backend()
        backend.index(docs)
        if gone:
            backend.delete(gone)

    return index


@pytest.fixture
def directory(make_org, make_programme) -> dict[str, Any]:
    """A small demo-like directory: three members, several programmes, some not public."""
    duo = make_org(
        "Duo for a Job",
        names={"fr": "Duo for a Job", "nl": "Duo for a Job"},
        website="https://duo.example",
        email="info@duo.example",
    )
    brug = make_org("De Brug", names={"nl": "De Brug", "fr": "Le Pont"})
    pending = make_org("Not Yet Member", admitted_at=None)
    programmes = {
        "jobs": make_programme(
            duo, places=(("1080", "Molenbeek-Saint-Jean"), ("1000", "Bruxelles"))
        ),
        "school": make_programme(
            duo,
            titles={"fr": "Réussir à l'école", "nl": "Slagen op school", "en": "Succeed at school"},
            summaries={
                "fr": "Un mentor pour les études.",
                "nl": "Een mentor voor je studie.",
                "en": "A mentor for your studies.",
            },
            themes=["education"],
            audiences=["students"],
            age_min=12,
            age_max=18,
            places=(("2000", "Antwerpen"),),
        ),
        "taal": make_programme(
            brug,
            titles={"nl": "Taalcoach Gent"},
            summaries={"nl": "Samen Nederlands oefenen."},
            descriptions={"nl": "Wekelijks een uur praten met een vrijwilliger."},
            themes=["language"],
            audiences=["newcomers", "refugees"],
            formats=["group", "online"],
            languages=["nl", "ar"],
            online_region="BE",
            cost="contribution",
            places=(("9000", "Gent"),),
            apply_url="https://brug.example/aanmelden",
            apply_phone="+32 9 123 45 67",
        ),
        "digital": make_programme(
            brug,
            titles={"fr": "Coaching numérique", "nl": "Digitale coaching"},
            summaries={
                "fr": "Apprendre à utiliser un ordinateur.",
                "nl": "De computer leren gebruiken.",
            },
            themes=["digital"],
            formats=["hybrid"],
            places=(("4000", "Liège"),),
            apply_email="digital@brug.example",
        ),
        "draft": make_programme(
            duo, titles={"fr": "Brouillon secret"}, status=ProgrammeStatus.draft
        ),
        "archived": make_programme(
            duo, titles={"fr": "Ancien programme"}, status=ProgrammeStatus.archived
        ),
        "unpublished": make_programme(
            brug, titles={"fr": "Retiré"}, status=ProgrammeStatus.unpublished
        ),
        "pending": make_programme(pending, titles={"fr": "Pas encore membre"}),
    }
    return {"orgs": {"duo": duo, "brug": brug, "pending": pending}, "programmes": programmes}


@pytest.fixture(scope="module")
def api_app(app: Flask, database_url: str, tmp_path_factory) -> Iterator[Flask]:
    """An app whose own tantivy index holds the contract corpus (one per test module)."""
    instance = str(tmp_path_factory.mktemp("api-instance"))
    api = create_app(config_for_tests(database_url, instance))
    with api.app_context():
        get_backend().reindex(corpus_documents())
    yield api
    close_connections(api)


@pytest.fixture
def api(api_app: Flask, db):
    return api_app.test_client()

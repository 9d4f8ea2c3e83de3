"""A small directory of programmes whose content the contract tests know by heart.

Built as transient model objects (no database needed) and turned into index documents by
`search.documents.build_document`, the same function the indexer uses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from coalition import postcodes
from coalition.models import Organisation, Programme, ProgrammeLocation
from coalition.models.programmes import CapacityStatus, ProgrammeStatus
from search.documents import build_document

ORGS = {
    "duo": ("Duo for a Job", {"fr": "Duo pour un emploi", "nl": "Duo voor een job"}),
    "schola": ("Schola Liège", {}),
    "buddy": ("Buddy Gent", {}),
    "codeher": ("CodeHer Antwerpen", {}),
    "entre": ("Entreprendre Namur", {}),
    "zen": ("Maison Zen", {}),
}

# id: (org, titles, summaries, themes, audiences, formats, languages, ages, cost, capacity,
#      postcodes, days since confirmed)
PROGRAMMES: dict[int, dict[str, Any]] = {
    1: dict(
        org="duo",
        titles={"fr": "Mentorat pour l'emploi des jeunes", "nl": "Mentoring naar werk"},
        summaries={
            "fr": "Un mentor de plus de 50 ans accompagne un jeune dans sa recherche d'emplois.",
            "nl": "Een mentor helpt werkzoekende jongeren bij het zoeken naar werk.",
        },
        themes=["employment"],
        audiences=["neet", "newcomers"],
        formats=["one_to_one"],
        languages=["fr", "nl", "ar"],
        ages=(18, 30),
        cost="free",
        capacity="open",
        places=["1080"],
        confirmed=10,
    ),
    2: dict(
        org="schola",
        titles={"fr": "Soutien aux études supérieures à Liège"},
        summaries={"fr": "Soutien scolaire et orientation pour les étudiants."},
        themes=["education"],
        audiences=["students"],
        formats=["group"],
        languages=["fr"],
        ages=(16, 25),
        cost="free",
        capacity="open",
        places=["4000"],
        confirmed=20,
    ),
    3: dict(
        org="buddy",
        titles={"nl": "Taalcoaching voor nieuwkomers"},
        summaries={"nl": "Nederlands oefenen met een buddy in Gent."},
        themes=["language"],
        audiences=["newcomers", "refugees"],
        formats=["group"],
        languages=["nl", "en"],
        ages=(18, None),
        cost="contribution",
        capacity="waiting_list",
        places=["9000"],
        confirmed=5,
    ),
    4: dict(
        org="codeher",
        titles={"en": "Digital skills for young women", "nl": "Digitale vaardigheden"},
        summaries={"en": "Learn coding and computer skills with mentors."},
        themes=["digital"],
        audiences=["women"],
        formats=["online"],
        languages=["en", "nl"],
        ages=(16, 26),
        cost="free",
        capacity="full",
        places=["2000"],
        confirmed=30,
    ),
    5: dict(
        org="entre",
        titles={"fr": "Entreprendre à Namur"},
        summaries={"fr": "Créer son entreprise avec un mentor entrepreneur."},
        themes=["entrepreneurship"],
        audiences=["neet"],
        formats=["hybrid"],
        languages=["fr"],
        ages=(20, 35),
        cost="paid",
        capacity="open",
        places=["5000"],
        confirmed=40,
    ),
    6: dict(
        org="zen",
        titles={"fr": "Bien-être et confiance en soi"},
        summaries={"fr": "Des ateliers pour les parents : bien-être, confiance, emploi du temps."},
        themes=["wellbeing"],
        audiences=["parents"],
        formats=["group"],
        languages=["fr", "ar"],
        ages=(25, 45),
        cost="free",
        capacity="open",
        places=["1000"],
        confirmed=200,
    ),
    7: dict(
        org="duo",
        titles={"fr": "Orientation professionnelle", "en": "Career orientation"},
        summaries={
            "fr": "Choisir un métier ou une formation avec un mentor.",
            "en": "Choose a job or a training with a mentor.",
        },
        themes=["orientation", "employment"],
        audiences=["students"],
        formats=["one_to_one"],
        languages=["fr", "nl", "en"],
        ages=(15, 22),
        cost="free",
        capacity="open",
        places=["1000"],
        confirmed=1,
    ),
    8: dict(
        org="buddy",
        titles={"nl": "Werk zoeken met een mentor"},
        summaries={"nl": "Jongeren zoeken werk samen met een ervaren mentor."},
        themes=["employment"],
        audiences=["neet"],
        formats=["one_to_one"],
        languages=["nl"],
        ages=(18, 30),
        cost="free",
        capacity="open",
        places=["2000"],
        confirmed=3,
    ),
}
ALL_IDS = set(PROGRAMMES)
EPOCH_PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)


def make_programme(
    pid: int,
    spec: dict[str, Any],
    organisation: Organisation | None = None,
) -> Programme:
    """A programme of the corpus (transient unless added to a session)."""
    if organisation is None:
        name, names = ORGS[spec["org"]]
        organisation = Organisation(name=name, names=names, slug=spec["org"])
    programme = Programme(
        uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"contract-{pid}"),
        organisation=organisation,
        titles=spec["titles"],
        summaries=spec["summaries"],
        descriptions={},
        themes=spec["themes"],
        audiences=spec["audiences"],
        formats=spec["formats"],
        languages=spec["languages"],
        age_min=spec["ages"][0],
        age_max=spec["ages"][1],
        cost=spec["cost"],
        capacity_status=CapacityStatus(spec["capacity"]),
        confirmed_on=date.today() - timedelta(days=spec["confirmed"]),
        status=ProgrammeStatus.published,
        published_at=EPOCH_PUBLISHED + timedelta(days=pid),
    )
    if pid:
        programme.id = pid
    for code in spec["places"]:
        place = postcodes.lookup(code)
        programme.locations.append(
            ProgrammeLocation(
                postcode=code,
                city=place.city,
                country="BE",
                latitude=place.latitude,
                longitude=place.longitude,
            )
        )
    return programme


def corpus_documents() -> list[dict[str, Any]]:
    """The index documents of the whole corpus."""
    return [build_document(make_programme(pid, spec)) for pid, spec in PROGRAMMES.items()]

"""The programmes the search rows search: generated straight into the database (published,
with a location each, in batches), for `bench/scenarios/search.py`, `search_mentors.py`
and `bench/profile_search.py`. Runs inside the platform (`ctx.python`)."""

from __future__ import annotations

import random

BENCH_ORG = "bench-search"
WORDS = {
    "fr": (
        "mentorat emploi jeunes accompagnement formation recherche métier stage orientation "
        "entreprise confiance langue numérique bénévole parcours projet avenir"
    ),
    "nl": (
        "mentoring werk jongeren begeleiding opleiding zoeken beroep stage oriëntatie "
        "onderneming vertrouwen taal digitaal vrijwilliger traject project toekomst"
    ),
    "en": (
        "mentoring job young support training search career internship orientation "
        "business confidence language digital volunteer pathway project future"
    ),
}
WORDS_BY_LANG = {lang: text.split() for lang, text in WORDS.items()}


def generate_programmes(target: int, seed: int = 7) -> int:
    """Make `target` published bench programmes exist (run inside an app context)."""
    from datetime import date, timedelta

    from sqlalchemy import func, insert, select

    from coalition import postcodes, taxonomy
    from coalition.database import utcnow
    from coalition.extensions import db
    from coalition.members.models import Organisation
    from coalition.programmes.models import Programme, ProgrammeLocation

    org = db.session.execute(
        select(Organisation).where(Organisation.slug == BENCH_ORG)
    ).scalar_one_or_none()
    if org is None:
        org = Organisation(
            slug=BENCH_ORG,
            name="Bench Mentoring",
            names={},
            languages=["fr"],
            descriptions={},
            admitted_at=utcnow(),
        )
        db.session.add(org)
        db.session.flush()
    have = db.session.execute(
        select(func.count()).select_from(Programme).where(Programme.organisation_id == org.id)
    ).scalar_one()
    rng = random.Random(seed + have)
    postcodes._load()
    places = [p for (country, _code), p in postcodes._by_code.items() if country == "BE"]
    themes, audiences = list(taxonomy.THEMES), list(taxonomy.AUDIENCES)
    formats, languages = list(taxonomy.FORMATS), ["fr", "nl", "en", "ar", "tr"]
    now = utcnow()
    while have < target:
        batch = min(2000, target - have)
        rows = []
        for _ in range(batch):
            texts = {
                lang: (" ".join(rng.sample(words, 4)).capitalize(), " ".join(rng.sample(words, 10)))
                for lang, words in WORDS_BY_LANG.items()
                if rng.random() < 0.7
            } or {"fr": ("Mentorat", "Mentorat emploi")}
            age_min = rng.choice([15, 16, 18, 20])
            rows.append(
                {
                    "organisation_id": org.id,
                    "titles": {k: v[0] for k, v in texts.items()},
                    "summaries": {k: v[1] for k, v in texts.items()},
                    "descriptions": {},
                    "themes": rng.sample(themes, rng.randint(1, 2)),
                    "audiences": rng.sample(audiences, rng.randint(1, 2)),
                    "formats": [rng.choice(formats)],
                    "languages": rng.sample(languages, 2),
                    "age_min": age_min,
                    "age_max": age_min + rng.choice([10, 15, 20]),
                    "cost": rng.choice(["free", "free", "contribution", "paid"]),
                    "capacity_status": rng.choice(["open", "open", "waiting_list", "full"]),
                    "confirmed_on": date.today() - timedelta(days=rng.randint(0, 200)),
                    "status": "published",
                    "published_at": now - timedelta(minutes=rng.randint(0, 100_000)),
                    "unpublished_by_coalition": False,
                }
            )
        new_ids = db.session.execute(insert(Programme).returning(Programme.id), rows).scalars()
        locations = []
        for programme_id in new_ids:
            place = rng.choice(places)
            locations.append(
                {
                    "programme_id": programme_id,
                    "postcode": place.postcode,
                    "city": place.city,
                    "country": "BE",
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                }
            )
        db.session.execute(insert(ProgrammeLocation), locations)
        db.session.commit()
        have += batch
    return have

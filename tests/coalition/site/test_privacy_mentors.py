"""The privacy notice says what a mentor volunteer's interest stores, who sees it and for
how long, and that searches near a place are counted per province only — in each language."""

from __future__ import annotations

import pytest

#: per language: the section's heading, words of what is stored, the withdrawal, the
#: search counts per province
EXPECTED = {
    "en": (
        "People who offer to be mentors",
        "first name, e-mail address",
        "withdraw at any time",
        "per day, country and province",
    ),
    "fr": (
        "Personnes qui se proposent comme mentors",
        "prénom, votre adresse e-mail",
        "vous retirer à tout moment",
        "par jour, pays et province",
    ),
    "nl": (
        "Mensen die mentor willen worden",
        "voornaam, e-mailadres",
        "op elk moment terugtrekken",
        "per dag, land en provincie",
    ),
}


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_the_notice_says_what_mentor_interests_and_place_searches_store(client, lang):
    html = client.get(f"/{lang}/privacy").get_data(as_text=True)
    for words in EXPECTED[lang]:
        assert words in html
    months = {"en": "12 months", "fr": "12 mois", "nl": "12 maanden"}[lang]
    assert months in html  # MENTOR_INTEREST_RETENTION_MONTHS, as configured


def test_the_retention_shown_follows_the_configuration(app, client, monkeypatch):
    # monkeypatch puts the configuration back: the app outlives the test (a 6-month
    # retention left behind made `flask mentors purge` delete a 300-day-old interest)
    monkeypatch.setitem(app.config, "MENTOR_INTEREST_RETENTION_MONTHS", 6)
    assert "6 months after its last change" in client.get("/en/privacy").get_data(as_text=True)

"""The privacy notice says what referrals store, in each language, and the retention it
states is the one the purge applies."""

from __future__ import annotations

import pytest

#: in each language: no identity, the area not the postcode, keyed pseudonyms, the basis
SAYS = {
    "en": ("age band", "postcode is used", "is not stored", "HMAC-SHA-256", "Article 6(1)(a)"),
    "fr": (
        "tranche d'âge",
        "code postal",
        "n'est pas enregistré",
        "HMAC-SHA-256",
        "6, paragraphe 1, a",
    ),
    "nl": ("leeftijdsgroep", "postcode", "niet bewaard", "HMAC-SHA-256", "artikel 6, lid 1, a"),
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_notice_says_what_referrals_store(client, lang):
    html = client.get(f"/{lang}/privacy").get_data(as_text=True).replace("&#39;", "'")
    for words in SAYS[lang]:
        assert words in html, (lang, words)
    assert "90 " in html  # days of retention after a referral ends


def test_the_retention_stated_is_the_configured_one(make_app):
    app = make_app(REFERRAL_RETENTION_DAYS=60)
    html = app.test_client().get("/en/privacy").get_data(as_text=True)
    assert "60 days after a referral ends" in html

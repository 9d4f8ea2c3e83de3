"""The referral pages speak the officer's language: the status, the reason, the outcome,
the young person's languages, goals and availability, the timeline and the form's
refusals are labels of the page's language, never the codes the API carries."""

from __future__ import annotations

import html
import re

import pytest

from coalition.access import Role
from federation.referrals.labels import LABELS
from federation.referrals.schemas import AVAILABILITY, CONSENT_GIVERS
from federation.referrals.states import (
    CANCEL_REASONS,
    EXPIRED,
    OUTCOMES,
    REJECT_REASONS,
    Side,
    Status,
)
from tests.federation.referrals.test_views import FORM


def _text(page: str) -> str:
    """What a reader sees of the page's main part: its text, without tags or attributes."""
    main = re.search(r"<main.*?</main>", page, re.S).group()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def receiver_page(pair, send, make_user, login):
    """A referral (in French and Swahili, a language only CLDR names) sent to the receiver,
    whose officer is signed in; the address of its page, without the language prefix."""
    referral_id = send(languages=["fr", "sw"]).json["id"]
    login(make_user(pair.receiver, roles=(Role.referral_officer,)))
    return f"federation/{pair.receiver.id}/referrals/{referral_id}"


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        (
            "fr",
            [
                "Refusée",
                "Ne remplit pas les conditions",
                "Français, Swahili",
                "Emploi",
                "En soirée en semaine",
                "Destinataire",
                "Demandée",
                "par le ou la jeune",
            ],
        ),
        (
            "nl",
            [
                "Geweigerd",
                "Voldoet niet aan de voorwaarden",
                "Frans, Swahili",
                "Werk",
                "Weekdagen, 's avonds",
                "Ontvanger",
                "Aangevraagd",
            ],
        ),
        (
            "en",
            [
                "Rejected",
                "Not eligible",
                "French, Swahili",
                "Employment",
                "Weekday evenings",
                "Receiver",
                "Requested",
            ],
        ),
    ],
)
def test_a_referral_page_shows_labels_in_the_page_language(client, receiver_page, lang, shown):
    page = f"/{lang}/{receiver_page}"
    moved = client.post(
        f"{page}/transitions", data={"status": "rejected", "reason": "not_eligible"}
    )
    assert moved.status_code == 302
    client.get(page)  # the confirmation, said once
    text = _text(client.get(page).get_data(as_text=True))
    for label in shown:
        assert label in text, label
    for code in ("not_eligible", "weekday_evenings", "employment", "requested", "receiver"):
        assert code not in text, code  # the codes stay in the attributes, for scripts


def test_the_move_choices_and_the_confirmation_are_labels(client, receiver_page):
    page = f"/fr/{receiver_page}"
    form = client.get(page).get_data(as_text=True)
    assert '<option value="no_capacity">Plus de place</option>' in form
    moved = client.post(f"{page}/transitions", data={"status": "accepted"}, follow_redirects=True)
    assert "L’orientation est maintenant : Acceptée." in moved.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "required", "length"),
    [
        ("fr", "Ce champ est obligatoire.", "Longueur permise : de 4 à 10."),
        ("nl", "Dit veld is verplicht.", "Toegestane lengte: van 4 tot 10."),
        ("en", "This field is required.", "Length must be between 4 and 10."),
    ],
)
def test_the_form_refusals_are_in_the_page_language(
    client, pair, make_user, login, lang, required, length
):
    login(make_user(pair.sender, roles=(Role.referral_officer,)))
    url = f"/{lang}/federation/{pair.sender.id}/referrals/new"
    empty = {"postcode": "10", "consent_text_version": "", "consent_given_on": ""}
    response = client.post(url, data=empty)
    assert response.status_code == 422
    errors = dict(re.findall(r'<p class="error" id="([^"]+)-error">([^<]*)</p>', response.text))
    assert errors.pop("postcode") == length
    for name in ("programme", "subject_ref", "age_band", "consent_given_on", "consent_given_by"):
        assert errors.pop(name) == required, name
    assert errors == {"consent_text_version": required}


def test_a_refused_choice_in_a_list_is_said_beside_the_list(client, pair, make_user, login):
    login(make_user(pair.sender, roles=(Role.referral_officer,)))
    url = f"/fr/federation/{pair.sender.id}/referrals/new"
    bad = {**FORM, "programme": str(pair.programme.uuid), "availability": ["sundays"]}
    response = client.post(url, data=bad)
    assert response.status_code == 422
    expected = '<p class="error" id="availability-error">Choisissez parmi les cases proposées.</p>'
    assert expected in response.text


def test_a_move_refused_beside_its_field_is_in_the_page_language(client, receiver_page):
    response = client.post(f"/fr/{receiver_page}/transitions", data={"status": "rejected"})
    assert response.status_code == 422
    expected = '<p class="error" id="reason-rejected-error">Indiquez la raison du refus.</p>'
    assert expected in response.text


def test_every_code_of_the_pages_has_a_label():
    codes = {
        "status": list(Status),
        "reason": [*REJECT_REASONS, *CANCEL_REASONS, EXPIRED],
        "outcome": list(OUTCOMES),
        "availability": list(AVAILABILITY),
        "side": list(Side),
        "consent": list(CONSENT_GIVERS),
    }
    for kind, values in codes.items():
        assert set(values) == set(LABELS[kind]), kind


@pytest.mark.parametrize(
    ("lang", "area"), [("fr", "Bruxelles"), ("nl", "Brussel"), ("en", "Brussels")]
)
def test_the_area_is_named_in_the_page_language(client, pair, receiver_page, lang, area):
    page = client.get(f"/{lang}/{receiver_page}").text
    assert re.search(rf"<dd>{area} — ", page), page
    inbox = client.get(f"/{lang}/federation/{pair.receiver.id}/referrals").text
    assert re.search(rf'<td data-label="[^"]+">{area} \(\d+ km\)</td>', inbox)

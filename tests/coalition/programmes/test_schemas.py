"""ProgrammeSchema: every rule of the programme body, each error at its JSON pointer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from coalition.errors import error_pointers
from coalition.programmes.schemas import ProgrammeSchema
from tests.coalition._programmes import body


@pytest.fixture
def load(app):
    """Validate a body in an English request; return the error pointers (empty if valid)."""

    def run(data):
        with app.test_request_context("/en/"):
            try:
                ProgrammeSchema().load(data)
            except ValidationError as error:
                return error_pointers(error.messages)
        return []

    return run


def pointers(errors):
    return {e["pointer"] for e in errors}


def test_the_federation_example_body_is_valid(load):
    assert load(body()) == []


def test_loaded_body_keeps_the_given_texts_and_drops_empty_languages(app):
    with app.test_request_context("/en/"):
        data = ProgrammeSchema().load(body(title={"fr": "  Emploi ", "nl": "", "en": None}))
    assert data["title"] == {"fr": "Emploi"}
    assert data["capacity"] == {"status": "open", "places": 12}


@pytest.mark.parametrize(
    ("changes", "pointer", "detail"),
    [
        ({"colour": "blue"}, "/colour", "Unknown field."),
        ({"title": None}, "/title", "This field is required."),
        ({"title": {"fr": "", "nl": " "}}, "/title", "at least one language"),
        ({"title": {"de": "Mentoring"}}, "/title/de", "French (fr), Dutch (nl) and English (en)"),
        ({"title": {"fr": "x" * 161}}, "/title/fr", "At most 160 characters."),
        ({"summary": {"nl": "x" * 601}}, "/summary/nl", "At most 600 characters."),
        ({"description": {"en": "x" * 8001}}, "/description/en", "At most 8000"),
        ({"title": "Mentoring"}, "/title", "per language"),
        ({"themes": []}, "/themes", "Choose at least one."),
        ({"themes": ["employment", "cooking"]}, "/themes/1", "Unknown code “cooking”."),
        ({"audiences": ["pensioners"]}, "/audiences/0", "Unknown code"),
        ({"formats": ["telepathy"]}, "/formats/0", "Unknown code"),
        ({"languages": []}, "/languages", "Choose at least one."),
        ({"languages": ["fr", "xx"]}, "/languages/1", "not a language code"),
        ({"languages": ["FRENCH"]}, "/languages/0", "not a language code"),
        ({"age_min": -1}, "/age_min", "between 0 and 99"),
        ({"age_max": 120}, "/age_max", "between 0 and 99"),
        ({"age_min": 30, "age_max": 18}, "/age_max", "must not be below the minimum"),
        ({"age_min": "eighteen"}, "/age_min", "whole number"),
        ({"locations": [], "online_region": None}, "/locations", "at least one place"),
        ({"locations": [{"postcode": "99"}]}, "/locations/0/postcode", "not a postcode"),
        (
            {"locations": [{"postcode": "1080", "country": "DE"}]},
            "/locations/0/country",
            "Unknown code",
        ),
        (
            {"locations": [{"postcode": "1080", "street": "x"}]},
            "/locations/0/street",
            "Unknown field.",
        ),
        ({"online_region": "US"}, "/online_region", "Unknown code"),
        ({"capacity": {"status": "maybe"}}, "/capacity/status", "Unknown code"),
        ({"capacity": {"status": "open", "places": -3}}, "/capacity/places", "between 0 and"),
        ({"cost": "expensive"}, "/cost", "Unknown code"),
        ({"apply": None}, "/apply", "This field is required."),
        ({"apply": {"url": "", "email": None}}, "/apply", "at least one way to apply"),
        ({"apply": {"url": "javascript:alert(1)"}}, "/apply/url", "https://"),
        ({"apply": {"url": "ftp://example.org/x"}}, "/apply/url", "https://"),
        ({"apply": {"email": "not-an-address"}}, "/apply/email", "valid e-mail"),
        ({"apply": {"phone": "call me"}}, "/apply/phone", "phone number"),
        ({"apply": {"phone": "12"}}, "/apply/phone", "phone number"),
        ({"status": "deleted"}, "/status", "Unknown code"),
        (
            {"confirmed_on": (date.today() + timedelta(days=3)).isoformat()},
            "/confirmed_on",
            "future",
        ),
        ({"id": "3f0c0000-0000-0000-0000-000000000000"}, "/id", "Unknown field."),
    ],
)
def test_each_rule_reports_its_pointer(load, changes, pointer, detail):
    errors = load(body(**changes))
    matching = [e for e in errors if e["pointer"] == pointer]
    assert matching, errors
    assert detail in matching[0]["detail"]


def test_a_non_object_body_points_at_the_root(load):
    assert load(["not", "an", "object"]) == [{"pointer": "/", "detail": "Expected an object."}]


def test_an_online_programme_needs_no_place(load):
    assert load(body(locations=[], online_region="BE-BRU")) == []


def test_languages_of_the_taxonomy_and_other_iso_codes_are_accepted(load):
    assert load(body(languages=["ber", "sq", "nl"])) == []


def test_control_characters_are_removed_from_texts(app):
    with app.test_request_context("/en/"):
        data = ProgrammeSchema().load(body(title={"fr": "Men\x00torat"}))
    assert data["title"] == {"fr": "Mentorat"}


def test_all_errors_come_at_once(load):
    errors = load(body(themes=["x"], age_min=50, age_max=20, apply={}))
    assert {"/themes/0", "/age_max", "/apply"} <= pointers(errors)


def test_messages_follow_the_request_language(app):
    with app.test_request_context("/nl/programmes"):
        from flask import g

        g.lang_code = "nl"
        try:
            ProgrammeSchema().load(body(apply={}, colour=1))
        except ValidationError as error:
            errors = error_pointers(error.messages)
    details = {e["pointer"]: e["detail"] for e in errors}
    assert details["/colour"] != "Unknown field."
    assert not details["/apply"].startswith("Give at least one way to apply")


def test_pointer_tokens_are_escaped():
    assert error_pointers({"a/b": {"c~d": ["bad"]}}) == [{"pointer": "/a~1b/c~0d", "detail": "bad"}]

"""marshmallow's own messages follow the request's language; English stays marshmallow's
text, which member systems read in the problems' `detail`."""

from __future__ import annotations

import pytest
from flask import g
from marshmallow import Schema, ValidationError, fields, validate

from coalition.errors import error_pointers


class _Body(Schema):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=4))
    note = fields.String(validate=validate.Length(max=3))
    code = fields.String(validate=validate.Length(min=3))
    pin = fields.String(validate=validate.Length(equal=4))
    band = fields.String(validate=validate.OneOf(["a", "b"]))
    programme = fields.UUID()
    at = fields.AwareDateTime()
    tags = fields.List(fields.String(), validate=validate.Length(max=2))
    page = fields.Integer(validate=validate.Range(min=1, max=100))
    size = fields.Integer(validate=validate.Range(min=1))
    top = fields.Integer(validate=validate.Range(max=9))


BAD = {
    **{"ref": "toolong", "note": "long", "code": "x", "pin": "12", "band": "c"},
    **{"programme": "x", "at": "x", "tags": ["a", "b", "c"], "page": 0, "size": 0, "top": 10},
}


def _details(app, lang: str) -> dict[str, str]:
    with app.test_request_context(f"/{lang}/"):
        g.lang_code = lang
        with pytest.raises(ValidationError) as raised:
            _Body().load(BAD)
        return {e["pointer"]: e["detail"] for e in error_pointers(raised.value.messages)}


def test_english_keeps_marshmallows_own_words(app):
    assert _details(app, "en") == {
        "/ref": "Length must be between 1 and 4.",
        "/note": "Longer than maximum length 3.",
        "/code": "Shorter than minimum length 3.",
        "/band": "Must be one of: a, b.",
        "/pin": "Length must be 4.",
        "/programme": "Not a valid UUID.",
        "/at": "Not a valid datetime.",
        "/tags": "Longer than maximum length 2.",
        "/page": "Must be greater than or equal to 1 and less than or equal to 100.",
        "/size": "Must be greater than or equal to 1.",
        "/top": "Must be less than or equal to 9.",
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            {
                "/ref": "Longueur permise : de 1 à 4.",
                "/note": "Longueur maximale : 3.",
                "/code": "Longueur minimale : 3.",
                "/pin": "Longueur exigée : 4.",
                "/band": "Valeurs possibles : a, b.",
                "/programme": "Identifiant non valide.",
                "/at": "Date et heure non valides.",
                "/tags": "Longueur maximale : 2.",  # a list's length too: no "characters"
                "/page": "Doit être compris entre 1 et 100.",
                "/size": "Doit être supérieur ou égal à 1.",
                "/top": "Doit être inférieur ou égal à 9.",
            },
        ),
        (
            "nl",
            {
                "/ref": "Toegestane lengte: van 1 tot 4.",
                "/note": "Maximale lengte: 3.",
                "/code": "Minimale lengte: 3.",
                "/pin": "Vereiste lengte: 4.",
                "/band": "Mogelijke waarden: a, b.",
                "/programme": "Geen geldige identificatie.",
                "/at": "Geen geldige datum en tijd.",
                "/tags": "Maximale lengte: 2.",
                "/page": "Moet tussen 1 en 100 liggen.",
                "/size": "Moet groter dan of gelijk aan 1 zijn.",
                "/top": "Moet kleiner dan of gelijk aan 9 zijn.",
            },
        ),
    ],
)
def test_french_and_dutch_get_them_translated(app, lang, expected):
    assert _details(app, lang) == expected

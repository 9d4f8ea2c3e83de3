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
    band = fields.String(validate=validate.OneOf(["a", "b"]))
    programme = fields.UUID()
    at = fields.AwareDateTime()


BAD = {"ref": "toolong", "note": "long", "code": "x", "band": "c", "programme": "x", "at": "x"}


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
        "/programme": "Not a valid UUID.",
        "/at": "Not a valid datetime.",
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            {
                "/ref": "Entre 1 et 4 caractères.",
                "/note": "Au plus 3 caractères.",
                "/code": "Au moins 3 caractères.",
                "/band": "Valeurs possibles : a, b.",
                "/programme": "Identifiant non valide.",
                "/at": "Date et heure non valides.",
            },
        ),
        (
            "nl",
            {
                "/ref": "Tussen 1 en 4 tekens.",
                "/note": "Hoogstens 3 tekens.",
                "/code": "Minstens 3 tekens.",
                "/band": "Mogelijke waarden: a, b.",
                "/programme": "Geen geldige identificatie.",
                "/at": "Geen geldige datum en tijd.",
            },
        ),
    ],
)
def test_french_and_dutch_get_them_translated(app, lang, expected):
    assert _details(app, lang) == expected

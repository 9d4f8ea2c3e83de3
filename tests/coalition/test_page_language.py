"""A page speaks its URL's language, and a text forced into another language (a mail sent
from a page) is in that language, the page's own texts before and after it unchanged."""

import pytest
from flask import render_template_string
from flask_babel import force_locale


@pytest.mark.parametrize(
    ("lang", "link"), [("fr", "Trouver un programme"), ("nl", "Zoek een programma")]
)
def test_the_home_page_speaks_the_language_of_its_address(client, lang, link):
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<a href="/{lang}/programmes">{link}</a>' in page
    assert "Find a programme" not in page


def test_a_text_forced_into_another_language_inside_a_page(app):
    template = "{{ _('Search') }}"
    with app.test_request_context("/en/"):
        app.preprocess_request()
        before = render_template_string(template)
        with force_locale("fr"):
            french = render_template_string(template)
            with force_locale("nl"):
                dutch = render_template_string(template)
            french_again = render_template_string(template)
        after = render_template_string(template)
    assert (before, french, dutch, french_again, after) == (
        "Search",
        "Rechercher",
        "Zoeken",
        "Rechercher",
        "Search",
    )


def test_the_slot_filler_sees_the_page_language(client):
    """The home page's search box is a part's template in the core's slot: it is rendered
    with the page's own variables, in the page's language."""
    page = client.get("/nl/").get_data(as_text=True)
    assert 'action="/nl/programmes" role="search"' in page
    assert '<button type="submit">Zoeken</button>' in page

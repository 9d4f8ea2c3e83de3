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


@pytest.mark.parametrize(
    ("template", "text"),
    [
        # a page: the text is translated and its variables escaped
        (
            "{{ _('%(name)s is a member again.', name='Duo & Co') }}",
            "Duo &amp; Co est à nouveau membre.",
        ),
        (
            "{% trans name='<b>' %}{{ name }} is a member again.{% endtrans %}",
            "&lt;b&gt; est à nouveau membre.",
        ),
        ("{{ ngettext('%(num)d entry', '%(num)d entries', 1) }}", "1 entrée"),
        ("{{ ngettext('%(num)d entry', '%(num)d entries', 3) }}", "3 entrées"),
        # a text without variables is a format string too (Jinja's newstyle gettext)
        ("{{ _('100%% sure') }}", "100% sure"),
        # a plain-text mail: nothing is escaped
        (
            "{% autoescape false %}"
            "{{ _('%(name)s is a member again.', name='Duo & Co') }}"
            "{% endautoescape %}",
            "Duo & Co est à nouveau membre.",
        ),
    ],
)
def test_the_templates_texts_are_translated_formatted_and_escaped_as_jinja_does(
    app, template, text
):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        assert render_template_string(template) == text


def test_the_slot_filler_sees_the_page_language(client):
    """The home page's search box is a part's template in the core's slot: it is rendered
    with the page's own variables, in the page's language."""
    page = client.get("/nl/").get_data(as_text=True)
    assert 'action="/nl/programmes" role="search"' in page
    assert '<button type="submit">Zoeken</button>' in page

"""The embeddable search widget: framable, cookie-free, links open in a new tab."""

from __future__ import annotations

import html as html_lib
import re

from coalition.access import Role


def test_the_widget_may_be_framed_by_any_site_and_sets_no_cookie(
    client, directory, search_backend, index_programmes
):
    index_programmes(directory["programmes"]["jobs"])
    response = client.get("/fr/widget?q=emploi")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert 'class="site-header"' not in html  # compact: no platform navigation
    link = re.search(r'<h3><a href="([^"]+)" target="_blank" rel="noopener">', html)
    assert link and link.group(1).startswith("http") and "/fr/programmes/" in link.group(1)


def test_other_pages_still_refuse_framing(client, search_backend):
    response = client.get("/fr/programmes")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_cookie_even_for_a_signed_in_visitor(client, make_org, make_user, login, search_backend):
    org = make_org()
    login(make_user(org, roles=(Role.editor,)))
    response = client.get("/nl/widget")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_the_widget_can_show_one_member_only(client, directory, search_backend, index_programmes):
    index_programmes(*(p for name, p in directory["programmes"].items() if name != "pending"))
    html = client.get("/fr/widget?org=de-brug").get_data(as_text=True)
    assert "Taalcoach Gent" in html and "Coaching numérique" in html
    assert "Mentorat emploi" not in html
    assert '<input type="hidden" name="org" value="de-brug">' in html
    assert client.get("/fr/widget?org=no-such-member").status_code == 404
    assert client.get("/fr/widget?org=not-yet-member").status_code == 404


def test_the_widget_works_without_javascript_and_explains_errors(client, search_backend):
    response = client.get("/en/widget?age=-4")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="age-error"' in html
    assert 'method="get"' in html and 'action="/en/widget"' in html


def test_the_embed_page_gives_the_snippet(client, directory):
    html = client.get("/en/widget/embed?org=de-brug").get_data(as_text=True)
    snippet = html_lib.unescape(
        re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    )
    assert snippet.startswith('<iframe src="http')
    assert "/en/widget?org=de-brug" in snippet
    assert 'title="' in snippet
    assert '<iframe class="widget-preview"' in html

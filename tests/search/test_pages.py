"""The public search page: text, filters without JavaScript, facets, distance, errors."""

from __future__ import annotations

import re


def indexed(directory, index_programmes):
    """Index the directory; the programme of the non-admitted member too (the page hides it)."""
    index_programmes(*(p for name, p in directory["programmes"].items() if name != "pending"))
    return directory


def page(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def test_search_in_dutch_finds_and_highlights(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    response, html = page(client, "/nl/programmes?q=werk")
    assert response.status_code == 200
    assert 'role="search"' in html and 'method="get"' in html
    count = re.search(
        r"aria-live=\"polite\">\s*<p class=\"result-count\">(\d+) programma's gevonden", html
    )
    titles = re.findall(r"<h3[^>]*><a [^>]*>(.*?)</a>", html)
    assert count and int(count.group(1)) == len(titles) == 2  # the NEET label says "werk" too
    assert titles[0] == "Mentoraat <mark>werk</mark>"
    assert '<p class="highlight">Een mentor om <mark>werk</mark> te zoeken.</p>' in html
    assert 'href="/nl/programmes/' in html


def test_every_published_programme_is_listed_without_a_query(
    client, directory, search_backend, index_programmes
):
    indexed(directory, index_programmes)
    _response, html = page(client, "/fr/programmes")
    index_programmes(directory["programmes"]["pending"])
    for title in ("Mentorat emploi", "Réussir à l&#39;école", "Coaching numérique"):
        assert title in html
    for hidden in ("Brouillon secret", "Ancien programme", "Retiré", "Pas encore membre"):
        assert hidden not in html
    # A programme without French text is shown in its own language, marked as such.
    assert '<h3 lang="nl"><a href="/fr/programmes/' in html


def test_filters_are_checkboxes_and_links_with_counts(
    client, directory, search_backend, index_programmes
):
    indexed(directory, index_programmes)
    _response, html = page(client, "/fr/programmes")
    assert re.search(
        r'<input type="checkbox" name="theme" value="employment">\s*Emploi '
        r'<span class="count">\(1\)</span>',
        html,
    )
    _response, html = page(client, "/fr/programmes?theme=language")
    assert "Taalcoach Gent" in html and "Mentorat emploi" not in html
    assert 'name="theme" value="language" checked' in html
    # The active filter is a link that removes it.
    assert re.search(r'<a href="/fr/programmes">Langue <span aria-hidden="true">×</span>', html)
    # The city facet is a list of links.
    _response, html = page(client, "/fr/programmes")
    assert re.search(
        r'<a href="/fr/programmes\?city=Gent">Gand <span class="count">\(1\)</span>', html
    )
    _response, html = page(client, "/fr/programmes?city=Gent")
    assert "Taalcoach Gent" in html and "Coaching numérique" not in html


def test_age_and_open_places(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    _response, html = page(client, "/fr/programmes?age=14")
    assert "Réussir à l&#39;école" in html and "Mentorat emploi" not in html


def test_near_a_postcode_shows_the_distance(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    _response, html = page(client, "/fr/programmes?near=1080&radius_km=10&sort=distance")
    assert "Mentorat emploi" in html
    assert "Taalcoach Gent" not in html  # Gent is 50 km away
    assert re.search(r'<p class="distance">\d+(,\d)? km</p>', html) or "km" in html
    assert re.search(r'class="distance">[^<]*\d', html)


def test_a_wrong_parameter_is_explained_beside_its_field(client, directory, search_backend):
    response, html = page(client, "/nl/programmes?near=99999&age=19")
    assert response.status_code == 400
    assert 'aria-describedby="near-hint near-error"' in html
    assert re.search(r'<p id="near-error" class="field-error">[^<]+</p>', html)
    response, html = page(client, "/fr/programmes?age=abc")
    assert response.status_code == 400
    assert 'id="age-error"' in html and 'aria-invalid="true"' in html
    response, html = page(client, "/fr/programmes?theme=unknown")
    assert response.status_code == 400 and 'id="theme-error"' in html


def test_hostile_input_never_breaks_the_page(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    for query in ("title:(", "*", "~", '"', "\x00\x01", "a" * 10_000, "<script>alert(1)</script>"):
        response = client.get("/fr/programmes", query_string={"q": query})
        assert response.status_code in (200, 400)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    for query in (
        "page=-1",
        "page=999999",
        "per_page=100000",
        "radius_km=0",
        "radius_km=10000",
        "sort=random",
    ):
        assert client.get(f"/fr/programmes?{query}").status_code in (200, 400)


def test_snippets_keep_only_the_highlight(client, make_programme, search_backend, index_programmes):
    programme = make_programme(
        titles={"fr": "Emploi <img src=x onerror=alert(1)>"},
        summaries={"fr": "Trouver un emploi <b onclick=x()>vite</b>"},
    )
    index_programmes(programme)
    _response, html = page(client, "/fr/programmes?q=emploi")
    assert "<img src=x" not in html and "<b onclick" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>" in html


def test_pagination(client, make_org, make_programme, search_backend, index_programmes):
    org = make_org()
    programmes = [make_programme(org, titles={"fr": f"Programme {n}"}) for n in range(5)]
    index_programmes(*programmes)
    _response, html = page(client, "/fr/programmes?per_page=2")
    assert "5 programmes trouvés" in html
    assert 'href="/fr/programmes?per_page=2&amp;page=2"' in html
    _response, html = page(client, "/fr/programmes?per_page=2&page=3")
    assert html.count('class="card result"') == 1
    assert 'aria-current="page">3<' in html


def test_zero_hits_offer_a_way_out(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    _response, html = page(client, "/fr/programmes?q=mentorat&theme=wellbeing")
    assert re.findall(r'result-count">([^<]*)', html) == [
        "0 programme trouvé"
    ]  # French: 0 is singular
    assert re.search(
        r"Sans le thème, \d+ programmes? (est|sont) trouvés?\.\s*"
        r'<a href="/fr/programmes\?q=mentorat">Chercher sans ce filtre</a>',
        html,
    )


def test_a_misspelt_place_is_offered_as_a_link(client, directory, search_backend, index_programmes):
    indexed(directory, index_programmes)
    _response, html = page(client, "/nl/programmes?q=werk+Brusel")
    link = r'<a href="/nl/programmes\?q=werk\+Brussel">werk Brussel</a>'
    assert re.search(link, html)
    _response, html = page(client, "/nl/programmes?q=werk+Brussel")
    assert re.findall(r'result-count">([^<]*)', html) == ["1 programma gevonden"]


def test_the_engine_being_down_is_said_not_crashed(client, directory, engine_down):
    response, html = page(client, "/nl/programmes?q=werk")
    assert response.status_code == 503
    assert 'role="status"' in html
    assert "Het zoeken is tijdelijk niet beschikbaar" in html


def test_javascript_is_only_an_enhancement(client, search_backend):
    response, html = page(client, "/en/programmes")
    assert "<script src=" in html and "<script>" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    script = client.get("/static/js/search.js")
    assert script.status_code == 200
    script.close()

"""The public page of one programme, its schema.org description, and the member page list."""

from __future__ import annotations

import json
import re
import uuid

from flask import render_template

from coalition.programmes.models import ProgrammeStatus


def json_ld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_the_page_says_what_for_whom_where_and_how_to_apply(client, directory):
    taal = directory["programmes"]["taal"]
    response = client.get(f"/nl/programmes/{taal.uuid}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 id="programme-title">Taalcoach Gent</h1>' in html
    assert "De Brug" in html
    assert "9000 Gent" in html  # where
    assert "Nieuwkomers" in html and "Vluchtelingen" in html  # audience
    assert "Arabisch" in html  # languages spoken
    assert 'href="https://brug.example/aanmelden"' in html
    assert 'href="tel:+3291234567"' in html
    assert '<time datetime="' in html  # last confirmed


def test_texts_fall_back_to_another_language_marked_with_lang(client, directory):
    taal = directory["programmes"]["taal"]
    html = client.get(f"/fr/programmes/{taal.uuid}").get_data(as_text=True)
    assert '<h1 id="programme-title" lang="nl">Taalcoach Gent</h1>' in html
    assert '<p class="lead" lang="nl">Samen Nederlands oefenen.</p>' in html
    school = directory["programmes"]["school"]
    html = client.get(f"/en/programmes/{school.uuid}").get_data(as_text=True)
    assert '<h1 id="programme-title">Succeed at school</h1>' in html


def test_schema_org_json_ld(client, directory):
    jobs = directory["programmes"]["jobs"]
    html = client.get(f"/fr/programmes/{jobs.uuid}").get_data(as_text=True)
    data = json_ld_of(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Service"
    assert data["name"] == "Mentorat emploi"
    assert data["provider"]["name"] == "Duo for a Job"
    assert {p["address"]["addressLocality"] for p in data["areaServed"]} == {
        "Molenbeek-Saint-Jean",
        "Bruxelles",
    }
    assert data["audience"]["suggestedMinAge"] == 18
    assert data["url"].endswith(f"/fr/programmes/{jobs.uuid}")


def test_json_ld_cannot_close_its_script_element(client, make_programme):
    programme = make_programme(
        titles={"fr": "</script><script>alert(1)</script>"}, summaries={"fr": "<!-- & -->"}
    )
    html = client.get(f"/fr/programmes/{programme.uuid}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_hidden_programmes_are_not_found(client, directory):
    programmes = directory["programmes"]
    assert client.get(f"/fr/programmes/{programmes['draft'].uuid}").status_code == 404
    assert client.get(f"/fr/programmes/{programmes['unpublished'].uuid}").status_code == 404
    assert client.get(f"/fr/programmes/{programmes['archived'].uuid}").status_code == 410
    assert client.get(f"/fr/programmes/{programmes['pending'].uuid}").status_code == 404
    assert client.get(f"/fr/programmes/{uuid.uuid4()}").status_code == 404
    assert client.get("/fr/programmes/not-a-uuid").status_code == 404


def test_a_javascript_link_from_a_record_is_not_rendered(client, make_programme):
    programme = make_programme(apply_url="javascript:alert(1)", apply_email="intake@example.org")
    html = client.get(f"/fr/programmes/{programme.uuid}").get_data(as_text=True)
    assert "javascript:" not in html
    assert 'href="mailto:intake@example.org"' in html


def test_organisation_partial_lists_its_published_programmes(app, directory):
    duo = directory["orgs"]["duo"]
    with app.test_request_context("/nl/members/duo"):
        from flask import g

        g.lang_code = "nl"
        html = render_template("search/_organisation_programmes.html", organisation=duo)
    assert "Mentoraat werk" in html and "Slagen op school" in html
    assert f'href="/nl/programmes/{directory["programmes"]["jobs"].uuid}"' in html
    assert "Brouillon secret" not in html and "Ancien programme" not in html
    directory["programmes"]["jobs"].status = ProgrammeStatus.unpublished
    with app.test_request_context("/nl/members/duo"):
        from flask import g

        g.lang_code = "nl"
        html = render_template("search/_organisation_programmes.html", organisation=duo)
    assert "Mentoraat werk" not in html


def test_the_member_page_lists_the_programmes(client, directory):
    response = client.get("/fr/members/de-brug")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h2 id="org-programmes-title">Programmes</h2>' in html
    digital = directory["programmes"]["digital"]
    assert f'<a href="/fr/programmes/{digital.uuid}">Coaching numérique</a>' in html
    assert "Retiré" not in html

"""An organisation's profile, logo and branches, for its admins only."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from coalition.audit.models import AuditLogEntry
from coalition.branches import services as branches
from coalition.branches.models import Branch
from coalition.members import profile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def org_a(make_org):
    return make_org("Alpha Mentoring", slug="alpha-mentoring")


@pytest.fixture
def org_b(make_org):
    return make_org("Beta Buddies", slug="beta-buddies")


@pytest.fixture
def admin_a(client, login, make_user, org_a):
    return login(make_user(org_a, roles=("org_admin",)))


def _branch_data(**fields):
    data = {
        "name": "Antenne",
        "address": "Rue Test 1",
        "postcode": "1080",
        "country": "BE",
        "opened_on": "",
    }
    data.update(fields)
    return data


def test_an_org_admin_cannot_reach_another_organisation(admin_a, org_a, org_b, db):
    branch_b = branches.add_branch(org_b, None, name="Beta Gent", postcode="9000")
    branch_a = branches.add_branch(org_a, None, name="Alpha Gent", postcode="9000")
    urls = [
        ("get", f"/en/staff/org/{org_b.id}/profile"),
        ("post", f"/en/staff/org/{org_b.id}/profile"),
        ("get", f"/en/staff/org/{org_b.id}/branches"),
        ("post", f"/en/staff/org/{org_b.id}/branches"),
        ("get", f"/en/staff/org/{org_b.id}/branches/{branch_b.id}"),
        ("post", f"/en/staff/org/{org_b.id}/branches/{branch_b.id}"),
        ("post", f"/en/staff/org/{org_b.id}/branches/{branch_b.id}/remove"),
        # B's branch through A's own organisation id
        ("get", f"/en/staff/org/{org_a.id}/branches/{branch_b.id}"),
        ("post", f"/en/staff/org/{org_a.id}/branches/{branch_b.id}"),
        ("post", f"/en/staff/org/{org_a.id}/branches/{branch_b.id}/remove"),
        # ids that do not exist
        ("get", "/en/staff/org/999999/profile"),
        ("get", f"/en/staff/org/{org_a.id}/branches/999999"),
    ]
    for method, url in urls:
        response = getattr(admin_a, method)(url, data=_branch_data(name="Hijack"))
        assert response.status_code == 404, url
    assert db.session.get(Branch, branch_b.id).name == "Beta Gent"
    assert org_b.name == "Beta Buddies"
    assert admin_a.get(f"/en/staff/org/{org_a.id}/branches/{branch_a.id}").status_code == 200


def test_an_editor_may_not_manage_the_profile(client, login, make_user, org_a):
    login(make_user(org_a, roles=("editor",)))
    assert client.get(f"/en/staff/org/{org_a.id}/profile").status_code == 403
    assert client.get(f"/en/staff/org/{org_a.id}/branches").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, org_a):
    assert client.get(f"/en/staff/org/{org_a.id}/profile").status_code == 302


def test_the_admin_edits_the_profile_in_three_languages(admin_a, org_a, db):
    page = admin_a.get(f"/fr/staff/org/{org_a.id}/profile")
    assert page.status_code == 200
    response = admin_a.post(
        f"/fr/staff/org/{org_a.id}/profile",
        data={
            "name": "Alpha Mentoring",
            "name_fr": "Alpha Mentorat",
            "name_nl": "Alpha Mentoring NL",
            "description_fr": "Du mentorat pour l'emploi.",
            "description_nl": "Mentoring naar werk.",
            "description_en": "",
            "website": "alpha.example",
            "email": "info@alpha.example",
            "languages": ["fr", "nl"],
        },
    )
    assert response.status_code == 302
    assert org_a.names == {"fr": "Alpha Mentorat", "nl": "Alpha Mentoring NL"}
    assert org_a.descriptions == {"fr": "Du mentorat pour l'emploi.", "nl": "Mentoring naar werk."}
    assert org_a.website == "https://alpha.example"
    assert org_a.email == "info@alpha.example"
    entry = db.session.scalar(
        select(AuditLogEntry).where(AuditLogEntry.action == "organisation.update")
    )
    assert entry.organisation_id == org_a.id
    assert "descriptions" in entry.details["fields"]

    nl_page = admin_a.get("/nl/members/alpha-mentoring")
    assert "Alpha Mentoring NL" in nl_page.text and "Mentoring naar werk." in nl_page.text
    fr_page = admin_a.get("/fr/members/alpha-mentoring")
    assert "Alpha Mentorat" in fr_page.text and "Du mentorat pour l&#39;emploi." in fr_page.text


def _upload(client, org, content, filename="logo.png"):
    return client.post(
        f"/en/staff/org/{org.id}/profile",
        data={"name": org.name, "logo": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_a_png_logo_is_stored_and_served(admin_a, org_a, client):
    assert _upload(admin_a, org_a, PNG).status_code == 302
    assert org_a.logo_mime == "image/png"
    response = client.get("/en/members/alpha-mentoring/logo")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert "max-age" in response.headers["Cache-Control"]
    assert response.data == PNG
    again = client.get(
        "/en/members/alpha-mentoring/logo", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_jpeg_named_png_is_recognised_by_its_content(admin_a, org_a):
    assert _upload(admin_a, org_a, JPEG, "logo.png").status_code == 302
    assert org_a.logo_mime == "image/jpeg"


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a" + b"\x00" * 20,
        PNG + b"\x00" * 1024,
    ],
)
def test_other_or_oversized_logos_are_refused_beside_the_field(
    admin_a, org_a, content, monkeypatch
):
    # a small limit: a real 512 kB upload makes the test client spool to an unclosed file
    monkeypatch.setattr(profile, "LOGO_MAX_BYTES", 1000)
    response = _upload(admin_a, org_a, content, "logo.svg")
    assert response.status_code == 422
    assert 'id="logo-error"' in response.text
    assert org_a.logo_mime is None


def test_no_logo_is_404(client, org_a):
    assert client.get("/en/members/alpha-mentoring/logo").status_code == 404


def test_a_branch_gets_city_and_coordinates_from_its_postcode(admin_a, org_a, db):
    response = admin_a.post(
        f"/en/staff/org/{org_a.id}/branches",
        data=_branch_data(postcode="B-1080", opened_on="2024-09-01"),
    )
    assert response.status_code == 302
    [branch] = org_a.branches
    assert branch.postcode == "1080"
    assert "Molenbeek" in branch.city
    assert branch.latitude == pytest.approx(50.85, abs=0.05)
    assert branch.is_new is False
    assert branch.opened_on.isoformat() == "2024-09-01"


@pytest.mark.parametrize(
    ("postcode", "country", "is_new"),
    [
        ("9000", "BE", False),  # Ghent
        ("9050", "BE", False),  # a district of Ghent
        ("4000", "BE", False),  # Liège
        ("2140", "BE", False),  # Borgerhout, Antwerp
        ("6000", "BE", False),  # Charleroi
        ("1210", "BE", False),  # Brussels region
        ("59000", "FR", False),  # Lille
        ("75011", "FR", False),  # Paris
        ("13005", "FR", False),  # Marseille
        ("3011", "NL", False),  # Rotterdam
        ("3000", "BE", True),  # Leuven
        ("5000", "BE", True),  # Namur
        ("8000", "BE", True),  # Bruges
        ("69001", "FR", True),  # Lyon
        ("1011", "NL", True),  # Amsterdam
    ],
)
def test_a_branch_outside_the_original_cities_is_new(db, org_a, postcode, country, is_new):
    branch = branches.add_branch(org_a, None, name="B", postcode=postcode, country=country)
    assert branch.is_new is is_new


def test_an_unknown_postcode_is_shown_beside_the_field(admin_a, org_a):
    response = admin_a.post(
        f"/en/staff/org/{org_a.id}/branches", data=_branch_data(postcode="0001")
    )
    assert response.status_code == 422
    assert 'id="postcode-error"' in response.text
    assert org_a.branches == []


def test_a_branch_is_edited_and_removed(admin_a, org_a, db):
    branch = branches.add_branch(org_a, None, name="Antenne Gand", postcode="9000")
    response = admin_a.post(
        f"/en/staff/org/{org_a.id}/branches/{branch.id}",
        data=_branch_data(name="Antenne Leuven", postcode="3000"),
    )
    assert response.status_code == 302
    assert branch.name == "Antenne Leuven" and branch.city == "Leuven" and branch.is_new
    listing = admin_a.get(f"/en/staff/org/{org_a.id}/branches")
    assert "Leuven" in listing.text

    assert admin_a.post(f"/en/staff/org/{org_a.id}/branches/{branch.id}/remove").status_code == 302
    assert db.session.get(Branch, branch.id) is None
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.organisation_id == org_a.id)
    ).all()
    assert {"branch.add", "branch.update", "branch.remove"} <= set(actions)


def test_public_member_pages_in_french_and_dutch(client, org_a, db):
    org_a.names = {"fr": "Alpha Mentorat", "nl": "Alpha Begeleiding"}
    org_a.descriptions = {"fr": "Mentorat vers l'emploi.", "nl": "Mentoring naar werk."}
    org_a.website = "https://alpha.example"
    branches.add_branch(org_a, None, name="Gent", postcode="9000")
    branches.add_branch(org_a, None, name="Liège", postcode="4000")
    db.session.flush()

    fr = client.get("/fr/members")
    assert fr.status_code == 200
    assert "Alpha Mentorat" in fr.text and "Gent" in fr.text and "Liège" in fr.text
    assert 'href="https://alpha.example"' in fr.text
    nl = client.get("/nl/members")
    assert "Alpha Begeleiding" in nl.text
    page = client.get("/nl/members/alpha-mentoring")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Mentoring naar werk." in page.text
    assert client.get("/fr/members/no-such-member").status_code == 404


def test_removing_a_branch_keeps_programme_locations_there(admin_a, org_a, db):
    from coalition.outbox import OutboxEntry
    from coalition.programmes.models import Programme, ProgrammeLocation

    branch = branches.add_branch(org_a, None, name="Antenne Gand", postcode="9000")
    programme = Programme(organisation_id=org_a.id, titles={"en": "Duo"})
    location = ProgrammeLocation(
        branch_id=branch.id,
        postcode="9000",
        city="Gent",
        country="BE",
        latitude=branch.latitude,
        longitude=branch.longitude,
    )
    programme.locations.append(location)
    db.session.add(programme)
    db.session.flush()

    response = admin_a.post(f"/en/staff/org/{org_a.id}/branches/{branch.id}/remove")
    assert response.status_code == 302
    assert db.session.get(Branch, branch.id) is None
    assert location.branch_id is None and location.city == "Gent"
    queued = db.session.scalars(select(OutboxEntry.object_id)).all()
    assert programme.id in queued

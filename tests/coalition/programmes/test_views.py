"""The editor's programme pages: form, errors beside fields, actions, access, moderation."""
# ruff: noqa: F811  (org_with_branch is a fixture imported from tests.coalition._programmes)

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coalition.access import Role
from coalition.audit.models import AuditLogEntry
from coalition.outbox import OutboxEntry
from coalition.programmes import services
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.signals import programme_changed
from tests.coalition._programmes import body, org_with_branch  # noqa: F401 - fixture


def form_data(branch_id: int | None = None, **changes):
    data = {
        "title_fr": "Mentorat vers l'emploi",
        "title_nl": "",
        "title_en": "Job mentoring",
        "summary_fr": "Un mentor pendant six mois.",
        "summary_nl": "",
        "summary_en": "",
        "description_fr": "",
        "description_nl": "",
        "description_en": "",
        "themes": ["employment"],
        "audiences": ["neet"],
        "age_min": "18",
        "age_max": "30",
        "formats": ["one_to_one"],
        "languages": ["fr", "ar"],
        "other_languages": "sq",
        "duration_weeks": "26",
        "hours_per_week": "2",
        "extra_postcodes": "9000",
        "online_region": "",
        "capacity_status": "open",
        "places": "5",
        "cost": "free",
        "apply_url": "https://example.org/apply",
        "apply_email": "",
        "apply_phone": "",
        "save": "Save",
    }
    if branch_id is not None:
        data["branches"] = [str(branch_id)]
    data.update(changes)
    return data


@pytest.fixture
def editor(make_user, org_with_branch):
    return make_user(org_with_branch, roles=(Role.editor,))


def programmes_of(db, org):
    return (
        db.session.execute(select(Programme).where(Programme.organisation_id == org.id))
        .scalars()
        .all()
    )


def test_editor_creates_a_programme_with_the_form(client, login, db, editor, org_with_branch):
    login(editor)
    page = client.get(f"/en/staff/programmes/{org_with_branch.id}/new")
    assert page.status_code == 200
    assert 'for="title_fr"' in page.get_data(as_text=True)
    branch = org_with_branch.branches[0]
    response = client.post(
        f"/en/staff/programmes/{org_with_branch.id}/new", data=form_data(branch.id)
    )
    assert response.status_code == 302
    (programme,) = programmes_of(db, org_with_branch)
    assert programme.titles == {"fr": "Mentorat vers l'emploi", "en": "Job mentoring"}
    assert programme.languages == ["fr", "ar", "sq"]
    assert [(loc.branch_id, loc.city) for loc in programme.locations] == [
        (branch.id, "Molenbeek-Saint-Jean"),
        (None, "Gent"),
    ]
    assert programme.status == ProgrammeStatus.draft
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mentorat vers l&#39;emploi" in listing or "Job mentoring" in listing
    assert "Draft" in listing


def test_errors_are_shown_beside_their_fields_and_values_are_kept(
    client, login, db, editor, org_with_branch
):
    login(editor)
    response = client.post(
        f"/en/staff/programmes/{org_with_branch.id}/new",
        data=form_data(
            title_en="x" * 200,
            age_min="40",
            age_max="20",
            apply_url="ftp://nope",
            extra_postcodes="9999",
            summary_fr="Mon résumé à garder",
        ),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # The message sits beside its field, which points to it.
    assert re.search(
        r'id="title_en"[^>]*aria-describedby="title_en-error"|'
        r'aria-describedby="title_en-error"[^>]*id="title_en"',
        html,
    )
    assert 'id="title_en-error">At most 160 characters.' in html
    assert 'id="age_max-error">The maximum age must not be below the minimum age.' in html
    assert 'id="apply_url-error">Enter a full web address' in html
    assert 'id="extra_postcodes-error">Unknown postcode.' in html
    assert 'aria-invalid="true"' in html
    # Nothing typed is lost.
    assert "Mon résumé à garder" in html
    assert 'value="ftp://nope"' in html
    assert 'value="40"' in html
    assert re.search(
        r'<input[^>]*checked[^>]*value="employment"|value="employment"[^>]*checked', html
    )
    assert programmes_of(db, org_with_branch) == []


def test_a_group_error_is_shown_on_its_fieldset(client, login, editor, org_with_branch):
    login(editor)
    response = client.post(
        f"/en/staff/programmes/{org_with_branch.id}/new",
        data=form_data(title_fr="", title_en="", extra_postcodes="", apply_url=""),
    )
    html = response.get_data(as_text=True)
    assert 'id="title-error">Write it in at least one language' in html
    assert 'id="apply-error">Give at least one way to apply' in html
    assert 'id="locations-error">Give at least one place' in html


def test_save_and_publish_then_unpublish_archive_confirm(
    client, login, db, editor, org_with_branch
):
    login(editor)
    base = f"/en/staff/programmes/{org_with_branch.id}"
    client.post(f"{base}/new", data=form_data(save=None, save_publish="Save and publish"))
    (programme,) = programmes_of(db, org_with_branch)
    assert programme.status == ProgrammeStatus.published
    assert client.post(f"{base}/{programme.id}/unpublish").status_code == 302
    assert programme.status == ProgrammeStatus.unpublished
    client.post(f"{base}/{programme.id}/publish")
    assert programme.status == ProgrammeStatus.published
    programme.confirmed_on = date.today() - timedelta(days=100)
    db.session.flush()
    client.post(f"{base}/{programme.id}/confirm")
    assert programme.confirmed_on == date.today()
    client.post(f"{base}/{programme.id}/archive")
    assert programme.status == ProgrammeStatus.archived
    outbox = db.session.execute(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.object_id == programme.id)
    ).scalar_one()
    assert outbox == 5  # create (published at once), unpublish, publish, confirm, archive


def test_save_and_publish_of_a_new_programme_records_one_change(
    client, login, db, editor, org_with_branch
):
    login(editor)
    announced = []
    with programme_changed.connected_to(lambda sender, **kw: announced.append(kw["action"])):
        response = client.post(
            f"/en/staff/programmes/{org_with_branch.id}/new",
            data=form_data(save=None, save_publish="Save and publish"),
        )
    assert response.status_code == 302
    (programme,) = programmes_of(db, org_with_branch)
    assert programme.status == ProgrammeStatus.published and programme.published_at
    outbox = db.session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.object_id == programme.id)
    )
    audited = db.session.scalars(
        select(AuditLogEntry.action).where(
            AuditLogEntry.target_type == "Programme", AuditLogEntry.target_id == str(programme.id)
        )
    ).all()
    # one click, one change: one row for the indexer, one audit entry, one signal
    assert (outbox, audited, announced) == (1, ["programme.create"], ["create"])


def test_an_illegal_action_is_a_message_not_an_error(client, login, db, editor, org_with_branch):
    login(editor)
    programme = services.create_programme(org_with_branch, body())
    response = client.post(
        f"/en/staff/programmes/{org_with_branch.id}/{programme.id}/unpublish", follow_redirects=True
    )
    assert response.status_code == 200
    assert "Only a published programme can be unpublished." in response.get_data(as_text=True)


def test_actions_are_not_done_on_get(client, login, editor, org_with_branch):
    login(editor)
    programme = services.create_programme(org_with_branch, body())
    response = client.get(f"/en/staff/programmes/{org_with_branch.id}/{programme.id}/publish")
    assert response.status_code == 405
    assert programme.status == ProgrammeStatus.draft


def test_edit_shows_the_saved_programme(client, login, editor, org_with_branch):
    login(editor)
    locations = [{"postcode": "1080"}, {"postcode": "75001", "country": "FR"}]
    programme = services.create_programme(
        org_with_branch, body(languages=["fr", "sq"], locations=locations)
    )
    html = client.get(f"/en/staff/programmes/{org_with_branch.id}/{programme.id}/edit").get_data(
        as_text=True
    )
    assert 'value="Mentoring naar werk"' in html
    assert 'value="sq"' in html
    assert 'value="FR-75001"' in html
    branch_id = org_with_branch.branches[0].id
    assert re.search(rf'value="{branch_id}"[^>]*checked|checked[^>]*value="{branch_id}"', html)


def test_stale_programmes_are_flagged_in_the_list(client, login, db, editor, org_with_branch):
    login(editor)
    programme = services.create_programme(org_with_branch, body(status="published"))
    url = f"/en/staff/programmes/{org_with_branch.id}/"
    assert "Not confirmed for 90 days" not in client.get(url).get_data(as_text=True)
    programme.confirmed_on = date.today() - timedelta(days=91)
    db.session.flush()
    html = client.get(url).get_data(as_text=True)
    assert "Not confirmed for 90 days" in html
    assert "1 programme has not been confirmed for 90 days" in html


def test_preview_renders_the_public_view_of_a_draft(client, login, editor, org_with_branch):
    login(editor)
    programme = services.create_programme(org_with_branch, body())
    response = client.get(f"/fr/staff/programmes/{org_with_branch.id}/{programme.id}/preview")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mentorat vers l&#39;emploi" in html
    assert "Emploi" in html and "Molenbeek" in html
    assert 'href="https://example.org/apply"' in html
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_another_organisations_programme_is_404(
    client, login, make_org, make_user, editor, org_with_branch
):
    other = make_org("Other NGO")
    theirs = services.create_programme(other, body(locations=[{"postcode": "2000"}]))
    mine = services.create_programme(org_with_branch, body())
    login(editor)
    own = f"/en/staff/programmes/{org_with_branch.id}"
    for url in (
        f"{own}/{theirs.id}/edit",
        f"{own}/{theirs.id}/preview",
        f"/en/staff/programmes/{other.id}/",
        f"/en/staff/programmes/{other.id}/new",
        f"/en/staff/programmes/{other.id}/{theirs.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for verb in ("publish", "unpublish", "archive", "confirm"):
        assert client.post(f"{own}/{theirs.id}/{verb}").status_code == 404
        assert client.post(f"/en/staff/programmes/{other.id}/{theirs.id}/{verb}").status_code == 404
    assert theirs.status == ProgrammeStatus.draft
    assert client.get(f"{own}/{mine.id}/edit").status_code == 200


def test_referral_officer_may_not_edit_programmes(client, login, make_user, org_with_branch):
    login(make_user(org_with_branch, roles=(Role.referral_officer,)))
    assert client.get(f"/en/staff/programmes/{org_with_branch.id}/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, org_with_branch):
    response = client.get(f"/en/staff/programmes/{org_with_branch.id}/")
    assert response.status_code == 302


def test_coalition_admin_unpublishes_with_a_reason_the_editors_see(
    client, login, make_user, editor, org_with_branch
):
    programme = services.create_programme(org_with_branch, body(status="published"))
    admin = make_user(coalition_admin=True)
    login(admin)
    url = f"/en/staff/programmes/moderate/{programme.id}"
    assert client.get(url).status_code == 200
    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    assert (
        client.post(url, data={"reason": "The apply link leads to a personal mailbox."}).status_code
        == 302
    )
    assert programme.status == ProgrammeStatus.unpublished
    login(editor)
    listing = client.get(f"/en/staff/programmes/{org_with_branch.id}/").get_data(as_text=True)
    assert "Unpublished by the coalition" in listing
    assert "The apply link leads to a personal mailbox." in listing
    form = client.get(f"/en/staff/programmes/{org_with_branch.id}/{programme.id}/edit")
    assert "The apply link leads to a personal mailbox." in form.get_data(as_text=True)


def test_moderation_is_invisible_to_editors(client, login, editor, org_with_branch):
    programme = services.create_programme(org_with_branch, body(status="published"))
    login(editor)
    url = f"/en/staff/programmes/moderate/{programme.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"reason": "no"}).status_code == 404
    assert programme.status == ProgrammeStatus.published


def test_choose_sends_a_single_organisation_editor_straight_in(
    client, login, editor, org_with_branch
):
    login(editor)
    response = client.get("/en/staff/programmes/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/staff/programmes/{org_with_branch.id}/")


def test_the_moderation_list_leads_to_each_published_programme(
    client, login, make_user, org_with_branch
):
    published = services.create_programme(org_with_branch, body(status="published"))
    draft = services.create_programme(org_with_branch, body(title={"en": "Secret draft"}))
    login(make_user(coalition_admin=True))
    html = client.get("/en/staff/programmes/moderate/?page=-5").get_data(as_text=True)
    assert f"/en/staff/programmes/moderate/{published.id}" in html
    assert f"/en/staff/programmes/moderate/{draft.id}" not in html

"""The impact pages: the organisation admin's form and history, the coalition dashboard,
its CSV and targets, the public page and the API, and who may see each."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from coalition.access import Role
from coalition.impact.models import ImpactReport, ImpactTarget
from coalition.impact.services import current_quarter


def _form(branch, year=2025, quarter=2, **changes):
    data = {
        "branch": str(branch.id),
        "year": str(year),
        "quarter": str(quarter),
        "mentors_trained": "6",
        "mentors_active": "10",
        "mentors_aged_50_plus": "7",
        "young_people_enrolled": "15",
        "duos_started": "8",
        "duos_completed": "5",
        "mentors_continuing_after_first_duo": "4",
        "outcomes-job": "2",
        "outcomes-training": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def org_admin(make_org, make_user, branch_of, login):
    org = make_org("Quarter Org")
    branch = branch_of(org, "1080")
    user = make_user(org, (Role.org_admin,), name="Ann Admin")
    login(user)
    return org, branch, user


def test_an_org_admin_enters_then_corrects_a_quarter(client, db, org_admin):
    org, branch, user = org_admin
    url = f"/en/staff/{org.id}/impact"
    page = client.get(url)
    assert page.status_code == 200
    assert "Enter the figures" in page.text
    saved = client.post(url, data=_form(branch))
    assert saved.status_code == 302
    report = db.session.execute(
        select(ImpactReport).where(ImpactReport.branch_id == branch.id)
    ).scalar_one()
    assert (report.young_people_enrolled, report.outcome_job, report.submitted_by_user_id) == (
        15,
        2,
        user.id,
    )
    corrected = client.post(url, data=_form(branch, young_people_enrolled="17", duos_started="9"))
    assert corrected.status_code == 302
    db.session.refresh(report)
    assert report.young_people_enrolled == 17
    changes = {(c.figure, c.old_value, c.new_value, c.changed_by_user_id) for c in report.changes}
    assert changes == {
        ("young_people_enrolled", 15, 17, user.id),
        ("duos_started", 8, 9, user.id),
    }
    page = client.get(f"{url}?branch={branch.id}&year=2025&quarter=2")
    assert "Correct the figures" in page.text
    assert "Young people enrolled: 15 → 17" in page.text
    assert "Ann Admin" in page.text
    assert 'value="17"' in page.text


NUMBER = "Enter a whole number from 0 to 100,000."
ACTIVE = "Cannot be more than the number of active mentors."
OUTCOMES = "The outcomes add up to more than the number of duos completed."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"mentors_trained": "-1"}, "mentors_trained", NUMBER),
        ({"mentors_trained": "abc"}, "mentors_trained", NUMBER),
        ({"mentors_trained": "100001"}, "mentors_trained", NUMBER),
        ({"mentors_trained": ""}, "mentors_trained", "Missing data for required field."),
        ({"mentors_aged_50_plus": "11"}, "mentors_aged_50_plus", ACTIVE),
        ({"mentors_continuing_after_first_duo": "11"},
         "mentors_continuing_after_first_duo", ACTIVE),
        ({"outcomes-job": "9"}, "outcomes", OUTCOMES),
        ({"outcomes-dropped_out": "x"}, "outcomes-dropped_out", NUMBER),
        ({"year": "2019"}, "year", "Choose a year from 2020 on."),
        ({"quarter": "5"}, "quarter", "Choose a quarter from 1 to 4."),
    ],
)  # fmt: skip
def test_impossible_figures_are_refused_beside_their_field(
    client, db, org_admin, changes, field, message
):
    org, branch, _user = org_admin
    response = client.post(f"/en/staff/{org.id}/impact", data=_form(branch, **changes))
    assert response.status_code == 422
    html = response.text
    if field == "outcomes":
        assert f'<p class="field-error">{message}</p>' in html
    else:
        assert f'<p class="field-error" id="f-{field}-error">{message}</p>' in html
        assert f'aria-describedby=" f-{field}-error"' in html or f"f-{field}-error" in html
    assert (
        db.session.execute(select(ImpactReport).where(ImpactReport.branch_id == branch.id)).first()
        is None
    )


def test_a_control_character_in_a_figure_is_refused_beside_it(client, db, org_admin):
    org, branch, _user = org_admin
    response = client.post(f"/en/staff/{org.id}/impact", data=_form(branch, duos_started="8\x00"))
    assert response.status_code == 422
    message = "Control characters are not allowed."
    assert f'<p class="field-error" id="f-duos_started-error">{message}</p>' in response.text
    assert (
        db.session.execute(select(ImpactReport).where(ImpactReport.branch_id == branch.id)).first()
        is None
    )


def test_a_quarter_that_has_not_begun_is_refused(client, db, org_admin):
    org, branch, _user = org_admin
    year, quarter = current_quarter()
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    response = client.post(
        f"/en/staff/{org.id}/impact", data=_form(branch, year=year, quarter=quarter)
    )
    # a later year is not offered; the service refuses the quarter beside its field
    assert response.status_code == 422
    assert "Figures cannot be reported for a quarter that has not begun." in response.text


def test_another_organisations_branch_is_not_reachable(client, db, org_admin, make_org, branch_of):
    org, _branch, _user = org_admin
    other = branch_of(make_org("Other Org"), "9000")
    response = client.post(f"/en/staff/{org.id}/impact", data=_form(other))
    assert response.status_code == 422
    assert "Choose one of your branches." in response.text
    assert (
        db.session.execute(select(ImpactReport).where(ImpactReport.branch_id == other.id)).first()
        is None
    )


def test_access_rules_of_every_impact_route(client, db, make_org, make_user, login, app):
    org = make_org("Access Org")
    stranger_org = make_org("Stranger Org")
    routes_admin = [
        "/en/admin/impact/",
        "/en/admin/impact/targets",
        "/en/admin/impact/coverage",
        "/en/admin/impact/quarters.csv",
    ]
    # anonymous: sent to the login page; the public page and the API are open
    for url in [f"/en/staff/{org.id}/impact", *routes_admin]:
        assert client.get(url).status_code == 302, url
    assert client.get("/en/impact").status_code == 200
    assert client.get("/api/v1/impact").status_code == 200
    # an editor of the organisation: a member without the right (403); of another: 404
    login(make_user(org, (Role.editor,)))
    assert client.get(f"/en/staff/{org.id}/impact").status_code == 403
    assert client.get(f"/en/staff/{stranger_org.id}/impact").status_code == 404
    login(make_user(org, (Role.org_admin,)))
    assert client.get(f"/en/staff/{stranger_org.id}/impact").status_code == 404
    assert client.post(f"/en/staff/{stranger_org.id}/impact", data={}).status_code == 404
    for url in routes_admin:
        assert client.get(url).status_code == 404, url
    login(make_user(coalition_admin=True))
    for url in routes_admin:
        assert client.get(url).status_code == 200, url
    assert client.get("/en/admin/impact/nothing.csv").status_code == 404


def test_the_dashboard_shows_progress_charts_and_tables(client, db, reported, make_user, login):
    login(make_user(coalition_admin=True))
    page = client.get("/en/admin/impact/")
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') == 6
    assert '<title id="chart-enrolled-title">Young people enrolled per quarter</title>' in html
    assert "2025-Q3: 40; 2025-Q4: 10; 2026-Q1: 20." in html  # the chart's description
    assert "Hasselt" in html and "New" in html
    assert "Mentor Limburg" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]


def test_csv_export_is_excel_ready_and_formula_safe(
    client, db, reported, make_user, login, make_org, branch_of
):
    evil = make_org('=HYPERLINK("http://x")')
    branch_of(evil, "1000")
    login(make_user(coalition_admin=True))
    response = client.get("/en/admin/impact/quarters.csv")
    assert response.mimetype == "text/csv"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Quarter", "Mentors trained"]
    assert rows[1][0] == "2025-Q3" and rows[1][4] == "40"  # young people enrolled
    assert [r[0] for r in rows[1:]] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    branches = list(
        csv.reader(
            io.StringIO(client.get("/en/admin/impact/branches.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    names = [r[0] for r in branches[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(n.startswith("=") for n in names)
    progress = client.get("/en/admin/impact/progress.csv").data.decode("utf-8-sig")
    assert "5200" in progress and ";" in progress


def test_the_coalition_admin_edits_a_target(client, db, make_user, login):
    login(make_user(coalition_admin=True))
    body = {
        "code": "new_branches",
        "baseline": "0",
        "target": "4",
        "starts_on": "2024-01-01",
        "deadline": "2028-06-30",
    }
    assert client.post("/en/admin/impact/targets", data=body).status_code == 302
    target = db.session.execute(
        select(ImpactTarget).where(ImpactTarget.code == "new_branches")
    ).scalar_one()
    assert (target.target, str(target.deadline)) == (4.0, "2028-06-30")
    refused = client.post(
        "/en/admin/impact/targets", data=body | {"deadline": "2023-01-01", "target": "x"}
    )
    assert refused.status_code == 422
    assert "Enter a number." in refused.text
    refused = client.post("/en/admin/impact/targets", data=body | {"deadline": "2023-01-01"})
    assert "The deadline must come after the start." in refused.text
    assert client.post("/en/admin/impact/targets", data=body | {"code": "nope"}).status_code == 404
    refused = client.post("/en/admin/impact/targets", data=body | {"target": "5\x07"})
    assert refused.status_code == 422 and "Control characters are not allowed." in refused.text
    db.session.expire_all()
    assert db.session.get(ImpactTarget, target.id).target == 4.0


def test_the_public_page_and_the_api_publish_the_same_figures(client, db, reported):
    api = client.get("/api/v1/impact")
    assert api.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert api.headers.get("ETag")
    assert (
        client.get("/api/v1/impact", headers={"If-None-Match": api.headers["ETag"]}).status_code
        == 304
    )
    body = api.json
    page = client.get("/fr/impact")
    assert page.status_code == 200
    html = page.text
    for name, total in body["totals"].items():
        assert f'<dd data-figure="{name}">{total["display"]}</dd>' in html
    assert body["figures"]["young_people_enrolled_total"]["value"] == 70
    assert body["figures"]["mentor_continuation_rate"]["value"] == 75.0
    assert '<dd data-figure="mentor_continuation_rate">75' in html
    assert "&lt; 5" in html  # 2026-Q1's 3 mentors trained
    assert {t["code"] for t in body["targets"]} >= {"young_people_enrolled", "new_branches"}
    enrolled = next(t for t in body["targets"] if t["code"] == "young_people_enrolled")
    assert enrolled["value"] == 70 and enrolled["target"] == 5200
    assert client.get("/nl/impact").status_code == 200


def test_the_organisation_sees_its_figures_against_the_coalition(
    client, db, reported, make_user, login
):
    login(make_user(reported["b"], (Role.org_admin,)))
    html = client.get(f"/en/staff/{reported['b'].id}/impact").text
    assert '<td data-label="Our organisation" data-own="young_people_enrolled">23</td>' in html
    assert (
        '<td data-label="The whole coalition" data-coalition="young_people_enrolled">70</td>'
        in html
    )


def test_the_organisation_cannot_work_out_the_others_small_figures(
    client, db, reported, make_user, login
):
    """Mentor Limburg's 3 mentors trained in 2026-Q1 plus 1 in 2025-Q4 are 4: Duo Brussel
    would read them as the coalition's total minus its own, so that total is hidden to it."""
    login(make_user(reported["a"], (Role.org_admin,)))
    html = client.get(f"/en/staff/{reported['a'].id}/impact").text
    assert 'data-own="mentors_trained">17</td>' in html
    assert 'data-coalition="mentors_trained">–</td>' in html
    assert 'data-coalition="young_people_enrolled">70</td>' in html  # the others: 23


def test_a_rate_of_few_people_is_published_as_hidden(client, db, make_org, branch_of, app):
    from coalition.impact.services import submit_report
    from tests.coalition.impact.conftest import figures

    org = make_org("Small Org")
    with app.test_request_context("/en/"):
        submit_report(org, branch_of(org, "5000"), 2025, 1, figures(
            mentors_active=6, young_people_enrolled=30, duos_started=8, duos_completed=4,
            mentors_continuing_after_first_duo=3,
        ))  # fmt: skip
    body = client.get("/api/v1/impact").json
    rate = next(t for t in body["targets"] if t["code"] == "mentor_continuation_rate")
    assert (rate["value"], rate["suppressed"], rate["on_track"]) == (None, True, None)
    assert body["figures"]["mentor_continuation_rate"] == body["figures"][
        "mentor_continuation_rate"
    ] | {"value": None, "suppressed": True}
    enrolled = next(t for t in body["targets"] if t["code"] == "young_people_enrolled")
    assert (enrolled["value"], enrolled["suppressed"]) == (30, False)
    assert body["totals"]["duos_completed"] == {"value": None, "display": "< 5", "suppressed": True}

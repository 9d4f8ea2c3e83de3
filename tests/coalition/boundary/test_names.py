"""Unicode direction overrides are refused in names (issue 9, point 4).

"Duo\u202eGent" stored as an organisation's name flipped the text after it in the office's
lists. Names of organisations, people, branches and API clients refuse them beside the
field; the application service refuses them too.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.access import Role
from coalition.members.applications import submit_application
from coalition.members.models import MembershipApplication
from coalition.members.services import MembershipError

MESSAGE = "Remove the text-direction control characters from the name."
APPLICATION = {
    "enterprise_number": "BE0123456749",
    "languages": ["nl"],
    "contact_email": "jan@example.org",
    "description": "Taalbuddies voor nieuwkomers.",
}


@pytest.mark.parametrize("override", ["\u202e", "\u202d", "\u2067", "\u202b"])
@pytest.mark.parametrize("field", ["organisation_name", "contact_name"])
def test_the_join_form_refuses_direction_overrides_beside_the_name(client, db, override, field):
    data = {**APPLICATION, "organisation_name": "Duo Gent", "contact_name": "Jan"}
    data[field] = f"Duo{override}tneG"
    response = client.post("/en/join", data=data)
    assert response.status_code == 422
    error = response.text.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert MESSAGE in error
    assert db.session.scalar(select(func.count()).select_from(MembershipApplication)) == 0


def test_the_application_service_refuses_them_too(db):
    with pytest.raises(MembershipError) as refused:
        submit_application(
            organisation_name="Duo\u202eGent",
            enterprise_number="0123456749",
            contact_name="Jan",
            contact_email="jan@example.org",
        )
    assert refused.value.field == "organisation_name"


def test_arabic_and_hebrew_names_with_direction_marks_are_kept(client, db):
    data = {**APPLICATION, "organisation_name": "جسور \u200fGent", "contact_name": "שרה"}
    assert client.post("/en/join", data=data).status_code == 200


def test_an_organisation_profile_refuses_them_beside_the_name(
    client, db, make_org, make_user, login
):
    org = make_org()
    login(make_user(org, (Role.org_admin,)))
    response = client.post(
        f"/en/staff/org/{org.id}/profile", data={"name": "Duo\u202eGent", "languages": ["fr"]}
    )
    assert response.status_code in (400, 422)
    assert MESSAGE in response.text.split('id="name-error"', 1)[1].split("</p>", 1)[0]

"""Fixtures of the mentor tests: a programme seeking mentors, its staff, sending the form.

programme            a published programme of `mentor_org` (branch in Molenbeek) that
                     seeks mentors (tests.coalition._mentors.NEEDS)
send(lang="fr", **fields)   the interest form filled in and sent on `client`, as a
                     person does it: shown more than a few seconds before
mailbox              the mails written since the test began
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from coalition.access import Role
from coalition.mentors.spam import form_stamp
from coalition.programmes.services import create_programme
from tests.coalition._mailbox import Mailbox
from tests.coalition._mentors import interest_body, needs
from tests.coalition._programmes import add_molenbeek_branch, body


@pytest.fixture
def mentor_org(make_org, db):
    org = make_org("Duo Mentors Test", names={"fr": "Duo Mentors Test"})
    add_molenbeek_branch(db, org)
    return org


@pytest.fixture
def programme(mentor_org):
    return create_programme(mentor_org, body(status="published", mentor_needs=needs()), actor=None)


@pytest.fixture
def editor(make_user, mentor_org):
    return make_user(mentor_org, roles=(Role.editor,), name="Eddy Editor")


@pytest.fixture
def mailbox(app) -> Mailbox:
    return Mailbox(app.config["MAIL_FILE_DIR"])


def form_fields(data: dict[str, Any]) -> dict[str, Any]:
    """An interest body as the browser posts the form."""
    fields = {key: value for key, value in data.items() if key != "consent"}
    if data.get("consent"):
        fields["consent"] = "y"
    return fields


def stamp(app, programme, seconds_ago: float = 30) -> str:
    """The form's signed start time, `seconds_ago` seconds ago."""
    with app.app_context():
        return form_stamp(str(programme.uuid), time.time() - seconds_ago)


@pytest.fixture
def send(app, client, programme) -> Callable[..., Any]:
    def post(
        lang: str = "fr",
        *,
        test_client=None,
        seconds_ago: float = 30,
        address: str = "127.0.0.1",
        **changes: Any,
    ):
        data = form_fields(interest_body(**changes))
        data["started"] = stamp(app, programme, seconds_ago)
        return (test_client or client).post(
            f"/{lang}/mentor/programmes/{programme.uuid}/interest",
            data=data,
            environ_base={"REMOTE_ADDR": address},
        )

    return post

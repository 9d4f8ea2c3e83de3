"""Each defence of the interest form alone: the honeypot, the time to fill it in, the rate
limits per address and per e-mail address. None needs an outside service."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from coalition.extensions import limiter
from coalition.mentors.models import MentorInterest
from coalition.mentors.spam import StampCheck, check_stamp, form_stamp
from tests.coalition._mentors import interest_body
from tests.coalition.mentors.conftest import form_fields


def stored(db) -> int:
    return db.session.scalar(select(func.count()).select_from(MentorInterest))


def test_a_filled_honeypot_is_answered_like_a_sent_form_and_nothing_is_kept(
    db, send, mailbox, programme
):
    response = send("en", reference_code="http://cheap-pills.example")
    # The robot learns nothing: the same answer as a person's.
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/interest/sent")
    assert stored(db) == 0
    assert mailbox.new() == []


def test_the_honeypot_is_hidden_from_people(client, programme):
    page = client.get(f"/en/mentor/programmes/{programme.uuid}/interest").get_data(as_text=True)
    wrapper = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', page, re.S)
    assert wrapper, "the honeypot has no hidden wrapper"
    assert 'tabindex="-1"' in wrapper.group(1) and 'autocomplete="off"' in wrapper.group(1)


def test_a_form_sent_too_fast_is_refused_and_keeps_its_stamp(app, db, send, programme):
    response = send("en", seconds_ago=1)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "That was very quick" in page
    assert stored(db) == 0
    # The stamp it came with is kept, so the same form sent a moment later goes through.
    kept = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    with app.app_context():
        assert check_stamp(kept, str(programme.uuid)) is StampCheck.too_fast
        later = time.time() + app.config["MENTOR_INTEREST_MIN_SECONDS"]
        assert check_stamp(kept, str(programme.uuid), now=later) is StampCheck.ok


@pytest.mark.parametrize(
    "started",
    ["", "not-signed", "forged.stamp", "other-programme", "two-days-old"],
)
def test_a_form_without_a_valid_stamp_is_refused_with_a_fresh_one(
    app, client, db, programme, started
):
    with app.app_context():
        stamps = {
            "other-programme": form_stamp("00000000-0000-0000-0000-000000000000", time.time() - 60),
            "two-days-old": form_stamp(str(programme.uuid), time.time() - 2 * 86400),
        }
    data = form_fields(interest_body()) | {"started": stamps.get(started, started)}
    response = client.post(f"/en/mentor/programmes/{programme.uuid}/interest", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This form was open for too long" in page
    assert stored(db) == 0
    fresh = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    assert fresh != data["started"]


@pytest.fixture
def limited_app(make_app, db):
    """An app with the interest form's rate limits on (low); the shared limiter is restored."""
    saved = {name: getattr(limiter, name) for name in ("enabled", "_storage", "_limiter")}
    try:
        yield make_app(
            RATELIMIT_ENABLED=True,
            MENTOR_INTEREST_RATE_LIMIT="3 per minute",
            MENTOR_INTEREST_EMAIL_RATE_LIMIT="2 per hour",
        )
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def test_the_address_limit_counts_every_attempt_from_one_address(limited_app, db, send):
    client = limited_app.test_client()
    refused_forms = [
        send("en", test_client=client, address="10.0.0.1", first_name="").status_code
        for _ in range(3)
    ]
    assert refused_forms == [422, 422, 422]  # refused forms count too
    limited = send("en", test_client=client, address="10.0.0.1")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert stored(db) == 0
    # Another address is not limited.
    assert send("en", test_client=client, address="10.0.0.2").status_code == 302
    assert stored(db) == 1


def test_the_e_mail_limit_counts_the_interests_stored_for_one_address(limited_app, db, send):
    """Each stored interest mails an acknowledgement: the form cannot flood a mailbox."""
    client = limited_app.test_client()
    email = "target@example.org"
    # A refused form does not count (nothing was stored or mailed).
    assert (
        send("en", test_client=client, address="10.0.1.1", email=email, first_name="").status_code
        == 422
    )
    statuses = [
        send("en", test_client=client, address=f"10.0.1.{n}", email=email).status_code
        for n in (2, 3, 4)
    ]
    assert statuses == [302, 302, 429]
    assert stored(db) == 2
    # The same address in other letters is the same address.
    assert (
        send("en", test_client=client, address="10.0.1.5", email="Target@Example.org").status_code
        == 429
    )
    assert (
        send("en", test_client=client, address="10.0.1.6", email="other@example.org").status_code
        == 302
    )


def test_the_e_mail_limit_keeps_no_address(limited_app, db, send):
    """The limit's key is a keyed hash: the limiter's storage never holds the address."""
    client = limited_app.test_client()
    send("en", test_client=client, address="10.0.2.1", email="hidden@example.org")
    storage = limiter._storage
    keys = " ".join(str(key) for key in getattr(storage, "storage", {}))
    assert keys, "no limit was counted"
    assert "hidden@example.org" not in keys and "hidden" not in keys

"""Sign-in pages as a browser uses them: login, logout, second factor, resets, invitations."""

from __future__ import annotations

import base64
import re
import time
import zlib
from datetime import timedelta

import pyotp
import pytest
from flask import Flask

from coalition.accounts import invitations, totp
from coalition.accounts import services as accounts
from coalition.database import utcnow
from coalition.extensions import limiter
from tests.coalition.mailbox import link_in, mails_to

PASSWORD = "correct horse battery staple"
COOKIE = "bmp_session"


def form_login(client, email: str, password: str = PASSWORD, lang: str = "en", **extra):
    return client.post(f"/{lang}/login", data={"email": email, "password": password, **extra})


def is_signed_in(client) -> bool:
    """Whether the client reaches the workspace (anonymous visitors are sent to the login)."""
    return client.get("/en/staff/").status_code == 200


def copy_of_cookie(app: Flask, client):
    """A second browser holding a copy of the client's session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


# --- login ---


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Connexion"), ("nl", "Aanmelden"), ("en", "Staff login")]
)
def test_login_page_in_each_language(client, lang, title):
    response = client.get(f"/{lang}/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert title in html
    assert 'for="email"' in html and 'for="password"' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_the_right_password(client, db, make_user):
    user = make_user(email="right@example.org")
    response = form_login(client, "Right@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/staff/")
    assert is_signed_in(client)
    db.session.expire_all()
    assert user.last_login_at is not None


@pytest.mark.parametrize("email", ["wrong@example.org", "nobody@example.org"])
def test_a_wrong_password_or_unknown_account_gets_the_same_answer(client, make_user, email):
    make_user(email="wrong@example.org")
    response = form_login(client, email, "not the password")
    assert response.status_code == 200
    assert "The e-mail or the password is not correct." in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_empty_form_shows_errors_beside_the_fields(client):
    response = client.post("/en/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-describedby="email-error"' in html and 'id="email-error"' in html


def test_session_cookie_flags(make_app, db, make_user):
    app = make_app(SESSION_COOKIE_SECURE=True)
    user = make_user(email="cookie@example.org")
    client = app.test_client()
    response = client.post(
        "/en/login", data={"email": user.email, "password": PASSWORD}, base_url="https://localhost"
    )
    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "=")]
    flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "secure" in flags and "httponly" in flags
    assert flags["samesite"].strip() == "SameSite=Lax"


def test_login_starts_a_new_session(app, client, make_user):
    user = make_user(email="fixation@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie(COOKIE).value
    form_login(client, user.email)
    after = client.get_cookie(COOKIE).value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["user_id"] == user.id
        assert session["session_version"] == user.session_version
        assert session["authenticated_at"] <= time.time()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/en/account", "/en/account"),
        ("https://evil.example/steal", "/en/staff/"),
        ("//evil.example/steal", "/en/staff/"),
        ("/\\evil.example", "/en/staff/"),
        ("javascript:alert(1)", "/en/staff/"),
    ],
)
def test_login_redirects_only_to_a_safe_next(client, make_user, next_url, expected):
    user = make_user()
    response = form_login(client, user.email, next=next_url)
    assert response.headers["Location"] == expected


def test_a_protected_page_sends_to_the_login_and_back(client, make_user):
    user = make_user()
    response = client.get("/en/account")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/en/login?next=")
    html = client.get(login_url).get_data(as_text=True)
    assert 'value="/en/account"' in html
    assert form_login(client, user.email, next="/en/account").headers["Location"] == "/en/account"


# --- logout ---


def test_logout_by_get_is_not_allowed(client, make_user, login):
    login(make_user())
    assert client.get("/en/logout").status_code == 405
    assert is_signed_in(client)


def test_logout_ends_the_session_and_every_copy_of_its_cookie(app, client, make_user):
    user = make_user()
    form_login(client, user.email)
    stolen = copy_of_cookie(app, client)
    assert is_signed_in(stolen)
    response = client.post("/en/logout")
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert not is_signed_in(stolen)


# --- password reset ---


def test_forgot_password_answers_the_same_for_unknown_accounts(app, client, make_user):
    make_user(email="known-forgot@example.org")
    known = client.post("/en/forgot-password", data={"email": "known-forgot@example.org"})
    unknown = client.post("/en/forgot-password", data={"email": "unknown-forgot@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert len(mails_to(app, "known-forgot@example.org")) == 1
    assert mails_to(app, "unknown-forgot@example.org") == []


def _reset_link(app, client, email: str) -> str:
    client.post("/en/forgot-password", data={"email": email})
    return link_in(mails_to(app, email)[-1])


def test_reset_password_through_the_mail(app, client, make_user):
    user = make_user(email="forgetful@example.org", language="fr")
    link = _reset_link(app, client, user.email)
    assert link.startswith("/fr/reset/")
    assert client.get(link).status_code == 200
    response = client.post(
        link, data={"password": "my new long password", "confirm": "my new long password"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert form_login(client, user.email, "my new long password").status_code == 302
    # The link works once.
    again = client.get(link)
    assert again.status_code == 404
    assert "Ask for a new link" in again.get_data(as_text=True) or "nouveau lien" in again.get_data(
        as_text=True
    )


def test_an_expired_reset_link_is_refused(app, client, make_user):
    user = make_user(email="expired-reset@example.org")
    link = _reset_link(app, client, user.email)
    with app.test_request_context():
        accounts.valid_reset_token(link.rsplit("/", 1)[1]).expires_at = utcnow() - timedelta(
            seconds=1
        )
    response = client.post(
        link, data={"password": "my new long password", "confirm": "my new long password"}
    )
    assert response.status_code == 404
    assert form_login(client, user.email, "my new long password").status_code == 200


def test_reset_refuses_a_short_password_beside_the_field(app, client, make_user):
    user = make_user(email="short-reset@example.org")
    link = _reset_link(app, client, user.email)
    response = client.post(link, data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html and "12 characters" in html


def test_a_reset_ends_the_other_sessions(app, client, make_user):
    user = make_user(email="hijacked@example.org")
    form_login(client, user.email)
    attacker = copy_of_cookie(app, client)
    link = _reset_link(app, app.test_client(), user.email)
    app.test_client().post(
        link, data={"password": "my new long password", "confirm": "my new long password"}
    )
    assert not is_signed_in(attacker)
    assert not is_signed_in(client)


# --- invitations ---


def test_accept_an_invitation_in_the_invitees_language(app, client, make_org, make_user):
    org = make_org("Taalmaatjes")
    admin = make_user(org, roles=("org_admin",))
    with app.test_request_context("/en/"):
        invitations.invite_user("newbie@example.org", "New Bie", org, ["editor"], admin, "nl")
    link = link_in(mails_to(app, "newbie@example.org")[-1])
    assert link.startswith("/nl/invitation/")
    page = client.get(link)
    assert page.status_code == 200 and 'lang="nl"' in page.get_data(as_text=True)
    response = client.post(
        link,
        data={
            "name": "New Bie",
            "password": "a long new password",
            "confirm": "a long new password",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    dashboard = client.get("/en/staff/").get_data(as_text=True)
    assert "Taalmaatjes" in dashboard
    # Single use.
    assert app.test_client().get(link).status_code == 404


def test_an_expired_invitation_link(app, client, make_org):
    org = make_org()
    with app.test_request_context("/en/"):
        invitation, token = invitations.invite_user(
            "late@example.org", "", org, ["editor"], None, "en"
        )
        invitation.expires_at = utcnow() - timedelta(seconds=1)
    response = client.post(
        f"/en/invitation/{token}",
        data={"name": "Late", "password": "a long new password", "confirm": "a long new password"},
    )
    assert response.status_code == 404
    assert not is_signed_in(client)


def test_an_existing_user_accepts_without_a_new_password(app, client, make_org, make_user):
    first, second = make_org(), make_org("Second Org")
    user = make_user(first, roles=("editor",), email="twice@example.org")
    with app.test_request_context("/en/"):
        _invitation, token = invitations.invite_user(user.email, "", second, ["editor"], None, "en")
    page = client.get(f"/en/invitation/{token}").get_data(as_text=True)
    assert 'name="password"' not in page
    response = client.post(f"/en/invitation/{token}")
    assert response.headers["Location"].endswith("/en/login")
    form_login(client, user.email)
    assert "Second Org" in client.get("/en/staff/").get_data(as_text=True)


# --- second factor ---


def _with_totp(user) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    return pyotp.TOTP(user.totp_secret)


def test_login_with_a_second_factor(client, make_user):
    user = make_user(email="two-factor@example.org")
    totp = _with_totp(user)
    response = form_login(client, user.email)
    assert response.headers["Location"] == "/en/login/code"
    assert not is_signed_in(client)
    wrong = client.post(
        "/en/login/code", data={"code": "000000" if totp.now() != "000000" else "111111"}
    )
    assert "not correct" in wrong.get_data(as_text=True)
    done = client.post("/en/login/code", data={"code": totp.now()})
    assert done.headers["Location"] == "/en/staff/"
    assert is_signed_in(client)


def test_a_totp_code_is_refused_the_second_time(app, client, make_user):
    user = make_user(email="replay@example.org")
    totp = _with_totp(user)
    code = totp.now()
    form_login(client, user.email)
    client.post("/en/login/code", data={"code": code})
    assert is_signed_in(client)
    eavesdropper = app.test_client()
    form_login(eavesdropper, user.email)
    response = eavesdropper.post("/en/login/code", data={"code": code})
    assert response.status_code == 200
    assert not is_signed_in(eavesdropper)


def test_the_code_page_needs_the_password_first(client):
    response = client.get("/en/login/code")
    assert response.headers["Location"] == "/en/login"


def test_admins_must_enrol_a_second_factor_outside_demo_mode(make_app, db, make_org, make_user):
    app = make_app(ADMIN_TOTP_REQUIRED=True, DEMO_MODE=False)
    client = app.test_client()
    org = make_org()
    admin = make_user(org, roles=("org_admin",), email="must-enrol@example.org")
    form_login(client, admin.email)
    response = client.get("/en/staff/")
    assert response.headers["Location"] == "/en/account/second-factor"
    assert client.get(f"/en/staff/{org.id}/people").headers["Location"].endswith("/second-factor")
    page = client.get("/en/account/second-factor").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    done = client.post("/en/account/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert client.get("/en/staff/").status_code == 200
    db.session.expire_all()
    assert admin.totp_secret == secret
    # The required second factor cannot be turned off.
    client.post("/en/account/second-factor/off", data={"password": PASSWORD})
    db.session.expire_all()
    assert admin.totp_secret == secret


def test_coalition_admins_must_enrol_too(make_app, db, make_user):
    app = make_app(ADMIN_TOTP_REQUIRED=True)
    client = app.test_client()
    office = make_user(coalition_admin=True)
    form_login(client, office.email)
    assert client.get("/en/admin/audit/").headers["Location"] == "/en/account/second-factor"


def test_the_second_factor_is_optional_in_demo_mode(make_app, db, make_org, make_user):
    app = make_app(ADMIN_TOTP_REQUIRED=True, DEMO_MODE=True)
    client = app.test_client()
    admin = make_user(make_org(), roles=("org_admin",))
    form_login(client, admin.email)
    assert client.get("/en/staff/").status_code == 200


def test_an_editor_can_turn_the_second_factor_on_and_off(client, db, make_user, login):
    user = make_user()
    login(user)
    page = client.get("/en/account/second-factor").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)
    assert "https://" not in page and "http://" not in page.replace("http://www.w3.org", "")
    client.post("/en/account/second-factor", data={"code": pyotp.TOTP(secret).now()})
    db.session.expire_all()
    assert user.totp_secret == secret
    client.post("/en/account/second-factor/off", data={"password": "wrong password!"})
    db.session.expire_all()
    assert user.totp_secret == secret
    client.post("/en/account/second-factor/off", data={"password": PASSWORD})
    db.session.expire_all()
    assert user.totp_secret is None


def session_of(app: Flask, client) -> tuple[str, dict]:
    """The session cookie as the browser holds it, and what the app reads from it."""
    value = client.get_cookie(COOKIE).value
    return value, app.session_interface.get_signing_serializer(app).loads(value)


def enrolment_secret_on(page: str) -> str:
    return re.search(r"<code>([A-Z2-7]+)</code>", page).group(1)


def test_the_enrolment_secret_is_not_in_the_session_cookie(app, client, db, make_user, login):
    user = make_user()
    login(user)
    secret = enrolment_secret_on(client.get("/en/account/second-factor").text)
    raw, data = session_of(app, client)
    assert secret not in raw
    assert secret not in repr(data)
    assert secret.encode() not in base64_payload(raw)
    assert "totp_enrolment_secret" not in data
    assert totp.open_enrolment_secret(user, data["totp_enrolment"]) == secret

    # The same secret is shown again while the set-up lasts, and confirming it works.
    assert enrolment_secret_on(client.get("/en/account/second-factor").text) == secret
    done = client.post("/en/account/second-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    db.session.expire_all()
    assert user.totp_secret == secret
    assert "totp_enrolment" not in session_of(app, client)[1]


def base64_payload(cookie: str) -> bytes:
    """The cookie's payload decoded by hand (itsdangerous: optional '.', zlib, base64)."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return zlib.decompress(data) if compressed else data


def test_a_sealed_enrolment_secret_opens_for_its_user_only(app, db, make_user):
    alice, bob = make_user(), make_user()
    with app.test_request_context("/en/"):
        sealed = totp.seal_enrolment_secret(alice, "JBSWY3DPEHPK3PXP")
        assert totp.open_enrolment_secret(alice, sealed) == "JBSWY3DPEHPK3PXP"
        assert totp.open_enrolment_secret(bob, sealed) is None
        assert totp.open_enrolment_secret(alice, sealed[:-2] + "AA") is None
        assert totp.open_enrolment_secret(alice, "not a token") is None


def test_an_enrolment_left_too_long_starts_again(app, client, db, make_user, login):
    user = make_user()
    login(user)
    old_secret = pyotp.random_base32()
    with app.test_request_context("/en/"):
        stale = totp.seal_enrolment_secret(
            user, old_secret, issued_at=int(time.time()) - totp.TOTP_ENROLMENT_TTL - 5
        )
    with client.session_transaction() as session:
        session["totp_enrolment"] = stale
    refused = client.post("/en/account/second-factor", data={"code": pyotp.TOTP(old_secret).now()})
    assert refused.status_code == 400
    assert "took too long" in refused.text
    new_secret = enrolment_secret_on(refused.text)
    assert new_secret != old_secret
    db.session.expire_all()
    assert user.totp_secret is None
    client.post("/en/account/second-factor", data={"code": pyotp.TOTP(new_secret).now()})
    db.session.expire_all()
    assert user.totp_secret == new_secret


def test_a_clear_text_secret_of_an_older_cookie_is_dropped(app, client, db, make_user, login):
    user = make_user()
    login(user)
    planted = pyotp.random_base32()
    with client.session_transaction() as session:
        session["totp_enrolment_secret"] = planted
    page = client.get("/en/account/second-factor").text
    assert enrolment_secret_on(page) != planted
    raw, data = session_of(app, client)
    assert planted not in raw and "totp_enrolment_secret" not in data


# --- the account page ---


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, make_user):
    user = make_user()
    form_login(client, user.email)
    other_device = app.test_client()
    form_login(other_device, user.email)
    response = client.post(
        "/en/account",
        data={
            "current": PASSWORD,
            "password": "another long password",
            "confirm": "another long password",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other_device)


def test_changing_the_password_needs_the_current_one(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post(
        "/en/account",
        data={
            "current": "not my password",
            "password": "another long password",
            "confirm": "another long password",
        },
    )
    assert response.status_code == 400
    assert 'id="current-error"' in response.get_data(as_text=True)


# --- throttling ---


@pytest.fixture
def throttled_app(make_app, db):
    """An app that throttles logins (3 failures a minute); the shared limiter is restored."""
    saved = {name: getattr(limiter, name) for name in ("enabled", "_storage", "_limiter")}
    try:
        yield make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def test_failed_logins_are_throttled_per_address(throttled_app, make_user):
    user = make_user()
    client = throttled_app.test_client()
    for _ in range(3):
        assert form_login(client, user.email, "wrong password!").status_code == 200
    response = form_login(client, user.email, lang="fr")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Trop de" in response.get_data(as_text=True)
    # Another account from the same address is throttled as well.
    assert form_login(client, "someone-else@example.org", "x").status_code == 429


def test_failed_logins_are_throttled_per_account(throttled_app, make_user):
    user = make_user()
    client = throttled_app.test_client()
    for n in range(3):
        client.post(
            "/en/login",
            data={"email": user.email, "password": "wrong password!"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
    response = client.post(
        "/en/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.99"},
    )
    assert response.status_code == 429


def test_successful_logins_are_not_counted(throttled_app, make_user):
    user = make_user()
    for _ in range(5):
        client = throttled_app.test_client()
        assert form_login(client, user.email).status_code == 302


# --- CSRF ---


def test_every_form_of_the_accounts_area_needs_its_csrf_token(make_app, db, make_org, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    org = make_org()
    admin = make_user(org, roles=("org_admin",))
    member = make_user(org, roles=("editor",))
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = admin.id
        session["session_version"] = admin.session_version
    urls = [
        "/en/login",
        "/en/login/code",
        "/en/logout",
        "/en/forgot-password",
        "/en/reset/anything",
        "/en/invitation/anything",
        "/en/account",
        "/en/account/second-factor",
        "/en/account/second-factor/off",
        f"/en/staff/{org.id}/people",
        f"/en/staff/{org.id}/people/{member.id}/roles/editor/remove",
        f"/en/staff/{org.id}/people/{member.id}/roles",
        f"/en/staff/{org.id}/invitations/1/withdraw",
    ]
    for url in urls:
        response = client.post(url, data={"email": admin.email, "password": PASSWORD})
        assert response.status_code == 400, url
        assert "Your form expired" in response.get_data(as_text=True), url
    assert is_signed_in(client)


def test_a_form_with_its_csrf_token_is_accepted(make_app, db, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = make_user()
    client = app.test_client()
    html = client.get("/en/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/en/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302

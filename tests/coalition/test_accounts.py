"""Account services: passwords, invitations, sign-in, resets, TOTP and roles."""

from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select

from coalition.models import AuditLogEntry, Role
from coalition.models.base import utcnow
from coalition.services import accounts
from coalition.services.accounts import (
    AccountError,
    PasswordRejected,
    TokenInvalid,
)

PASSWORD = "correct horse battery staple"


def mails_to(app, address: str) -> list:
    """The mails the file backend wrote to `address`, oldest first."""
    folder = Path(app.config["MAIL_FILE_DIR"])
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            found.append(message)
    return found


def token_from(message) -> str:
    """The token at the end of the link in a mail."""
    for line in message.get_content().splitlines():
        if line.startswith("http") and ("/invitation/" in line or "/reset/" in line):
            return line.rstrip().rsplit("/", 1)[1]
    raise AssertionError("no link in the mail")


@pytest.fixture
def ctx(app, db):
    with app.test_request_context("/en/"):
        yield


# --- passwords ---


def test_passwords_are_argon2id_and_verify(ctx, make_user):
    user = make_user(password=None)
    user.password_hash = accounts.hash_password(PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.verify_password(user, PASSWORD)
    assert not accounts.verify_password(user, PASSWORD + "!")


def test_password_is_rehashed_when_parameters_change(app, db, make_app, make_user):
    with app.test_request_context("/en/"):
        user = make_user(password=None)
        user.password_hash = accounts.hash_password(PASSWORD)
        old = user.password_hash
    stronger = make_app(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=2048)
    with stronger.test_request_context("/en/"):
        assert accounts.verify_password(user, PASSWORD)
        assert user.password_hash != old
        assert "m=2048,t=2" in user.password_hash
        assert accounts.verify_password(user, PASSWORD)


def test_production_defaults_are_strong():
    from coalition.config import load_config

    config = load_config({})
    assert config["ARGON2_TIME_COST"] >= 2
    assert config["ARGON2_MEMORY_COST"] >= 19 * 1024


@pytest.mark.parametrize("password", ["short", "elevenchars"])
def test_short_passwords_are_refused(ctx, password):
    assert accounts.password_problems(password, "a@example.org")


def test_password_equal_to_the_email_is_refused(ctx):
    assert accounts.password_problems("Long.Person@Example.org", "long.person@example.org")
    assert accounts.password_problems("twelve chars ok", "a@example.org") == []


# --- invitations ---


def test_invitation_mails_a_link_and_stores_only_a_hash(app, ctx, make_org, make_user):
    org = make_org("Duo for a Job")
    admin = make_user(org, roles=("org_admin",))
    invitation, token = accounts.invite_user(
        "New.Person@Example.org", "New Person", org, ["editor"], admin, "nl")
    assert invitation.email == "new.person@example.org"
    assert token not in invitation.token_hash
    assert invitation.token_hash == accounts.token_hash(token)
    [mail] = mails_to(app, "new.person@example.org")
    assert mail["Content-Language"] == "nl"
    assert token_from(mail) == token
    assert f"/nl/invitation/{token}" in mail.get_content()
    entry = db_entry("user.invite")
    assert entry.actor_user_id == admin.id and entry.organisation_id == org.id
    assert token not in str(entry.details)


def db_entry(action: str) -> AuditLogEntry:
    from coalition.extensions import db

    return db.session.execute(
        select(AuditLogEntry)
        .where(AuditLogEntry.action == action)
        .order_by(AuditLogEntry.id.desc())
    ).scalars().first()


def test_accepting_an_invitation_creates_the_account_with_its_roles(ctx, make_org):
    org = make_org()
    _invitation, token = accounts.invite_user(
        "p@example.org", "P", org, ["editor", "policy_author"], None, "fr")
    user = accounts.accept_invitation(token, "Pat", PASSWORD)
    assert user.name == "Pat" and user.language == "fr"
    assert {r.role for r in user.roles} == {Role.editor, Role.policy_author}
    assert accounts.authenticate("P@example.org", PASSWORD) is user


def test_an_invitation_works_once(ctx, make_org):
    org = make_org()
    _invitation, token = accounts.invite_user("once@example.org", "", org, ["editor"], None, "en")
    accounts.accept_invitation(token, "Once", PASSWORD)
    with pytest.raises(TokenInvalid):
        accounts.accept_invitation(token, "Twice", PASSWORD)


def test_an_expired_invitation_is_refused(ctx, make_org):
    org = make_org()
    invitation, token = accounts.invite_user("late@example.org", "", org, ["editor"], None, "en")
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(TokenInvalid):
        accounts.accept_invitation(token, "Late", PASSWORD)


def test_an_unknown_invitation_token_is_refused(ctx):
    with pytest.raises(TokenInvalid):
        accounts.accept_invitation("made-up", "X", PASSWORD)


def test_an_existing_user_just_gains_the_roles(ctx, make_org, make_user):
    first, second = make_org(), make_org()
    user = make_user(first, roles=("editor",), email="known@example.org")
    old_hash = user.password_hash
    _invitation, token = accounts.invite_user("known@example.org", "", second,
                                              ["referral_officer"], None, "en")
    assert accounts.accept_invitation(token, None, None) is user
    assert user.password_hash == old_hash
    assert {(r.organisation_id, r.role) for r in user.roles} == {
        (first.id, Role.editor), (second.id, Role.referral_officer)}


def test_a_new_account_needs_a_good_password(ctx, make_org):
    org = make_org()
    _invitation, token = accounts.invite_user("weak@example.org", "", org, ["editor"], None, "en")
    with pytest.raises(PasswordRejected):
        accounts.accept_invitation(token, "Weak", "short")
    # The failed attempt did not use the invitation up.
    assert accounts.accept_invitation(token, "Weak", PASSWORD).email == "weak@example.org"


def test_coalition_invitation(ctx):
    _invitation, token = accounts.invite_user("office@example.org", "", None, [], None, "fr",
                                              coalition_admin=True)
    assert accounts.accept_invitation(token, "Office", PASSWORD).is_coalition_admin


def test_an_invitation_needs_an_organisation(ctx):
    with pytest.raises(AccountError):
        accounts.invite_user("x@example.org", "", None, ["editor"], None, "fr")

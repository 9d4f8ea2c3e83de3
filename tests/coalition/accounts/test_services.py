"""Account services: passwords, invitations, sign-in, resets, TOTP and roles."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from coalition.access import Role
from coalition.accounts import invitations, passwords
from coalition.accounts import services as accounts
from coalition.accounts import totp as second_factor
from coalition.accounts.errors import AccountError, PasswordRejected, TokenInvalid
from coalition.accounts.models import PasswordResetToken, User
from coalition.database import utcnow
from tests.coalition._audit import db_entry
from tests.coalition.mailbox import mails_to, token_from

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ctx(app, db):
    with app.test_request_context("/en/"):
        yield


# --- passwords ---


def test_passwords_are_argon2id_and_verify(ctx, make_user):
    user = make_user(password=None)
    user.password_hash = passwords.hash_password(PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert passwords.verify_password(user, PASSWORD)
    assert not passwords.verify_password(user, PASSWORD + "!")


def test_password_is_rehashed_when_parameters_change(app, db, make_app, make_user):
    with app.test_request_context("/en/"):
        user = make_user(password=None)
        user.password_hash = passwords.hash_password(PASSWORD)
        old = user.password_hash
    stronger = make_app(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=2048)
    with stronger.test_request_context("/en/"):
        assert passwords.verify_password(user, PASSWORD)
        assert user.password_hash != old
        assert "m=2048,t=2" in user.password_hash
        assert passwords.verify_password(user, PASSWORD)


def test_production_defaults_are_strong():
    from coalition.config import load_config

    config = load_config({})
    assert config["ARGON2_TIME_COST"] >= 2
    assert config["ARGON2_MEMORY_COST"] >= 19 * 1024


@pytest.mark.parametrize("password", ["short", "elevenchars"])
def test_short_passwords_are_refused(ctx, password):
    assert passwords.password_problems(password, "a@example.org")


def test_password_equal_to_the_email_is_refused(ctx):
    assert passwords.password_problems("Long.Person@Example.org", "long.person@example.org")
    assert passwords.password_problems("twelve chars ok", "a@example.org") == []


# --- invitations ---


def test_invitation_mails_a_link_and_stores_only_a_hash(app, ctx, make_org, make_user):
    org = make_org("Duo for a Job")
    admin = make_user(org, roles=("org_admin",))
    invitation, token = invitations.invite_user(
        "New.Person@Example.org", "New Person", org, ["editor"], admin, "nl"
    )
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


def test_accepting_an_invitation_creates_the_account_with_its_roles(ctx, make_org):
    org = make_org()
    _invitation, token = invitations.invite_user(
        "p@example.org", "P", org, ["editor", "policy_author"], None, "fr"
    )
    user = invitations.accept_invitation(token, "Pat", PASSWORD)
    assert user.name == "Pat" and user.language == "fr"
    assert {r.role for r in user.roles} == {Role.editor, Role.policy_author}
    assert accounts.authenticate("P@example.org", PASSWORD) is user


def test_an_invitation_works_once(ctx, make_org):
    org = make_org()
    _invitation, token = invitations.invite_user(
        "once@example.org", "", org, ["editor"], None, "en"
    )
    invitations.accept_invitation(token, "Once", PASSWORD)
    with pytest.raises(TokenInvalid):
        invitations.accept_invitation(token, "Twice", PASSWORD)


def test_an_expired_invitation_is_refused(ctx, make_org):
    org = make_org()
    invitation, token = invitations.invite_user("late@example.org", "", org, ["editor"], None, "en")
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(TokenInvalid):
        invitations.accept_invitation(token, "Late", PASSWORD)


def test_an_unknown_invitation_token_is_refused(ctx):
    with pytest.raises(TokenInvalid):
        invitations.accept_invitation("made-up", "X", PASSWORD)


def test_an_existing_user_just_gains_the_roles(ctx, make_org, make_user):
    first, second = make_org(), make_org()
    user = make_user(first, roles=("editor",), email="known@example.org")
    old_hash = user.password_hash
    _invitation, token = invitations.invite_user(
        "known@example.org", "", second, ["referral_officer"], None, "en"
    )
    assert invitations.accept_invitation(token, None, None) is user
    assert user.password_hash == old_hash
    assert {(r.organisation_id, r.role) for r in user.roles} == {
        (first.id, Role.editor),
        (second.id, Role.referral_officer),
    }


def test_a_new_account_needs_a_good_password(ctx, make_org):
    org = make_org()
    _invitation, token = invitations.invite_user(
        "weak@example.org", "", org, ["editor"], None, "en"
    )
    with pytest.raises(PasswordRejected):
        invitations.accept_invitation(token, "Weak", "short")
    # The failed attempt did not use the invitation up.
    assert invitations.accept_invitation(token, "Weak", PASSWORD).email == "weak@example.org"


def test_coalition_invitation(ctx):
    _invitation, token = invitations.invite_user(
        "office@example.org", "", None, [], None, "fr", coalition_admin=True
    )
    assert invitations.accept_invitation(token, "Office", PASSWORD).is_coalition_admin


def test_an_invitation_needs_an_organisation(ctx):
    with pytest.raises(AccountError):
        invitations.invite_user("x@example.org", "", None, ["editor"], None, "fr")


# --- sign-in ---


def test_authenticate(ctx, make_user):
    user = make_user(email="me@example.org")
    assert accounts.authenticate(" ME@example.org ", PASSWORD) is user
    assert accounts.authenticate("me@example.org", "wrong password!") is None
    assert accounts.authenticate("nobody@example.org", PASSWORD) is None
    user.active = False
    assert accounts.authenticate("me@example.org", PASSWORD) is None


def test_an_invited_user_without_password_cannot_sign_in(ctx, make_user):
    make_user(email="pending@example.org", password=None)
    assert accounts.authenticate("pending@example.org", "") is None


# --- password reset ---


def reset_token(app, user: User) -> str:
    """Ask for a reset of the user's password; the token of the link mailed to them."""
    accounts.start_password_reset(user.email)
    return token_from(mails_to(app, user.email)[-1])


def test_reset_mails_a_link_only_to_an_existing_account(app, ctx, make_user):
    user = make_user(email="reset-me@example.org", language="nl")
    accounts.start_password_reset("reset-me@example.org")
    accounts.start_password_reset("ghost@example.org")
    [mail] = mails_to(app, "reset-me@example.org")
    assert mail["Content-Language"] == "nl"
    assert mails_to(app, "ghost@example.org") == []
    token = token_from(mail)
    stored = accounts.valid_reset_token(token)
    assert stored.user_id == user.id and stored.token_hash != token


def test_reset_sets_the_password_once_and_ends_sessions(app, ctx, make_user):
    user = make_user(email="once-reset@example.org")
    version = user.session_version
    token = reset_token(app, user)
    accounts.reset_password(token, "a brand new password")
    assert accounts.authenticate(user.email, "a brand new password") is user
    assert user.session_version > version
    with pytest.raises(TokenInvalid):
        accounts.reset_password(token, "yet another password")


def test_an_expired_reset_token_is_refused(app, ctx, make_user):
    user = make_user(email="slow@example.org")
    token = reset_token(app, user)
    reset = accounts.valid_reset_token(token)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(TokenInvalid):
        accounts.reset_password(token, "a brand new password")


def test_using_one_reset_link_kills_the_others(app, ctx, make_user):
    user = make_user(email="two-links@example.org")
    accounts.start_password_reset(user.email)
    accounts.start_password_reset(user.email)
    first, second = (token_from(m) for m in mails_to(app, user.email)[-2:])
    accounts.reset_password(second, "a brand new password")
    with pytest.raises(TokenInvalid):
        accounts.reset_password(first, "another new password")


def test_reset_refuses_a_weak_password(app, ctx, make_user):
    user = make_user(email="weak-reset@example.org")
    token = reset_token(app, user)
    with pytest.raises(PasswordRejected):
        accounts.reset_password(token, user.email)
    # Still usable after the refusal.
    accounts.reset_password(token, "a brand new password")


def test_reset_tokens_are_stored_hashed(app, ctx, make_user):
    from coalition.extensions import db

    user = make_user(email="hashed@example.org")
    token = reset_token(app, user)
    stored = db.session.execute(
        select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)
    ).scalar_one()
    assert stored.token_hash == accounts.token_hash(token) != token


# --- TOTP ---


def test_totp_enrolment_and_verification(ctx, make_user):
    user = make_user()
    secret = second_factor.new_totp_secret()
    uri = second_factor.totp_provisioning_uri(user, secret)
    assert uri.startswith("otpauth://totp/") and secret in uri
    svg = second_factor.totp_qr_svg(uri)
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org", "")
    assert not second_factor.enable_totp(
        user, secret, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    totp = pyotp.TOTP(secret)
    assert second_factor.enable_totp(user, secret, totp.now())
    assert user.totp_secret == secret


def test_a_totp_code_cannot_be_used_twice(ctx, make_user):
    import time

    user = make_user()
    secret = second_factor.new_totp_secret()
    totp = pyotp.TOTP(secret)
    assert second_factor.enable_totp(user, secret, totp.at(time.time() - 30))
    code = totp.now()
    assert second_factor.verify_totp(user, code)
    assert not second_factor.verify_totp(user, code)
    # An older step than the last one used is refused as well.
    assert not second_factor.verify_totp(user, totp.at(time.time() - 30))
    assert second_factor.verify_totp(user, totp.at(time.time() + 30))


def test_wrong_totp_codes(ctx, make_user):
    user = make_user()
    assert not second_factor.verify_totp(user, "123456")  # no second factor set up
    secret = second_factor.new_totp_secret()
    user.totp_secret = secret
    for code in ("", "12345", "abcdef", "1234567"):
        assert not second_factor.verify_totp(user, code)


def test_totp_is_required_for_admins_outside_demo_mode(app, make_app, db, make_org, make_user):
    org = make_org()
    strict = make_app(ADMIN_TOTP_REQUIRED=True)
    demo = make_app(ADMIN_TOTP_REQUIRED=True, DEMO_MODE=True)
    with strict.test_request_context("/en/"):
        admin = make_user(org, roles=("org_admin",))
        editor = make_user(org, roles=("editor",))
        office = make_user(coalition_admin=True)
        assert second_factor.totp_required(admin) and second_factor.totp_required(office)
        assert not second_factor.totp_required(editor)
    with demo.test_request_context("/en/"):
        assert not second_factor.totp_required(admin)


# --- roles and admins ---


def test_grant_and_revoke_roles_are_audited(ctx, make_org, make_user):
    org = make_org()
    boss = make_user(org, roles=("org_admin",))
    member = make_user(org, roles=("editor",))
    accounts.grant_role(member, org, "referral_officer", boss)
    assert {r.role for r in member.roles} == {Role.editor, Role.referral_officer}
    granted = db_entry("role.grant")
    assert granted.details == {"role": "referral_officer"} and granted.actor_user_id == boss.id
    accounts.revoke_role(member, org, Role.editor, boss)
    assert {r.role for r in member.roles} == {Role.referral_officer}
    assert db_entry("role.revoke").target_id == str(member.id)


def test_the_last_admin_keeps_the_role(ctx, make_org, make_user):
    org = make_org()
    boss = make_user(org, roles=("org_admin",))
    with pytest.raises(AccountError):
        accounts.revoke_role(boss, org, "org_admin", boss)
    second = make_user(org, roles=("org_admin",))
    accounts.revoke_role(boss, org, "org_admin", second)
    assert boss.roles == []


def test_create_coalition_admin(ctx, make_user):
    office = accounts.create_coalition_admin("Office@Example.org", "Office", PASSWORD)
    assert office.is_coalition_admin and office.email == "office@example.org"
    assert accounts.create_coalition_admin("office@example.org", "Office", None) is office
    existing = make_user(email="promote@example.org")
    assert accounts.create_coalition_admin("promote@example.org", "X", None) is existing
    assert existing.is_coalition_admin
    assert db_entry("user.make_coalition_admin").target_id == str(existing.id)
    with pytest.raises(PasswordRejected):
        accounts.create_coalition_admin("new-office@example.org", "New", "short")


def test_cli_create_admin(app, runner):
    from coalition.extensions import db

    result = runner.invoke(
        args=[
            "coalition",
            "create-admin",
            "--email",
            "cli@example.org",
            "--name",
            "Cli Admin",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(select(User).where(User.email == "cli@example.org")).scalar_one()
    assert user.is_coalition_admin
    assert PASSWORD not in result.output
    # Again, prompting for nothing: the account exists and stays an admin.
    again = runner.invoke(
        args=["coalition", "create-admin", "--email", "cli@example.org", "--name", "Cli Admin"]
    )
    assert again.exit_code == 0, again.output


def test_cli_create_admin_prompts_and_checks_the_password(app, runner):
    result = runner.invoke(
        args=["coalition", "create-admin", "--email", "prompt@example.org", "--name", "Prompted"],
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    assert "12" in result.output
    ok = runner.invoke(
        args=["coalition", "create-admin", "--email", "prompt@example.org", "--name", "Prompted"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert ok.exit_code == 0, ok.output

"""The audit log: administrative actions recorded without secrets, shown to the office."""

from __future__ import annotations

from sqlalchemy import select

from coalition.accounts import invitations
from coalition.accounts import services as accounts
from coalition.audit import services as audit
from coalition.audit.models import AuditLogEntry
from tests.coalition.mailbox import mails_to, token_from

PASSWORD = "correct horse battery staple"


def test_record_keeps_who_what_and_the_object(app, db, make_org, make_user):
    org = make_org()
    actor = make_user(org, roles=("org_admin",))
    entry = audit.record("branch.create", actor=actor, organisation=org, target=org, city="Gent")
    assert entry.actor_user_id == actor.id and entry.organisation_id == org.id
    assert entry.target_type == "Organisation" and entry.target_id == str(org.id)
    assert entry.details == {"city": "Gent"} and entry.at is not None


def test_record_drops_secrets_whatever_the_caller_passes(app, db):
    entry = audit.record(
        "client.rotate",
        client_id="client-1",
        organisation=None,
        password="hunter2",
        token="abc",
        client_secret="s3cr3t",
        nested={"api_key": "k", "reason": "rotation", "TOTP": "123456"},
        role="editor",
    )
    assert entry.details == {"nested": {"reason": "rotation"}, "role": "editor"}
    assert entry.actor_client_id == "client-1"
    for secret in ("hunter2", "abc", "s3cr3t", "123456"):
        assert secret not in str(entry.details)


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)))


def test_entries_written_at_commit_are_there_after_it_in_their_order(app, db):
    audit.write_at_commit(audit.audit_values("referral.send", client_id="client-1"))
    audit.write_at_commit(
        audit.audit_values("api.call", client_id="client-1"),
        audit.audit_values("api.call", client_id="client-2", token="abc"),
    )
    assert _actions(db) == []  # not before the commit
    db.session.commit()
    assert _actions(db) == ["referral.send", "api.call", "api.call"]
    assert "abc" not in str([e.details for e in db.session.scalars(select(AuditLogEntry))])
    db.session.commit()  # written once
    assert len(_actions(db)) == 3


def test_entries_written_at_commit_go_with_a_rollback(app, db):
    audit.write_at_commit(audit.audit_values("referral.send", client_id="client-1"))
    db.session.rollback()
    db.session.commit()
    assert _actions(db) == []


def test_invitation_and_acceptance_are_audited_without_the_token(app, db, make_org, make_user):
    org = make_org()
    admin = make_user(org, roles=("org_admin",))
    with app.test_request_context("/en/"):
        invitations.invite_user("audited@example.org", "Aud", org, ["editor"], admin, "en")
        token = token_from(mails_to(app, "audited@example.org")[-1])
        invitations.accept_invitation(token, "Aud", PASSWORD)
    entries = (
        db.session.execute(
            select(AuditLogEntry)
            .where(AuditLogEntry.organisation_id == org.id)
            .order_by(AuditLogEntry.id)
        )
        .scalars()
        .all()
    )
    assert [e.action for e in entries] == ["user.invite", "invitation.accept"]
    for entry in entries:
        text = str(entry.details)
        assert token not in text and PASSWORD not in text
        assert accounts.token_hash(token) not in text


def test_the_audit_page_is_for_the_coalition_admin(client, login, make_user):
    assert client.get("/en/admin/audit/").status_code == 302  # to the login
    login(make_user())
    assert client.get("/en/admin/audit/").status_code == 404


def test_the_audit_page_filters_and_paginates(client, db, login, make_org, make_user):
    office = make_user(coalition_admin=True, name="Office Person")
    org_a, org_b = make_org("Alpha Org"), make_org("Beta Org")
    for n in range(55):
        audit.record("thing.alpha", actor=office, organisation=org_a, n=n)
    audit.record("thing.beta", actor=office, organisation=org_b)
    login(office)
    page = client.get(f"/en/admin/audit/?organisation={org_b.id}").get_data(as_text=True)
    assert "thing.beta" in page and "n: 3" not in page and "Office Person" in page
    first = client.get(f"/en/admin/audit/?action=thing.alpha&organisation={org_a.id}")
    html = first.get_data(as_text=True)
    assert "55 entries" in html and "n: 54" in html and "n: 0<" not in html
    assert "Page 1 of 2" in html
    second = client.get(f"/en/admin/audit/?action=thing.alpha&organisation={org_a.id}&page=2")
    assert "n: 0<" in second.get_data(as_text=True)


def test_the_audit_page_survives_odd_parameters(client, login, make_user):
    login(make_user(coalition_admin=True))
    for query in ("?page=-3", "?page=abc", "?organisation=xyz", "?action=" + "x" * 500):
        assert client.get("/en/admin/audit/" + query).status_code == 200

"""Programme services: validation, locations, status changes, outbox, audit, signals, staleness."""
# ruff: noqa: F811  (org_with_branch is a fixture imported from tests.coalition._programmes)

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError
from sqlalchemy import func, select

from coalition import worker
from coalition.access import Role
from coalition.audit.models import AuditLogEntry
from coalition.errors import error_pointers
from coalition.outbox import OutboxEntry
from coalition.programmes import moderation, services, stale
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.programmes.schemas import ProgrammeSchema
from coalition.signals import programme_changed, programme_unpublished_by_coalition
from tests.coalition._mailbox import Mailbox
from tests.coalition._programmes import body, org_with_branch  # noqa: F401 - fixture


def outbox_rows(db, programme_id):
    return db.session.execute(
        select(func.count())
        .select_from(OutboxEntry)
        .where(OutboxEntry.object_id == programme_id, OutboxEntry.kind == "programme")
    ).scalar_one()


def test_create_resolves_the_branch_and_geocodes_other_postcodes(db, org_with_branch):
    programme = services.create_programme(
        org_with_branch,
        body(
            locations=[
                {"postcode": "1080", "country": "BE"},
                {"postcode": "9000"},
                {"postcode": "1080"},
            ]
        ),
    )
    assert programme.status == ProgrammeStatus.draft
    assert programme.titles == {"fr": "Mentorat vers l'emploi", "nl": "Mentoring naar werk"}
    first, second = programme.locations  # the repeated postcode is kept once
    assert first.branch.name == "Molenbeek"
    assert (second.branch_id, second.city, second.country) == (None, "Gent", "BE")
    assert second.latitude and second.longitude
    assert programme.confirmed_on == date.today()


def test_an_unknown_postcode_is_an_error_at_its_location(app, db, org_with_branch):
    with app.test_request_context("/en/"), pytest.raises(ValidationError) as caught:
        services.create_programme(
            org_with_branch, body(locations=[{"postcode": "1080"}, {"postcode": "9999"}])
        )
    assert error_pointers(caught.value.messages) == [
        {"pointer": "/locations/1/postcode", "detail": "Unknown postcode."}
    ]
    assert db.session.execute(select(func.count()).select_from(Programme)).scalar_one() == 0


def test_every_change_writes_an_outbox_row_in_the_same_transaction(db, org_with_branch):
    programme = services.create_programme(org_with_branch, body())
    assert outbox_rows(db, programme.id) == 1
    services.update_programme(programme, body(cost="contribution"))
    services.publish_programme(programme)
    services.confirm_programme(programme)
    services.unpublish_programme(programme)
    services.archive_programme(programme)
    assert outbox_rows(db, programme.id) == 6


def test_a_rolled_back_change_leaves_no_outbox_row(db, org_with_branch):
    programme = services.create_programme(org_with_branch, body())
    db.session.commit()
    before = outbox_rows(db, programme.id)
    nested = db.session.begin_nested()
    services.publish_programme(programme)
    assert outbox_rows(db, programme.id) == before + 1
    nested.rollback()
    assert outbox_rows(db, programme.id) == before
    assert db.session.get(Programme, programme.id).status == ProgrammeStatus.draft


def test_invalid_update_changes_nothing(app, db, org_with_branch):
    programme = services.create_programme(org_with_branch, body())
    before = outbox_rows(db, programme.id)
    with app.test_request_context("/en/"), pytest.raises(ValidationError):
        services.update_programme(programme, body(title={"fr": ""}, themes=["employment"]))
    assert programme.titles["fr"] == "Mentorat vers l'emploi"
    assert outbox_rows(db, programme.id) == before


def test_publish_unpublish_archive_transitions(db, org_with_branch):
    programme = services.create_programme(org_with_branch, body())
    with pytest.raises(services.ProgrammeStateError):
        services.unpublish_programme(programme)  # a draft was never public
    services.publish_programme(programme)
    assert programme.status == ProgrammeStatus.published
    assert programme.published_at is not None
    services.unpublish_programme(programme)
    assert programme.status == ProgrammeStatus.unpublished
    services.publish_programme(programme)
    services.archive_programme(programme)
    assert programme.status == ProgrammeStatus.archived
    with pytest.raises(services.ProgrammeStateError):
        services.update_programme(programme, body(status="draft"))


def test_upsert_creates_then_updates_by_external_id(db, org_with_branch, make_org):
    created, was_created = services.upsert_programme(
        org_with_branch, "crm-42", body(status="published")
    )
    assert was_created and created.status == ProgrammeStatus.published
    updated, was_created = services.upsert_programme(
        org_with_branch, "crm-42", body(capacity={"status": "full", "places": 0})
    )
    assert not was_created and updated.id == created.id
    assert updated.status == ProgrammeStatus.published  # no status in the body: unchanged
    assert str(updated.capacity_status) == "full"
    other, was_created = services.upsert_programme(make_org(), "crm-42", body())
    assert was_created and other.id != created.id  # external ids are per organisation


def test_the_dumped_programme_is_the_federation_body(app, db, org_with_branch):
    programme = services.create_programme(org_with_branch, body(status="published"))
    with app.test_request_context("/en/"):
        dumped = ProgrammeSchema().dump(programme)
        for read_only in (
            "id",
            "external_id",
            "organisation",
            "updated_at",
            "published_at",
            "unpublished_reason",
        ):
            assert read_only in dumped
        assert dumped["id"] == str(programme.uuid)
        assert dumped["organisation"]["id"] == str(org_with_branch.uuid)
        assert dumped["locations"] == [
            {"postcode": "1080", "country": "BE", "city": "Molenbeek-Saint-Jean"}
        ]
        assert dumped["capacity"] == {"status": "open", "places": 12}
        assert dumped["status"] == "published"
        # What is read can be written back (minus the read-only fields).
        writable = {k: v for k, v in dumped.items() if not ProgrammeSchema().fields[k].dump_only}
        for location in writable["locations"]:
            location.pop("city")
        ProgrammeSchema().load(writable)


def test_coalition_unpublish_keeps_the_reason_signals_and_audits(db, org_with_branch, make_user):
    admin = make_user(coalition_admin=True)
    programme = services.create_programme(org_with_branch, body(status="published"))
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs["reason"], kwargs["admin"]))

    with programme_unpublished_by_coalition.connected_to(receiver):
        moderation.unpublish_by_coalition(programme, admin, "  Misleading cost  ")
    assert received == [(programme, "Misleading cost", admin)]
    assert programme.status == ProgrammeStatus.unpublished
    assert programme.unpublished_by_coalition
    assert programme.unpublished_reason == "Misleading cost"
    entry = db.session.execute(
        select(AuditLogEntry).where(AuditLogEntry.action == "programme.moderate")
    ).scalar_one()
    assert entry.actor_user_id == admin.id and entry.details["reason"] == "Misleading cost"
    with pytest.raises(ValueError, match="reason"):
        moderation.unpublish_by_coalition(programme, admin, " ")
    services.publish_programme(programme)  # the editors fixed it and publish again
    assert not programme.unpublished_by_coalition and programme.unpublished_reason is None


def test_programme_changed_is_sent_for_each_change(db, org_with_branch):
    actions = []
    with programme_changed.connected_to(lambda sender, **kw: actions.append(kw["action"])):
        programme = services.create_programme(org_with_branch, body(status="published"))
        services.archive_programme(programme)
    assert actions == ["create", "archive"]  # created published: one change, one signal


def test_stale_after_90_days_without_confirmation(db, org_with_branch):
    programme = services.create_programme(org_with_branch, body(status="published"))
    programme.confirmed_on = date.today() - timedelta(days=89)
    assert not programme.is_stale()
    assert stale.stale_programmes(org_with_branch) == []
    programme.confirmed_on = date.today() - timedelta(days=90)
    db.session.flush()
    assert programme.is_stale()
    assert stale.stale_programmes(org_with_branch) == [programme]
    services.confirm_programme(programme)
    assert not programme.is_stale()
    assert programme.confirmed_on == date.today()


def test_flag_stale_mails_the_editors(app, db, runner, org_with_branch, make_user):
    editor = make_user(org_with_branch, roles=(Role.editor,), language="nl", email="ed@example.org")
    make_user(org_with_branch, roles=(Role.referral_officer,), email="ref@example.org")
    programme = services.create_programme(org_with_branch, body(status="published"))
    programme.confirmed_on = date.today() - timedelta(days=120)
    db.session.flush()
    mailbox = Mailbox(app.config["MAIL_FILE_DIR"])
    result = runner.invoke(args=["coalition", "flag-stale"])
    assert result.exit_code == 0, result.output
    messages = mailbox.new()
    assert [m["To"] for m in messages] == [editor.email]
    text = Mailbox.body(messages[0])
    assert "Mentoring naar werk" in text
    assert f"/nl/staff/programmes/{org_with_branch.id}/" in text


def test_the_worker_is_woken_after_a_commit_that_wrote_the_outbox(
    app, db, org_with_branch, monkeypatch
):
    ran = threading.Event()
    probe = worker.Job("probe", lambda: ran.set() or 0, interval=1e12)
    probe.last_run = time.monotonic()  # it just ran: not due again before a wake
    monkeypatch.setattr(worker, "_jobs", {"probe": probe})
    worker._wake.clear()
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(app, stop, 3600), daemon=True)
    thread.start()
    try:
        programme = services.create_programme(org_with_branch, body())
        db.session.flush()
        assert not ran.wait(0.2)  # flushed, not committed: nobody is woken
        db.session.commit()
        assert ran.wait(30), "the worker was not woken by the commit"
        assert programme.id
    finally:
        stop.set()
        worker.wake()
        thread.join(30)


def test_a_rolled_back_transaction_wakes_nobody(db, org_with_branch):
    worker._wake.clear()
    services.create_programme(org_with_branch, body())
    db.session.rollback()
    db.session.commit()
    assert not worker._wake.is_set()


def test_upsert_racing_another_create_updates_instead(db, org_with_branch, monkeypatch):
    first, _created = services.upsert_programme(org_with_branch, "crm-7", body())
    real_lookup = services.get_by_external_id
    calls = []

    def lookup_missing_once(organisation, external_id):
        calls.append(external_id)
        # The first look-up happens "before the other request committed".
        return None if len(calls) == 1 else real_lookup(organisation, external_id)

    monkeypatch.setattr(services, "get_by_external_id", lookup_missing_once)
    again, created = services.upsert_programme(org_with_branch, "crm-7", body(cost="paid"))
    assert (again.id, created, again.cost) == (first.id, False, "paid")
    db.session.flush()
    db.session.expire_all()  # the caller's transaction survived the failed insert
    assert db.session.get(Programme, first.id).cost == "paid"


def test_a_change_of_places_alone_moves_updated_at(db, org_with_branch):
    programme = services.create_programme(org_with_branch, body())
    before = programme.updated_at
    services.update_programme(programme, body(locations=[{"postcode": "9000"}]))
    db.session.flush()
    assert programme.updated_at > before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
field_values = st.sampled_from(sorted(body())).flatmap(
    lambda key: st.tuples(st.just(key), json_values | st.text(max_size=400))
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(field_values, max_size=4))
def test_any_body_is_saved_or_refused_never_a_crash(app, db, org_with_branch, changes):
    data = body()
    data.update(dict(changes))
    with app.test_request_context("/en/"):
        try:
            with db.session.begin_nested():
                services.create_programme(org_with_branch, data)
        except ValidationError as error:
            assert all(e["pointer"].startswith("/") for e in error_pointers(error.messages))
        except services.ProgrammeStateError:
            pass

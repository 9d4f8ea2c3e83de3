"""Sign-off: the frozen content, signatures voided by any change, publication, withdrawal."""

from __future__ import annotations

import hashlib
import json

import pytest

from coalition.audit.models import AuditLogEntry
from policy_briefs import services
from policy_briefs.drafting import services as drafting
from policy_briefs.models import BriefStatus
from policy_briefs.signoff import services as signoff
from policy_briefs.signoff.services import SignatureRefused
from policy_briefs.states import TransitionRefused
from tests.policy_briefs.conftest import sign_all

pytestmark = pytest.mark.usefixtures("english")

TEXT = "The coalition trained {{ figure: mentors_trained_total }} mentors."


@pytest.fixture
def in_sign_off(make_brief, team, report):
    report(team.lead, mentors_trained=120)
    brief = make_brief([TEXT, "## Ask\n\nRecognise mentoring."])
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    return brief


def test_sign_off_freezes_the_figures_quoted(in_sign_off, team, report):
    brief = in_sign_off
    assert brief.status == BriefStatus.sign_off
    assert brief.frozen_figures == {
        "mentors_trained_total": {
            "value": 120,
            "as_of": "2025-03-31",
            "unit": "count",
            "label": "Mentors formés (total)",
        }
    }
    report(team.partner, year=2025, quarter=2, mentors_trained=30)
    assert signoff.quoted_figures(brief)["mentors_trained_total"]["value"] == 150
    assert brief.frozen_figures["mentors_trained_total"]["value"] == 120  # still frozen


def test_the_hash_is_the_sha256_of_the_canonical_document(in_sign_off):
    brief = in_sign_off
    document = {
        "format": "bmp-policy-brief/1",
        "language": "fr",
        "title": "Recognise mentoring",
        "sections": [TEXT, "## Ask\n\nRecognise mentoring."],
        "figures": brief.frozen_figures,
    }
    serialised = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert signoff.current_hash(brief) == hashlib.sha256(serialised.encode()).hexdigest()


def test_sign_off_is_refused_while_an_invitation_is_open_or_a_figure_unknown(make_brief, team):
    brief = make_brief(["Text."])
    services.invite_organisation(brief, team.other, team.author)
    signoff.send_to_review(brief, team.author)
    with pytest.raises(TransitionRefused, match="has not answered"):
        signoff.open_sign_off(brief, team.author)
    assert brief.status == BriefStatus.review


def test_publication_is_refused_until_every_organisation_signed(in_sign_off, team):
    brief = in_sign_off
    with pytest.raises(TransitionRefused, match="Duo Lead, Partner Mentors"):
        signoff.publish(brief, team.author)
    signoff.sign(brief, team.lead, team.lead_admin, signoff.current_hash(brief))
    with pytest.raises(TransitionRefused, match="Partner Mentors"):
        signoff.publish(brief, team.author)
    assert brief.status == BriefStatus.sign_off and brief.published_at is None
    signoff.sign(brief, team.partner, team.partner_admin, signoff.current_hash(brief))
    signoff.publish(brief, team.author)
    assert brief.status == BriefStatus.published
    assert brief.content_hash == hashlib.sha256(brief.published_document.encode()).hexdigest()
    assert brief.slug == "recognise-mentoring"


def test_a_signature_of_content_the_signer_did_not_see_is_refused(in_sign_off, team):
    with pytest.raises(SignatureRefused, match="changed since you read it"):
        signoff.sign(in_sign_off, team.lead, team.lead_admin, "0" * 64)
    assert in_sign_off.active_signatures == []


def test_an_organisation_signs_once(in_sign_off, team):
    signoff.sign(in_sign_off, team.lead, team.lead_admin, signoff.current_hash(in_sign_off))
    with pytest.raises(SignatureRefused, match="already signed"):
        signoff.sign(in_sign_off, team.lead, team.lead_admin, signoff.current_hash(in_sign_off))


def test_only_co_authors_sign(in_sign_off, team):
    with pytest.raises(SignatureRefused):
        signoff.sign(in_sign_off, team.other, team.outsider, signoff.current_hash(in_sign_off))


def _voided(brief, team, change) -> None:
    """After both signed, `change` voids both signatures and returns the brief to review."""
    sign_all(brief, team)
    signed_hash = signoff.current_hash(brief)
    change()
    assert brief.status == BriefStatus.review
    assert brief.active_signatures == []
    assert all(s.voided_at is not None for s in brief.signatures)
    assert signoff.missing_signatures(brief) == [team.lead, team.partner]
    with pytest.raises(TransitionRefused):
        signoff.publish(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    assert signoff.current_hash(brief) != signed_hash or change.__name__ == "reopen"


def test_a_text_edit_voids_the_signatures(in_sign_off, team):
    def edit():
        section = in_sign_off.current_sections[1]
        drafting.save_section(section, 1, "## Ask\n\nRecognise it.", team.author, team.lead.id)

    _voided(in_sign_off, team, edit)


def test_a_new_section_order_voids_the_signatures(in_sign_off, team):
    def reorder():
        drafting.move_section(in_sign_off.current_sections[1], -1, team.author)

    _voided(in_sign_off, team, reorder)


def test_a_removed_section_voids_the_signatures(in_sign_off, team):
    def remove():
        drafting.remove_section(in_sign_off.current_sections[1], team.author)

    _voided(in_sign_off, team, remove)


def test_a_new_title_voids_the_signatures(in_sign_off, team):
    def rename():
        services.rename_brief(in_sign_off, "Recognise mentoring now", team.author)

    _voided(in_sign_off, team, rename)


def test_a_changed_frozen_figure_voids_the_signatures(in_sign_off, team, report):
    def new_figures():
        report(team.partner, year=2025, quarter=2, mentors_trained=30)
        assert signoff.refresh_figures(in_sign_off, team.author) is True

    _voided(in_sign_off, team, new_figures)
    assert in_sign_off.frozen_figures["mentors_trained_total"]["value"] == 150


def test_checking_unchanged_figures_keeps_the_signatures(in_sign_off, team):
    sign_all(in_sign_off, team)
    assert signoff.refresh_figures(in_sign_off, team.author) is False
    assert len(in_sign_off.active_signatures) == 2


def test_a_frozen_value_changed_behind_the_platform_s_back_cannot_be_published(
    in_sign_off, team, db
):
    sign_all(in_sign_off, team)
    in_sign_off.frozen_figures = {
        "mentors_trained_total": {
            **in_sign_off.frozen_figures["mentors_trained_total"],
            "value": 999,
        }
    }
    db.session.flush()
    with pytest.raises(TransitionRefused, match="Not signed yet"):
        signoff.publish(in_sign_off, team.author)


def test_returning_to_review_voids_the_signatures(in_sign_off, team):
    def reopen():
        signoff.return_to_review(in_sign_off, team.author)

    _voided(in_sign_off, team, reopen)


def test_publication_keeps_the_signed_document_and_audits_each_step(in_sign_off, team, db):
    sign_all(in_sign_off, team)
    signed = signoff.current_hash(in_sign_off)
    signoff.publish(in_sign_off, team.author)
    assert in_sign_off.content_hash == signed
    document = json.loads(in_sign_off.published_document)
    assert document["figures"]["mentors_trained_total"]["value"] == 120
    actions = {e.action for e in db.session.query(AuditLogEntry).all()}
    assert {"brief.sign_off", "brief.sign", "brief.publish"} <= actions


def test_a_withdrawn_brief_keeps_its_document(in_sign_off, team):
    sign_all(in_sign_off, team)
    signoff.publish(in_sign_off, team.author)
    document = in_sign_off.published_document
    signoff.withdraw(in_sign_off, team.author, "Superseded by the 2027 brief.")
    assert in_sign_off.status == BriefStatus.withdrawn
    assert in_sign_off.published_document == document
    assert in_sign_off.withdrawal_reason == "Superseded by the 2027 brief."
    with pytest.raises(TransitionRefused):
        signoff.withdraw(in_sign_off, team.author)

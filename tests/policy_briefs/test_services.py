"""Briefs: starting one, co-authors invited and answering, translations, who reads what."""

from __future__ import annotations

import pytest

from policy_briefs import permissions, services
from policy_briefs.comments import services as comments
from policy_briefs.comments.services import InvalidComment
from policy_briefs.drafting import services as drafting
from policy_briefs.models import BriefStatus, CoAuthorStatus
from policy_briefs.services import BriefRefused
from policy_briefs.signoff import services as signoff


def test_a_new_brief_has_its_lead_as_co_author_and_one_section(team, db):
    brief = services.create_brief(team.lead, "  A   title ", "nl", team.author)
    assert brief.title == "A title"
    assert brief.status == BriefStatus.draft
    assert [o.id for o in brief.organisations] == [team.lead.id]
    assert len(brief.current_sections) == 1 and brief.current_sections[0].text == ""


@pytest.mark.parametrize(
    ("title", "language", "field"), [("", "fr", "title"), ("T", "de", "language")]
)
def test_a_brief_needs_a_title_and_a_platform_language(team, db, title, language, field):
    with pytest.raises(BriefRefused) as caught:
        services.create_brief(team.lead, title, language, team.author)
    assert field in caught.value.errors


def test_an_invited_organisation_reads_nothing_until_it_accepts(team, db):
    brief = services.create_brief(team.lead, "Joint", "fr", team.author)
    invitation = services.invite_organisation(brief, team.partner, team.author)
    assert not permissions.can_read(team.partner_author, brief)
    assert permissions.open_invitation(team.partner_author, brief) is invitation
    assert services.invitations_for(team.partner_author) == [invitation]
    assert services.invitations_for(team.reader) == []  # an editor does not write briefs
    services.answer_invitation(invitation, True, team.partner_author)
    assert permissions.can_edit(team.partner_author, brief)
    assert permissions.can_read(team.reader, brief) and not permissions.can_edit(team.reader, brief)
    assert not permissions.leads(team.partner_author, brief)
    with pytest.raises(BriefRefused):
        services.answer_invitation(invitation, False, team.partner_author)


def test_a_declined_invitation_gives_no_access_and_can_be_renewed(team, db):
    brief = services.create_brief(team.lead, "Joint", "fr", team.author)
    invitation = services.invite_organisation(brief, team.partner, team.author)
    services.answer_invitation(invitation, False, team.partner_admin)
    assert invitation.status == CoAuthorStatus.declined
    assert not permissions.can_read(team.partner_admin, brief)
    assert team.partner in services.invitable_organisations(brief)
    again = services.invite_organisation(brief, team.partner, team.author)
    assert again.id == invitation.id and again.status == CoAuthorStatus.invited


def test_other_members_see_nothing(make_brief, team):
    brief = make_brief()
    assert not permissions.can_read(team.outsider, brief)
    assert services.briefs_of(team.outsider) == []
    assert services.briefs_of(team.reader) == [brief]


def test_a_suspended_co_author_acts_for_nothing(make_brief, team):
    brief = make_brief()
    team.partner.admitted_at = None
    assert not permissions.can_read(team.partner_author, brief)
    assert permissions.signing_organisations(team.partner_admin, brief) == []


def test_invitations_stop_at_sign_off(make_brief, team):
    brief = make_brief()
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    with pytest.raises(BriefRefused):
        services.invite_organisation(brief, team.other, team.author)


def test_a_translation_is_linked_and_starts_from_the_text(make_brief, team):
    brief = make_brief(["Premier.", "Second."])
    dutch = services.start_translation(brief, "nl", "Mentoring erkennen", team.author)
    assert dutch.translation_group == brief.translation_group
    assert [s.text for s in dutch.current_sections] == ["Premier.", "Second."]
    assert {o.id for o in dutch.organisations} == {team.lead.id, team.partner.id}
    assert services.translations(brief) == [dutch]
    assert services.missing_languages(brief) == ["en"]
    with pytest.raises(BriefRefused):
        services.start_translation(dutch, "fr", "Encore", team.author)


def test_comments_anchor_to_a_passage_and_follow_its_moves(make_brief, team):
    brief = make_brief(["Mentors meet their duo every week for six months."])
    section = brief.current_sections[0]
    comment = comments.add_comment(
        section, "Every week, really?", team.reader, team.partner.id, "every week"
    )
    assert (comment.quote_prefix, comment.quote_suffix) == (
        "Mentors meet their duo ",
        " for six months.",
    )
    drafting.save_section(
        section,
        1,
        "In Gent, mentors meet their duo every week for a year.",
        team.author,
        team.lead.id,
    )
    [thread] = comments.threads(section)
    assert section.text[slice(*thread.at)] == "every week" and not thread.passage_gone
    drafting.save_section(
        section, 2, "Mentors meet their duo twice a month.", team.author, team.lead.id
    )
    [thread] = comments.threads(section)
    assert thread.passage_gone


def test_replies_and_resolving(make_brief, team):
    section = make_brief().current_sections[0]
    comment = comments.add_comment(section, "Add a figure?", team.reader, team.partner.id)
    comments.reply(comment, "Done.", team.author, team.lead.id)
    [thread] = comments.threads(section)
    assert [r.body for r in thread.replies] == ["Done."]
    comments.resolve(comment, team.author)
    assert comments.threads(section) == []
    assert [t.comment for t in comments.threads(section, resolved=True)] == [comment]


@pytest.mark.parametrize(
    ("body", "quote", "field"),
    [("", "", "body"), ("x" * 5001, "", "body"), ("Hm", "not there", "quote")],
)
def test_bad_comments_are_refused_with_the_field(make_brief, team, body, quote, field):
    section = make_brief().current_sections[0]
    with pytest.raises(InvalidComment) as caught:
        comments.add_comment(section, body, team.reader, team.partner.id, quote)
    assert field in caught.value.errors

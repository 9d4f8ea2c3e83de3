"""Saving sections: every save a revision, merged when it can be, a conflict when not."""

from __future__ import annotations

import pytest

from policy_briefs.drafting import services
from policy_briefs.drafting.services import Conflict, InvalidText, SectionRemoved
from policy_briefs.models import BriefStatus
from policy_briefs.signoff import services as signoff
from policy_briefs.states import NotEditable
from tests.policy_briefs.conftest import TEXT


def save(section, base, text, user, org):
    return services.save_section(section, base, text, user, org.id)


def test_every_save_is_a_revision_with_its_author_organisation_and_parent(section, team):
    saved = save(section, 1, TEXT + " Really.", team.partner_author, team.partner)
    assert (saved.revision.number, saved.revision.parent, saved.revision.base) == (2, 1, 1)
    assert saved.merged is False and saved.changed is True
    assert saved.revision.author_id == team.partner_author.id
    assert saved.revision.organisation_id == team.partner.id
    assert [r.number for r in services.history(section)] == [2, 1]
    assert section.text == TEXT + " Really."


def test_a_save_from_an_old_revision_is_merged_and_both_edits_kept(section, team):
    save(section, 1, TEXT.replace("fifty", "50"), team.author, team.lead)
    saved = save(
        section, 1, TEXT.replace("six months", "half a year"), team.partner_author, team.partner
    )
    assert saved.merged is True
    assert saved.revision.text == (
        "Mentors aged 50 and over accompany young job seekers for half a year."
    )
    assert (saved.revision.number, saved.revision.parent, saved.revision.base) == (3, 2, 1)


def test_overlapping_edits_are_a_conflict_and_nothing_is_lost(section, team):
    save(section, 1, TEXT.replace("six months", "a year"), team.author, team.lead)
    mine = TEXT.replace("six months", "nine months")
    with pytest.raises(Conflict) as caught:
        save(section, 1, mine, team.partner_author, team.partner)
    conflict = caught.value
    assert (conflict.base.text, conflict.theirs.text, conflict.yours) == (
        TEXT,
        TEXT.replace("six months", "a year"),
        mine,
    )
    assert section.head == 2  # nothing saved over the other's edit
    resolved = save(
        section,
        conflict.theirs.number,
        mine.replace("nine", "twelve"),
        team.partner_author,
        team.partner,
    )
    assert resolved.revision.number == 3 and not resolved.merged


def test_saving_the_same_text_again_makes_no_revision(section, team):
    saved = save(section, 1, TEXT, team.author, team.lead)
    assert saved.changed is False and saved.revision.number == 1


def test_windows_line_endings_are_stored_as_unix_ones(section, team):
    saved = save(section, 1, "One.\r\n\r\nTwo.", team.author, team.lead)
    assert saved.revision.text == "One.\n\nTwo."


@pytest.mark.parametrize(
    ("base", "text", "field"),
    [(9, "x", "base_revision"), (0, "x", "base_revision"), (1, "x" * 50_001, "text"),
     (1, "{{ figure: no_such_figure }}", "text")],
)  # fmt: skip
def test_bad_saves_are_refused_with_the_field_to_fix(section, team, base, text, field):
    with pytest.raises(InvalidText) as caught:
        save(section, base, text, team.author, team.lead)
    assert field in caught.value.errors
    assert section.head == 1


def test_an_unknown_figure_names_the_known_ones(section, team):
    with pytest.raises(InvalidText) as caught:
        save(section, 1, "{{ figure: mentors_trainde }}", team.author, team.lead)
    assert "mentors_trainde" in caught.value.errors["text"]
    assert "mentors_trained_total" in caught.value.errors["text"]


def test_restoring_a_revision_makes_a_new_one(section, team):
    save(section, 1, "Second.", team.author, team.lead)
    restored = services.restore_revision(section, 1, team.partner_author, team.partner.id)
    assert restored.revision.number == 3
    assert restored.revision.restored_from == 1
    assert restored.revision.text == TEXT
    assert [r.number for r in services.history(section)] == [3, 2, 1]


def test_sections_are_added_moved_removed_and_put_back(make_brief, team):
    brief = make_brief(["One.", "Two."])
    three = services.add_section(brief, "Three.", team.author, team.lead.id)
    assert [s.text for s in brief.current_sections] == ["One.", "Two.", "Three."]
    assert services.move_section(three, -1, team.author) is True
    assert [s.text for s in brief.current_sections] == ["One.", "Three.", "Two."]
    assert services.move_section(brief.current_sections[0], -1, team.author) is False
    services.remove_section(three, team.author)
    assert [s.text for s in brief.current_sections] == ["One.", "Two."]
    with pytest.raises(SectionRemoved):
        save(three, 1, "Edited after removal.", team.partner_author, team.partner)
    services.put_back_section(three, team.author)
    assert [s.text for s in brief.current_sections] == ["One.", "Three.", "Two."]


def test_a_published_brief_is_final(make_brief, team):
    brief = make_brief()
    brief.status = BriefStatus.published
    section = brief.current_sections[0]
    with pytest.raises(NotEditable):
        save(section, 1, "Changed after publication.", team.author, team.lead)
    with pytest.raises(NotEditable):
        services.add_section(brief, "More.", team.author, team.lead.id)
    with pytest.raises(NotEditable):
        services.move_section(section, 1, team.author)
    assert section.head == 1


def test_a_save_in_sign_off_returns_the_brief_to_review(make_brief, team):
    brief = make_brief()
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    saved = save(brief.current_sections[0], 1, "A last change.", team.partner_author, team.partner)
    assert saved.changed
    assert brief.status == BriefStatus.review

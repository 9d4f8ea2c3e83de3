"""Verbs of a brief's sections: add, save (merged three-way when it can be), restore,
reorder, remove. Every save is a revision; none overwrites another; no edit is lost.

Each verb takes the brief's lock first (`lock_brief`), so that saves of one brief happen
one after the other even on PostgreSQL with many web workers: a save reads the head
revision only once the saves before it are committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.database import utcnow
from coalition.extensions import db
from coalition.impact.figures import named_figures
from policy_briefs.merge import merge
from policy_briefs.models import Brief, Section, SectionRevision, lock_brief
from policy_briefs.render import quoted_names
from policy_briefs.signoff.services import content_changed
from policy_briefs.states import ensure_editable

#: the longest text a section holds
MAX_TEXT = 50_000


class InvalidText(ValueError):
    """The save is refused; `errors` maps a field ("text", "base_revision") to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class Conflict(Exception):
    """Edits saved meanwhile change the same words as the author's: both are kept here."""

    def __init__(self, base: SectionRevision, theirs: SectionRevision, yours: str) -> None:
        super().__init__(f"conflict with revision {theirs.number}")
        self.base, self.theirs, self.yours = base, theirs, yours


class SectionRemoved(Exception):
    """The section was removed meanwhile; the author's text was not saved."""


@dataclass(frozen=True)
class Saved:
    """What a save left: the head revision, whether it merged, whether anything changed."""

    revision: SectionRevision
    merged: bool = False
    changed: bool = True


def normalise(text: str) -> str:
    """Browsers send CR LF from text areas; a section keeps LF only."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_errors(text: str) -> dict[str, str]:
    """What is wrong with a section's text: too long, an unknown figure quoted."""
    if len(text) > MAX_TEXT:
        return {"text": _("A section holds at most %(n)d characters.", n=MAX_TEXT)}
    known = named_figures()
    unknown = [name for name in quoted_names(text) if name not in known]
    return {"text": unknown_figures(unknown, known)} if unknown else {}


def unknown_figures(names: list[str], known: Iterable[str]) -> str:
    """The message beside a section that quotes figures no one knows."""
    return _(
        "Unknown figure: %(names)s. The figures that can be quoted are: %(known)s.",
        names=", ".join(dict.fromkeys(names)),
        known=", ".join(known),
    )


def revision(section: Section, number: int) -> SectionRevision | None:
    """The section's revision `number`."""
    return db.session.scalar(
        select(SectionRevision).where(
            SectionRevision.section_id == section.id, SectionRevision.number == number
        )
    )


def history(section: Section) -> list[SectionRevision]:
    """Every revision of the section, the latest first, with its author."""
    return list(
        db.session.scalars(
            select(SectionRevision)
            .where(SectionRevision.section_id == section.id)
            .options(
                selectinload(SectionRevision.author), selectinload(SectionRevision.organisation)
            )
            .order_by(SectionRevision.number.desc())
        )
    )


def _new_revision(
    section: Section,
    text: str,
    actor: User | None,
    organisation_id: int | None,
    *,
    base: int | None,
    merged: bool = False,
    restored_from: int | None = None,
) -> SectionRevision:
    parent = section.head or None
    section.head = (section.head or 0) + 1
    created = SectionRevision(
        section=section,
        number=section.head,
        text=text,
        author_id=actor.id if actor else None,
        organisation_id=organisation_id,
        parent=parent,
        base=base,
        merged=merged,
        restored_from=restored_from,
    )
    db.session.add(created)
    db.session.flush()
    db.session.expire(section, ["head_revision"])
    return created


def _locked_section(section_id: int) -> tuple[Brief, Section]:
    """The section and its brief, locked; refused if the brief's text is final."""
    section = db.session.get_one(Section, section_id)
    brief = lock_brief(section.brief_id)
    ensure_editable(brief.status)
    return brief, db.session.get_one(Section, section_id)


def add_section(
    brief: Brief, text: str, actor: User | None, organisation_id: int | None
) -> Section:
    """A new section at the end of the brief, its text as revision 1.

    :raise InvalidText: the text is too long or quotes an unknown figure.
    :raise NotEditable: the brief is published or withdrawn.
    """
    text = normalise(text)
    errors = text_errors(text)
    if errors:
        raise InvalidText(errors)
    brief = lock_brief(brief.id)
    content_changed(brief, actor, "section.add")
    position = max((s.position for s in brief.sections), default=0) + 1
    section = Section(brief=brief, position=position, head=0)
    db.session.add(section)
    _new_revision(section, text, actor, organisation_id, base=None)
    return section


def save_section(
    section: Section, base_number: int, text: str, actor: User, organisation_id: int | None
) -> Saved:
    """Save the author's text, written from revision `base_number`, as a new revision.

    When revisions were saved since `base_number`, the author's changes are merged into
    the current text word by word; when both changed the same words, nothing is saved.

    :raise Conflict: overlapping edits (the three texts are in the exception).
    :raise SectionRemoved: the section was removed meanwhile.
    :raise InvalidText: too long, an unknown figure, or no such base revision.
    :raise NotEditable: the brief is published or withdrawn.
    """
    text = normalise(text)
    brief, section = _locked_section(section.id)
    if section.removed_at is not None:
        raise SectionRemoved(section.id)
    errors = text_errors(text)
    if not 1 <= base_number <= section.head:
        errors["base_revision"] = _("This section has no revision %(n)d.", n=base_number)
    if errors:
        raise InvalidText(errors)
    head = section.head_revision
    merged = base_number != head.number
    if merged:
        base = revision(section, base_number)
        result = merge(base.text, head.text, text)
        if result is None:
            raise Conflict(base, head, text)
    else:
        result = text
    if result == head.text:
        return Saved(head, merged=False, changed=False)
    content_changed(brief, actor, "section.text")
    return Saved(
        _new_revision(section, result, actor, organisation_id, base=base_number, merged=merged),
        merged=merged,
    )


def restore_revision(
    section: Section, number: int, actor: User, organisation_id: int | None
) -> Saved:
    """Make revision `number`'s text the current one, as a new revision.

    :raise LookupError: the section has no such revision.
    """
    brief, section = _locked_section(section.id)
    old = revision(section, number)
    if old is None:
        raise LookupError(number)
    head = section.head_revision
    if old.text == head.text:
        return Saved(head, changed=False)
    content_changed(brief, actor, "section.restore")
    return Saved(
        _new_revision(
            section, old.text, actor, organisation_id, base=head.number, restored_from=number
        )
    )


def move_section(section: Section, offset: int, actor: User) -> bool:
    """Move the section one place up (-1) or down (+1); False when it is already at the end."""
    brief, section = _locked_section(section.id)
    sections = brief.current_sections
    index = sections.index(section) + offset
    if not 0 <= index < len(sections) or offset not in (-1, 1):
        return False
    content_changed(brief, actor, "section.order")
    other = sections[index]
    section.position, other.position = other.position, section.position
    db.session.flush()
    db.session.expire(brief, ["sections"])  # read again in the new order
    return True


def remove_section(section: Section, actor: User) -> None:
    """Take the section out of the brief; its revisions stay and it can be put back."""
    brief, section = _locked_section(section.id)
    if section.removed_at is not None:
        return
    content_changed(brief, actor, "section.remove")
    section.removed_at = utcnow()
    section.removed_by_id = actor.id
    db.session.flush()


def put_back_section(section: Section, actor: User) -> None:
    """Put a removed section back where it was."""
    brief, section = _locked_section(section.id)
    if section.removed_at is None:
        return
    content_changed(brief, actor, "section.put_back")
    section.removed_at = None
    section.removed_by_id = None
    db.session.flush()

"""Verbs of comments: comment on a section (quoting a passage or not), reply, resolve."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from policy_briefs.anchors import Quote, anchor, quote_in
from policy_briefs.models import Comment, Section
from policy_briefs.states import ensure_editable

#: the longest comment
MAX_BODY = 5_000


class InvalidComment(ValueError):
    """`errors` maps a field ("body", "quote") to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _body_errors(body: str) -> dict[str, str]:
    if not body:
        return {"body": _("Write your comment.")}
    if len(body) > MAX_BODY:
        return {"body": _("A comment holds at most %(n)d characters.", n=MAX_BODY)}
    return {}


def add_comment(
    section: Section,
    body: str,
    actor: User,
    organisation_id: int | None,
    quote: str = "",
    quote_start: int | None = None,
) -> Comment:
    """Comment on the section, on the passage `quote` of its current text if given.

    :param quote_start: where the passage starts (the editor's selection), to tell apart
        a passage that occurs several times
    :raise InvalidComment: no text, too long, or the passage is not in the section.
    :raise NotEditable: the brief is published or withdrawn.
    """
    ensure_editable(section.brief.status)
    body = body.strip()
    errors = _body_errors(body)
    selector = None
    quote = quote.replace("\r\n", "\n").strip()
    if quote:
        selector = quote_in(section.text, quote, quote_start)
        if selector is None:
            errors["quote"] = _("This passage is not in the section's current text.")
    if errors:
        raise InvalidComment(errors)
    comment = Comment(
        section_id=section.id,
        author_id=actor.id,
        organisation_id=organisation_id,
        body=body,
        quote_exact=selector.exact if selector else None,
        quote_prefix=selector.prefix if selector else "",
        quote_suffix=selector.suffix if selector else "",
        revision_number=section.head,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def reply(comment: Comment, body: str, actor: User, organisation_id: int | None) -> Comment:
    """Answer a comment (in its thread).

    :raise InvalidComment: no text or too long.
    """
    ensure_editable(comment.section.brief.status)
    thread = (
        comment if comment.parent_id is None else db.session.get_one(Comment, comment.parent_id)
    )
    body = body.strip()
    errors = _body_errors(body)
    if errors:
        raise InvalidComment(errors)
    answer = Comment(
        section_id=thread.section_id,
        parent_id=thread.id,
        author_id=actor.id,
        organisation_id=organisation_id,
        body=body,
        revision_number=thread.section.head,
    )
    db.session.add(answer)
    db.session.flush()
    return answer


def resolve(comment: Comment, actor: User) -> None:
    """Mark a thread resolved (it leaves the section's open comments)."""
    if comment.resolved_at is None:
        comment.resolved_at = utcnow()
        comment.resolved_by_id = actor.id
        db.session.flush()
        record("brief.comment_resolved", actor=actor, target=comment)


@dataclass
class Thread:
    """A comment with its replies, and where its passage is in the current text."""

    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    #: (start, end) of the quoted passage in the section's current text; None if gone
    at: tuple[int, int] | None = None

    @property
    def passage_gone(self) -> bool:
        """The comment quotes a passage that later revisions took out."""
        return self.comment.quote_exact is not None and self.at is None

    def context(self, text: str) -> tuple[str, str, str]:
        """The passage in the current text, with a little before and after it."""
        if self.at is None:
            return "", self.comment.quote_exact or "", ""
        start, end = self.at
        return text[max(0, start - 40) : start], text[start:end], text[end : end + 40]


def threads(section: Section, *, resolved: bool = False) -> list[Thread]:
    """The section's open threads (or its resolved ones), re-anchored on its current text."""
    condition = Comment.resolved_at.is_not(None) if resolved else Comment.resolved_at.is_(None)
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.section_id == section.id, Comment.parent_id.is_(None), condition)
        .options(selectinload(Comment.replies), selectinload(Comment.author))
        .order_by(Comment.id)
    )
    text = section.text
    found = []
    for comment in comments:
        quote = Quote(comment.quote_exact or "", comment.quote_prefix, comment.quote_suffix)
        found.append(Thread(comment, list(comment.replies), anchor(text, quote)))
    return found

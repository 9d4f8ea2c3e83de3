"""Verbs of briefs: start one, rename it, invite co-authors and answer, translate; lists."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.config import LANGUAGES
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from policy_briefs import permissions
from policy_briefs.drafting.services import add_section
from policy_briefs.models import Brief, BriefStatus, CoAuthor, CoAuthorStatus, lock_brief
from policy_briefs.signoff.services import content_changed
from policy_briefs.states import EDITABLE

#: the longest title
MAX_TITLE = 200


class BriefRefused(ValueError):
    """The change is refused; `errors` maps a form field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise BriefRefused({"title": _("Give the brief a title.")})
    if len(title) > MAX_TITLE:
        raise BriefRefused({"title": _("At most %(n)d characters.", n=MAX_TITLE)})
    return title


def create_brief(
    lead: Organisation,
    title: str,
    language: str,
    actor: User,
    *,
    sections: list[str] | None = None,
    translation_of: Brief | None = None,
) -> Brief:
    """Start a brief led by `lead`, with the given sections' texts (one empty one if none).

    :raise BriefRefused: no title, or an unknown language.
    """
    title = _title(title)
    if language not in LANGUAGES:
        raise BriefRefused({"language": _("Choose French, Dutch or English.")})
    brief = Brief(
        title=title,
        language=language,
        lead_organisation=lead,
        created_by_id=actor.id,
        status=BriefStatus.draft,
    )
    if translation_of is not None:
        brief.translation_group = translation_of.translation_group
    brief.coauthors.append(
        CoAuthor(
            organisation=lead,
            status=CoAuthorStatus.accepted,
            invited_by_id=actor.id,
            answered_by_id=actor.id,
            answered_at=utcnow(),
        )
    )
    db.session.add(brief)
    db.session.flush()
    for text in sections or [""]:
        add_section(brief, text, actor, lead.id)
    record("brief.create", actor=actor, organisation=lead, target=brief, language=language)
    return brief


def rename_brief(brief: Brief, title: str, actor: User) -> Brief:
    """Change the title (part of the signed content).

    :raise BriefRefused: no title, or too long.
    """
    title = _title(title)
    brief = lock_brief(brief.id)
    if title != brief.title:
        content_changed(brief, actor, "title")
        brief.title = title
    return brief


def invitable_organisations(brief: Brief) -> list[Organisation]:
    """Current members the lead may invite: not co-authors, not invited already."""
    taken = {
        c.organisation_id
        for c in brief.coauthors
        if c.status in (CoAuthorStatus.accepted, CoAuthorStatus.invited)
    }
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.is_admitted).order_by(Organisation.name)
    )
    return [o for o in organisations if o.id not in taken]


def invite_organisation(brief: Brief, organisation: Organisation, actor: User) -> CoAuthor:
    """The lead invites another member to co-author (before sign-off only).

    :raise BriefRefused: in sign-off or later, already a co-author, or not a current member.
    """
    brief = lock_brief(brief.id)
    if brief.status not in (BriefStatus.draft, BriefStatus.review):
        raise BriefRefused(
            {"organisation": _("Organisations can be invited only before sign-off.")}
        )
    if organisation not in invitable_organisations(brief):
        raise BriefRefused({"organisation": _("This organisation cannot be invited.")})
    coauthor = next((c for c in brief.coauthors if c.organisation_id == organisation.id), None)
    if coauthor is None:
        coauthor = CoAuthor(brief=brief, organisation=organisation)
        db.session.add(coauthor)
    coauthor.status = CoAuthorStatus.invited
    coauthor.invited_by_id, coauthor.invited_at = actor.id, utcnow()
    coauthor.answered_by_id = coauthor.answered_at = None
    db.session.flush()
    record("brief.invite", actor=actor, organisation=organisation, target=brief)
    return coauthor


def answer_invitation(coauthor: CoAuthor, accept: bool, actor: User) -> CoAuthor:
    """The invited organisation accepts (it co-authors from now on) or declines.

    :raise BriefRefused: the invitation is no longer open.
    """
    lock_brief(coauthor.brief_id)
    coauthor = db.session.get_one(CoAuthor, coauthor.id)
    if coauthor.status != CoAuthorStatus.invited:
        raise BriefRefused({"invitation": _("This invitation is no longer open.")})
    coauthor.status = CoAuthorStatus.accepted if accept else CoAuthorStatus.declined
    coauthor.answered_by_id, coauthor.answered_at = actor.id, utcnow()
    db.session.flush()
    record(
        "brief.invitation_accepted" if accept else "brief.invitation_declined",
        actor=actor,
        organisation=coauthor.organisation_id,
        target=coauthor.brief,
    )
    return coauthor


def cancel_invitation(coauthor: CoAuthor, actor: User) -> None:
    """The lead takes back an invitation not answered yet."""
    lock_brief(coauthor.brief_id)
    coauthor = db.session.get_one(CoAuthor, coauthor.id)
    if coauthor.status == CoAuthorStatus.invited:
        coauthor.status = CoAuthorStatus.cancelled
        db.session.flush()
        record("brief.invitation_cancelled", actor=actor, target=coauthor.brief)


def translations(brief: Brief) -> list[Brief]:
    """The brief's other language versions (withdrawn ones included)."""
    return list(
        db.session.scalars(
            select(Brief)
            .where(Brief.translation_group == brief.translation_group, Brief.id != brief.id)
            .order_by(Brief.language)
        )
    )


def missing_languages(brief: Brief) -> list[str]:
    """The languages the brief has no version in yet."""
    taken = {brief.language} | {b.language for b in translations(brief)}
    return [lang for lang in LANGUAGES if lang not in taken]


def start_translation(brief: Brief, language: str, title: str, actor: User) -> Brief:
    """A version of the brief in `language`, linked to it: same lead, same co-authors, and
    its sections' texts to translate from.

    :raise BriefRefused: the brief has a version in that language already.
    """
    if language not in missing_languages(brief):
        raise BriefRefused({"language": _("The brief already exists in this language.")})
    translation = create_brief(
        brief.lead_organisation,
        title,
        language,
        actor,
        sections=[s.text for s in brief.current_sections],
        translation_of=brief,
    )
    for coauthor in brief.coauthors:
        lead = coauthor.organisation_id == brief.lead_organisation_id
        if coauthor.status == CoAuthorStatus.accepted and not lead:
            translation.coauthors.append(
                CoAuthor(
                    organisation_id=coauthor.organisation_id,
                    status=CoAuthorStatus.accepted,
                    invited_by_id=actor.id,
                    answered_by_id=coauthor.answered_by_id,
                    answered_at=coauthor.answered_at,
                )
            )
    db.session.flush()
    return translation


def briefs_of(user: User) -> list[Brief]:
    """The briefs `user` may read, the ones being written first, then the latest."""
    org_ids = [o.id for o in permissions.organisations_of(user)]
    if not org_ids:
        return []
    theirs = select(CoAuthor.brief_id).where(
        CoAuthor.organisation_id.in_(org_ids), CoAuthor.status == CoAuthorStatus.accepted
    )
    briefs = db.session.scalars(
        select(Brief)
        .where(Brief.id.in_(theirs))  # not DISTINCT: PostgreSQL cannot compare JSON columns
        .options(selectinload(Brief.coauthors))
        .order_by(Brief.updated_at.desc(), Brief.id.desc())
    ).all()
    readable = [b for b in briefs if permissions.can_read(user, b)]
    return sorted(readable, key=lambda b: b.status not in EDITABLE)


def invitations_for(user: User) -> list[CoAuthor]:
    """Open invitations that `user` may answer for one of their organisations."""
    org_ids = [o.id for o in permissions.organisations_of(user, "write_briefs")]
    if not org_ids:
        return []
    return list(
        db.session.scalars(
            select(CoAuthor)
            .where(CoAuthor.organisation_id.in_(org_ids), CoAuthor.status == CoAuthorStatus.invited)
            .order_by(CoAuthor.invited_at.desc())
        )
    )

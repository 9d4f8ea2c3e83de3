"""Who may do what with a brief, in one place.

The staff of the co-authoring organisations (those that accepted, the lead included) read
and comment; their `policy_author`s and `org_admin`s (`write_briefs`) edit; the lead's
ones also invite, move the brief through its statuses and publish; each co-authoring
organisation's `org_admin` (`sign_briefs`) signs for it. Everyone else — other members'
staff included — sees nothing until publication: a brief they may not read is answered
404, exactly like one that does not exist. A suspended member acts for no brief.
"""

from __future__ import annotations

from flask import abort

from coalition import access
from coalition.accounts.models import User
from coalition.extensions import db
from coalition.members.models import Organisation
from policy_briefs.models import Brief, CoAuthor, CoAuthorStatus, Comment, Section


def coauthor_ids(brief: Brief) -> list[int]:
    """The co-authoring organisations that are current members, the lead first."""
    return [
        c.organisation_id
        for c in brief.coauthors
        if c.status == CoAuthorStatus.accepted and c.organisation.is_admitted
    ]


def acting_organisation(user: User | None, brief: Brief, permission: str = "view") -> int | None:
    """The co-authoring organisation `user` acts for with `permission` (the lead first)."""
    for org_id in coauthor_ids(brief):
        if access.can(user, permission, org_id):
            return org_id
    return None


def can_read(user: User | None, brief: Brief) -> bool:
    """Staff of a co-authoring organisation read the brief and comment on it."""
    return acting_organisation(user, brief) is not None


def can_edit(user: User | None, brief: Brief) -> bool:
    """Policy authors (and admins) of a co-authoring organisation edit the text."""
    return acting_organisation(user, brief, "write_briefs") is not None


def can_resolve(user: User | None, brief: Brief, comment: Comment) -> bool:
    """A thread is marked resolved by its author or by a policy author of the brief."""
    return (user is not None and comment.author_id == user.id) or can_edit(user, brief)


def leads(user: User | None, brief: Brief) -> bool:
    """Whether `user` writes briefs for the lead organisation (invites, statuses, publishing)."""
    lead = brief.lead_organisation
    return lead.is_admitted and access.can(user, "write_briefs", lead)


def signing_organisations(user: User | None, brief: Brief) -> list[Organisation]:
    """The co-authoring organisations `user` may sign for."""
    ids = [i for i in coauthor_ids(brief) if access.can(user, "sign_briefs", i)]
    return [c.organisation for c in brief.coauthors if c.organisation_id in ids]


def open_invitation(user: User | None, brief: Brief) -> CoAuthor | None:
    """An invitation of the brief that `user` may accept or decline for their organisation."""
    for coauthor in brief.coauthors:
        if (
            coauthor.status == CoAuthorStatus.invited
            and coauthor.organisation.is_admitted
            and access.can(user, "write_briefs", coauthor.organisation_id)
        ):
            return coauthor
    return None


def organisations_of(user: User | None, permission: str = "view") -> list[Organisation]:
    """The current members where `user` may exercise `permission` (e.g. start a brief)."""
    ids = access.organisation_ids(user, permission)
    organisations = [db.session.get(Organisation, i) for i in ids]
    return [o for o in organisations if o is not None and o.is_admitted]


#: what a page needs of the signed-in user: read, edit (write) or lead
NEEDS = {"read": can_read, "edit": can_edit, "lead": leads}


def brief_for(brief_id: int, need: str = "read") -> Brief:
    """The brief, if the signed-in user may `need` it.

    :raise NotFound: the brief does not exist or the user may not even read it.
    :raise Forbidden: the user reads it but may not do what the page does.
    """
    brief = db.get_or_404(Brief, brief_id)
    user = access.current_user()
    if not can_read(user, brief):
        abort(404)
    if not NEEDS[need](user, brief):
        abort(403)
    return brief


def section_for(brief_id: int, section_id: int, need: str = "read") -> tuple[Brief, Section]:
    """The brief (as `brief_for`) and its section; a section of another brief is not found."""
    brief = brief_for(brief_id, need)
    section = db.get_or_404(Section, section_id)
    if section.brief_id != brief.id:
        abort(404)
    return brief, section

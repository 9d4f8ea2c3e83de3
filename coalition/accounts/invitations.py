"""Invitations: a link by mail that lets a person create their account (or gain roles)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from coalition.access import Role
from coalition.accounts.errors import AccountError, TokenInvalid
from coalition.accounts.models import Invitation, User
from coalition.accounts.services import (
    add_role,
    find_user,
    new_token,
    new_user,
    normalise_email,
    token_hash,
)
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from coalition.mail import public_url, render_mail, send_mail

if TYPE_CHECKING:
    from coalition.members.models import Organisation


def invite_user(
    email: str,
    name: str,
    organisation: Organisation | None,
    roles: Iterable[Role | str],
    invited_by: User | None,
    language: str,
    coalition_admin: bool = False,
) -> tuple[Invitation, str]:
    """Invite a person to the organisation with `roles` and mail them the accept link.

    Returns the invitation and the token (the token is never stored, only its hash).
    :param organisation: None only for an invitation to the coalition's office.
    :param invited_by: the staff member who invites; None for the platform itself.
    :param language: the invitee's language, for the mail and the accept page.
    """
    roles = sorted({Role(r).value for r in roles})
    if organisation is None and not coalition_admin:
        raise AccountError(_("Choose an organisation for this invitation."))
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    token, digest = new_token()
    ttl = current_app.config["INVITATION_TTL_SECONDS"]
    invitation = Invitation(
        token_hash=digest,
        email=normalise_email(email),
        name=(name or "").strip(),
        organisation_id=organisation.id if organisation is not None else None,
        roles=roles,
        coalition_admin=coalition_admin,
        invited_by_id=invited_by.id if invited_by is not None else None,
        language=language,
        expires_at=utcnow() + timedelta(seconds=ttl),
    )
    db.session.add(invitation)
    db.session.flush()
    link = public_url("auth.accept_invitation", lang_code=language, token=token)
    org_name = organisation.display_name(language) if organisation is not None else None
    with force_locale(language):
        subject = _("Your invitation to the mentoring coalition platform")
    body = render_mail(
        "invitation",
        language,
        name=invitation.name,
        organisation=org_name,
        roles=roles,
        coalition_admin=coalition_admin,
        link=link,
        expires_at=invitation.expires_at,
        inviter=invited_by.name if invited_by else None,
    )
    send_mail(invitation.email, subject, body, language)
    record(
        "user.invite",
        actor=invited_by,
        organisation=organisation,
        target=invitation,
        email=invitation.email,
        roles=roles,
        coalition_admin=coalition_admin,
    )
    return invitation, token


def pending_invitation(token: str) -> Invitation:
    """The invitation this token opens.

    :raise TokenInvalid: unknown, already accepted, revoked or expired.
    """
    invitation = db.session.execute(
        select(Invitation).where(Invitation.token_hash == token_hash(token or ""))
    ).scalar_one_or_none()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise TokenInvalid(_("This invitation link is not valid any more. Ask for a new one."))
    return invitation


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations still waiting for an answer, newest first."""
    return list(
        db.session.execute(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).scalars()
    )


def organisation_invitation(organisation: Organisation, invitation_id: int) -> Invitation | None:
    """The organisation's invitation with this id; None if it is another's or none."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation.id:
        return None
    return invitation


def revoke_invitation(invitation: Invitation, actor: User | None) -> None:
    """Withdraw an invitation: its link stops working."""
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()
        _record("invitation.revoke", invitation, actor, email=invitation.email)


def accept_invitation(token: str, name: str | None, password: str | None) -> User:
    """Accept an invitation: create the account (or extend an existing one) with its roles.

    An existing user with the invited e-mail keeps their name and password and just
    gains the roles. The invitation can be used once.
    :raise TokenInvalid: the link is unknown, used, revoked or expired.
    :raise PasswordRejected: a new account's password breaks the rules.
    """
    invitation = pending_invitation(token)
    organisation = invitation.organisation
    if organisation is not None and not organisation.is_admitted:
        raise AccountError(
            _(
                "The membership of %(name)s in the coalition is suspended: this invitation "
                "can be accepted once it is readmitted. Please contact the coalition office.",
                name=organisation.display_name(invitation.language),
            )
        )
    user = find_user(invitation.email)
    if user is None:
        name = (name or "").strip() or invitation.name
        if not name:
            raise AccountError(_("Please enter your name."))
        user = new_user(invitation.email, name, password, language=invitation.language)
    if invitation.coalition_admin:
        user.is_coalition_admin = True
    if invitation.organisation_id is not None:
        for role in invitation.roles:
            add_role(user, invitation.organisation_id, Role(role))
    invitation.accepted_at = utcnow()
    db.session.flush()
    _record("invitation.accept", invitation, user, roles=list(invitation.roles))
    return user


def _record(action: str, invitation: Invitation, actor: User | None, **details) -> None:
    record(
        action, actor=actor, organisation=invitation.organisation_id, target=invitation, **details
    )

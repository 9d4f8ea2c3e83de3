"""Applications to join the coalition: submitted on the public page, decided by the office.

An approved application becomes a member organisation, and its contact person is invited
as the organisation's first administrator.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from coalition.access import Role
from coalition.accounts.invitations import invite_user
from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.config import LANGUAGES
from coalition.database import utcnow
from coalition.extensions import db
from coalition.mail import render_mail, send_mail
from coalition.members.models import ApplicationStatus, MembershipApplication, Organisation
from coalition.members.services import (
    ORGANISATION_LANGUAGES,
    MembershipError,
    admit,
    check_not_a_member,
    format_enterprise_number,
    normalise_website,
    unique_slug,
    valid_enterprise_number,
)
from coalition.validation import DIRECTION_OVERRIDES


def submit_application(
    *,
    organisation_name: str,
    enterprise_number: str,
    contact_name: str,
    contact_email: str,
    website: str | None = None,
    languages: list[str] | None = None,
    description: str = "",
    language: str = "fr",
) -> MembershipApplication:
    """Record an organisation's application to join the coalition and acknowledge it.

    The contact person receives, in the application's language, a mail saying it was
    received and what happens next.
    :raise MembershipError: invalid enterprise number or website, or one already a member
        or pending.
    """
    number = valid_enterprise_number(
        enterprise_number,
        _("This is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749)."),
    )
    check_not_a_member(number)
    for field, name in (("organisation_name", organisation_name), ("contact_name", contact_name)):
        if DIRECTION_OVERRIDES.search(name):  # the office's lists would show it reversed
            raise MembershipError(
                field, _("Remove the text-direction control characters from the name.")
            )
    if has_applied(number, pending_only=True):
        raise MembershipError(
            "enterprise_number",
            _("An application with this enterprise number is already being reviewed."),
        )
    application = MembershipApplication(
        organisation_name=organisation_name.strip(),
        enterprise_number=number,
        website=normalise_website(website),
        languages=[code for code in (languages or []) if code in ORGANISATION_LANGUAGES],
        description=(description or "").strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        language=language if language in LANGUAGES else LANGUAGES[0],
        status=ApplicationStatus.pending,
    )
    db.session.add(application)
    db.session.flush()
    record(
        "application.submit", target=application, organisation_name=application.organisation_name
    )
    _mail_applicant(
        application,
        "application_received",
        _("We received your application to the mentoring coalition"),
        enterprise_number=format_enterprise_number(application.enterprise_number),
    )
    return application


def has_applied(enterprise_number: str, *, pending_only: bool = False) -> bool:
    """Whether an application with this (normalised) enterprise number exists."""
    query = select(MembershipApplication.id).where(
        MembershipApplication.enterprise_number == enterprise_number
    )
    if pending_only:
        query = query.where(MembershipApplication.status == ApplicationStatus.pending)
    return db.session.execute(query).first() is not None


def _mail_applicant(
    application: MembershipApplication, template: str, subject: Any, **context: Any
) -> None:
    """Mail the application's contact person, in the application's language.

    :param subject: a lazy message, translated into that language here.
    """
    language = application.language
    with force_locale(language):
        subject = str(subject)
    body = render_mail(
        template,
        language,
        name=application.contact_name,
        organisation=application.organisation_name,
        **context,
    )
    send_mail(application.contact_email, subject, body, language)


def pending_applications() -> list[MembershipApplication]:
    """Applications waiting for the coalition's decision, oldest first."""
    return list(
        db.session.scalars(
            select(MembershipApplication)
            .where(MembershipApplication.status == ApplicationStatus.pending)
            .order_by(MembershipApplication.created_at, MembershipApplication.id)
        )
    )


def recent_decisions(limit: int = 20) -> list[MembershipApplication]:
    """The applications decided last, newest first."""
    return list(
        db.session.scalars(
            select(MembershipApplication)
            .where(MembershipApplication.status != ApplicationStatus.pending)
            .order_by(MembershipApplication.decided_at.desc())
            .limit(limit)
        )
    )


def _decidable(application: MembershipApplication) -> None:
    if application.status != ApplicationStatus.pending:
        raise MembershipError("status", _("This application has already been decided."))


def _decided(application: MembershipApplication, admin: User, status: ApplicationStatus) -> None:
    application.status = status
    application.decided_at = utcnow()
    application.decided_by_id = admin.id


def approve_application(application: MembershipApplication, admin: User) -> Organisation:
    """Admit the applicant as a member and invite its contact person as its admin."""
    _decidable(application)
    check_not_a_member(application.enterprise_number)
    organisation = admit(
        name=application.organisation_name,
        slug=unique_slug(application.organisation_name),
        enterprise_number=application.enterprise_number,
        website=application.website,
        languages=application.languages,
        descriptions=(
            {application.language: application.description} if application.description else {}
        ),
    )
    _decided(application, admin, ApplicationStatus.approved)
    application.organisation = organisation
    db.session.flush()
    record("application.approve", actor=admin, organisation=organisation, target=application)
    invite_user(
        application.contact_email,
        application.contact_name,
        organisation,
        [Role.org_admin],
        admin,
        application.language,
    )
    return organisation


def reject_application(application: MembershipApplication, admin: User, reason: str) -> None:
    """Refuse the application and tell the contact person why."""
    _decidable(application)
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError("reason", _("Give the reason: the applicant will read it."))
    _decided(application, admin, ApplicationStatus.rejected)
    application.rejection_reason = reason
    db.session.flush()
    _mail_applicant(
        application,
        "application_rejected",
        _("Your application to the mentoring coalition"),
        reason=reason,
    )
    record("application.reject", actor=admin, target=application, reason=reason)

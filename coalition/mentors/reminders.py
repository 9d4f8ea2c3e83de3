"""Interests nobody has answered: the programme's editors are reminded once per interest.

An interest still new `MENTOR_REMINDER_AFTER_DAYS` after it arrived is due; the worker
mails each editor of its organisation one reminder listing the interests due there, then
marks them reminded. The mail names the programme and the day only, never the
volunteer: their data stay on the platform, behind the staff sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.accounts.services import mail_language
from coalition.database import utcnow
from coalition.extensions import db
from coalition.mail import public_url, reminder_text, send_mail
from coalition.mentors.models import InterestStatus, MentorInterest
from coalition.programmes.stale import programme_editors


def due_reminders(now: datetime | None = None) -> list[MentorInterest]:
    """Interests still new after `MENTOR_REMINDER_AFTER_DAYS` whose editors were not reminded."""
    days = current_app.config["MENTOR_REMINDER_AFTER_DAYS"]
    return list(
        db.session.scalars(
            select(MentorInterest)
            .options(selectinload(MentorInterest.programme))
            .where(
                MentorInterest.status == InterestStatus.new,
                MentorInterest.reminded_at.is_(None),
                MentorInterest.created_at < (now or utcnow()) - timedelta(days=days),
            )
            .order_by(MentorInterest.id)
        )
    )


def reminder(
    organisation_name: str, interests: list[MentorInterest], name: str, link: str, language: str
) -> tuple[str, str]:
    """The subject and plain-text body of the reminder about unanswered interests."""
    days = current_app.config["MENTOR_REMINDER_AFTER_DAYS"]
    with force_locale(language):
        text = reminder_text(
            name,
            _(
                "People who would like to become mentors with %(organisation)s have been "
                "waiting for an answer for more than %(days)d days:",
                organisation=organisation_name,
                days=days,
            ),
            (
                _(
                    "%(programme)s, received on %(date)s",
                    programme=interest.programme.text("titles", language),
                    date=format_date(interest.created_at, "medium"),
                )
                for interest in interests
            ),
            _("Open the mentor volunteers' page, contact them and record it there:"),
            link,
        )
        return _("Mentor volunteers are waiting for your answer"), text


def remind_editors(now: datetime | None = None) -> int:
    """Mail the editors of every organisation with interests due; count the interests."""
    due = due_reminders(now)

    def organisation_of(interest: MentorInterest):
        return interest.programme.organisation

    reminded = 0
    for organisation, interests in groupby(
        sorted(due, key=lambda i: i.programme.organisation_id), key=organisation_of
    ):
        if not organisation.is_admitted:
            continue  # its staff pages are closed: remind them once it is readmitted
        interests = list(interests)
        for editor in programme_editors(organisation):
            language = mail_language(editor)
            link = public_url("mentor_staff.inbox", lang_code=language, org_id=organisation.id)
            subject, text = reminder(
                organisation.display_name(language), interests, editor.name, link, language
            )
            send_mail(editor.email, subject, text, language)
        for interest in interests:
            interest.reminded_at = utcnow()
        reminded += len(interests)
    db.session.flush()
    return reminded

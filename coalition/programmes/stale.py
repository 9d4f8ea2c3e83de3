"""Programmes nobody confirmed for `STALE_AFTER_DAYS`: found, and their editors reminded.

The rule itself is `Programme.is_stale` (in Python and in SQL); `flask coalition flag-stale`
sends the reminders, once a week.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.access import PERMISSIONS
from coalition.accounts.models import OrganisationRole, User
from coalition.accounts.services import mail_language
from coalition.extensions import db
from coalition.mail import public_url, reminder_text, send_mail
from coalition.programmes.models import STALE_AFTER_DAYS, Programme

if TYPE_CHECKING:
    from coalition.members.models import Organisation


def stale_programmes(organisation: Organisation, today: date | None = None) -> list[Programme]:
    """The organisation's published programmes not confirmed for `STALE_AFTER_DAYS`."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.organisation_id == organisation.id, Programme.is_stale(today))
            .order_by(Programme.confirmed_on, Programme.id)
        )
    )


def programme_editors(organisation: Organisation) -> list[User]:
    """The active staff members who may edit the organisation's programmes."""
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationRole)
            .where(
                OrganisationRole.organisation_id == organisation.id,
                OrganisationRole.role.in_(PERMISSIONS["edit_programmes"]),
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def stale_reminder(
    organisation: Organisation, programmes: list[Programme], name: str, link: str, language: str
) -> tuple[str, str]:
    """The subject and plain-text body of the reminder about stale programmes."""
    with force_locale(language):
        text = reminder_text(
            name,
            _(
                "These programmes of %(organisation)s have not been confirmed for more than "
                "%(days)d days. Young people see them lower in the search results until someone "
                "confirms they are still up to date:",
                organisation=organisation.display_name(language),
                days=STALE_AFTER_DAYS,
            ),
            (
                f"{p.text('titles', language)} ("
                + _("last confirmed on %(date)s", date=format_date(p.confirmed_on, "medium"))
                + ")"
                for p in programmes
            ),
            _(
                "Open your programmes, check them and click “Confirm still up to date”, "
                "or update or unpublish them:"
            ),
            link,
        )
        return _("Please confirm your programmes are still up to date"), text


def notify_stale_editors(today: date | None = None) -> int:
    """Mail the editors of every organisation with stale programmes; count the mails sent."""
    stale = db.session.scalars(
        select(Programme)
        .options(joinedload(Programme.organisation))
        .where(Programme.is_stale(today))
        .order_by(Programme.organisation_id, Programme.confirmed_on, Programme.id)
    ).all()
    sent = 0
    for organisation, programmes in groupby(stale, key=lambda programme: programme.organisation):
        programmes = list(programmes)
        for editor in programme_editors(organisation):
            language = mail_language(editor)
            link = public_url("programmes.index", lang_code=language, org_id=organisation.id)
            subject, text = stale_reminder(organisation, programmes, editor.name, link, language)
            send_mail(editor.email, subject, text, language)
            sent += 1
    return sent

"""The coalition office's moderation: any programme can be taken out of the directory, with
a reason its editors read; publishing it again is their answer."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.paging import Page, paginate
from coalition.programmes.models import Programme, ProgrammeStatus
from coalition.programmes.services import record_change
from coalition.signals import programme_unpublished_by_coalition

#: programmes per page of the moderation list
MODERATION_PAGE_SIZE = 50
#: the longest reason the editors are given, in characters
REASON_MAX_LENGTH = 2000


def moderation_list(page: int) -> Page[Programme]:
    """Every published or moderated programme, newest change first."""
    return paginate(
        select(Programme)
        .where(
            (Programme.status == ProgrammeStatus.published)
            | Programme.unpublished_by_coalition.is_(True)
        )
        .order_by(Programme.updated_at.desc(), Programme.id.desc()),
        page,
        MODERATION_PAGE_SIZE,
    )


class ModerationRefused(ValueError):
    """The reason is missing or too long; `message` says so to the admin, beside the field."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(problem)
        self.message = message


def unpublish_by_coalition(programme: Programme, admin: User, reason: str) -> None:
    """The coalition admin takes a programme out of the directory, telling its editors why.

    :raise ModerationRefused: no reason was given, or one longer than `REASON_MAX_LENGTH`.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ModerationRefused(
            "a reason is required", _("Give the reason, so the editors can fix the programme.")
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ModerationRefused(
            "the reason is too long", _("At most %(max)s characters.", max=REASON_MAX_LENGTH)
        )
    if programme.status != ProgrammeStatus.archived:
        programme.status = ProgrammeStatus.unpublished
    programme.unpublished_by_coalition = True
    programme.unpublished_reason = reason
    record_change(programme, "moderate", admin, None, reason=reason)
    programme_unpublished_by_coalition.send(programme, reason=reason, admin=admin)

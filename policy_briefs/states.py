"""The life of a brief: draft → review → sign-off → published, and withdrawn."""

from __future__ import annotations

from policy_briefs.models import BriefStatus

#: the statuses each status may move to
TRANSITIONS: dict[BriefStatus, frozenset[BriefStatus]] = {
    BriefStatus.draft: frozenset({BriefStatus.review, BriefStatus.withdrawn}),
    BriefStatus.review: frozenset({BriefStatus.sign_off, BriefStatus.withdrawn}),
    BriefStatus.sign_off: frozenset(
        {BriefStatus.review, BriefStatus.published, BriefStatus.withdrawn}
    ),
    BriefStatus.published: frozenset({BriefStatus.withdrawn}),
    BriefStatus.withdrawn: frozenset(),
}

#: statuses in which the text may change (a change in sign-off returns the brief to review)
EDITABLE = frozenset({BriefStatus.draft, BriefStatus.review, BriefStatus.sign_off})


class TransitionRefused(ValueError):
    """The brief cannot move to that status now; the message says why."""


def can_move(current: BriefStatus, target: BriefStatus) -> bool:
    """Whether the status machine allows `current` → `target`."""
    return target in TRANSITIONS[current]


class NotEditable(ValueError):
    """The brief's text is final (published or withdrawn)."""


def ensure_editable(status: BriefStatus) -> None:
    """Refuse a change of the text unless the brief is being written.

    :raise NotEditable: the brief is published or withdrawn.
    """
    if status not in EDITABLE:
        raise NotEditable(status)

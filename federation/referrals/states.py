"""A referral's lifecycle: the HL7 FHIR Task status codes and who may make each move.

As the Gravity Project's SDOH Clinical Care guide uses them: the requester (the sender)
sets `cancelled`; the performer (the receiver) sets `accepted`, `rejected`, `in-progress`,
`on-hold`, `completed` and `failed`; the platform cancels, with reason `expired`, a request
left unanswered. A FHIR-speaking member system maps these codes 1:1.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _


class Status(enum.StrEnum):
    """FHIR Task status codes (spelled as FHIR spells them)."""

    requested = "requested"
    accepted = "accepted"
    rejected = "rejected"
    cancelled = "cancelled"
    in_progress = "in-progress"
    on_hold = "on-hold"
    completed = "completed"
    failed = "failed"


class Side(enum.StrEnum):
    """Who makes a move: the two organisations, or the platform itself."""

    sender = "sender"
    receiver = "receiver"
    platform = "platform"


S = Status
#: every legal move, and the side it belongs to
TRANSITIONS: dict[tuple[Status, Status], Side] = {
    (S.requested, S.accepted): Side.receiver,
    (S.requested, S.rejected): Side.receiver,
    (S.requested, S.cancelled): Side.sender,
    (S.accepted, S.in_progress): Side.receiver,
    (S.accepted, S.on_hold): Side.receiver,
    (S.accepted, S.cancelled): Side.sender,
    (S.accepted, S.completed): Side.receiver,
    (S.accepted, S.failed): Side.receiver,
    (S.in_progress, S.on_hold): Side.receiver,
    (S.on_hold, S.in_progress): Side.receiver,
    (S.in_progress, S.completed): Side.receiver,
    (S.in_progress, S.failed): Side.receiver,
    (S.in_progress, S.cancelled): Side.sender,
    (S.on_hold, S.completed): Side.receiver,
    (S.on_hold, S.failed): Side.receiver,
    (S.on_hold, S.cancelled): Side.sender,
}
#: the platform's only move: a request unanswered for too long
EXPIRY = (S.requested, S.cancelled)
#: a referral in one of these has ended (its content is purged after the retention time)
ENDED = frozenset({S.rejected, S.cancelled, S.completed, S.failed})
OPEN = frozenset(Status) - ENDED

#: why a receiver rejects
REJECT_REASONS = ("no_capacity", "not_eligible", "not_reachable", "other")
#: why a referral was cancelled: by the sender, or by the platform (`expired`)
CANCEL_REASONS = ("consent_withdrawn", "other")
EXPIRED = "expired"
#: how a completed referral ended, and a failed one
COMPLETED_OUTCOMES = ("job", "training", "internship", "volunteering")
FAILED_OUTCOMES = ("dropped_out", "not_reached")
OUTCOMES = COMPLETED_OUTCOMES + FAILED_OUTCOMES
#: the reasons a move to a status takes (none for the others; a rejection needs one)
REASONS_OF = {S.rejected: REJECT_REASONS, S.cancelled: CANCEL_REASONS}
#: the outcomes a move to a status takes, one of them required (none for the others)
OUTCOMES_OF = {S.completed: COMPLETED_OUTCOMES, S.failed: FAILED_OUTCOMES}


class TransitionRefused(Exception):
    """A move that cannot be made: `status` is the HTTP answer, `pointer` the field."""

    def __init__(self, status: int, message: str, pointer: str = "/status") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.pointer = pointer


def check_move(
    current: Status, target: Status, side: Side, reason: str | None, outcome: str | None
) -> None:
    """Refuse a move that is illegal (409), the other side's (403) or whose reason or
    outcome does not fit it (422).

    :raise TransitionRefused:
    """
    owner = TRANSITIONS.get((current, target))
    if side is Side.platform:
        if (current, target) != EXPIRY:
            raise TransitionRefused(
                409,
                _(
                    "The platform cannot move %(current)s to %(target)s.",
                    current=current,
                    target=target,
                ),
            )
        return
    if owner is None:
        raise TransitionRefused(
            409,
            _(
                "A referral that is %(current)s cannot become %(target)s.",
                current=current,
                target=target,
            ),
        )
    if owner is not side:
        raise TransitionRefused(
            403, _("Only the %(owner)s sets a referral %(target)s.", owner=owner, target=target)
        )
    allowed_reasons = REASONS_OF.get(target, ())
    if target is S.rejected and not reason:
        raise TransitionRefused(422, _("Give the reason for the rejection."), "/reason")
    if reason and reason not in allowed_reasons:
        expected = ", ".join(allowed_reasons) or "none"
        raise TransitionRefused(
            422, _("Reason must be one of: %(expected)s.", expected=expected), "/reason"
        )
    allowed_outcomes = OUTCOMES_OF.get(target, ())
    if allowed_outcomes and not outcome:
        raise TransitionRefused(
            422, _("Give the outcome of a %(status)s referral.", status=target), "/outcome"
        )
    if outcome and outcome not in allowed_outcomes:
        expected = ", ".join(allowed_outcomes) or "none"
        raise TransitionRefused(
            422, _("Outcome must be one of: %(expected)s.", expected=expected), "/outcome"
        )

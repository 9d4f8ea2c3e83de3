"""The follow-up of a mentor interest: new → contacted → in training → active → first duo
ended → continuing | stopped; declined and withdrawn on the way. Every other move is refused.
"""

from __future__ import annotations

from flask_babel import gettext as _

from coalition.mentors.models import InterestStatus as S

#: the statuses each status may move to (a programme without training goes from contacted
#: to active; "stopped" is a mentor who took no other duo after the first)
TRANSITIONS: dict[S, tuple[S, ...]] = {
    S.new: (S.contacted, S.declined, S.withdrawn),
    S.contacted: (S.in_training, S.active, S.declined, S.withdrawn),
    S.in_training: (S.active, S.declined, S.withdrawn),
    S.active: (S.first_duo_ended, S.withdrawn),
    S.first_duo_ended: (S.continuing, S.stopped),
    S.continuing: (),
    S.stopped: (),
    S.declined: (),
    S.withdrawn: (),
}

#: a volunteer in one of these is a mentor the platform recruited
RECRUITED = S.active
#: the two ends of a first duo, whose ratio is the continuation rate
CONTINUED, STOPPED = S.continuing, S.stopped


class TransitionRefused(ValueError):
    """The interest cannot move to that status from the one it is in; `message` says why."""

    def __init__(self, current: S, target: str) -> None:
        labels = status_labels()
        if target not in labels:
            message = _("Unknown status.")
        elif not TRANSITIONS[current]:
            message = _(
                "This follow-up is closed (%(current)s): its status no longer changes.",
                current=labels[current],
            )
        else:
            message = _(
                "An interest that is “%(current)s” cannot become “%(target)s”; it can become: "
                "%(allowed)s.",
                current=labels[current],
                target=labels[S(target)],
                allowed=", ".join(labels[s] for s in TRANSITIONS[current]),
            )
        super().__init__(message)
        self.message = message


def check_move(current: S, target: str) -> S:
    """The status `target`, if an interest that is `current` may move to it.

    :raise TransitionRefused: it may not (or `target` is no status).
    """
    if target in S.__members__ and S(target) in TRANSITIONS[current]:
        return S(target)
    raise TransitionRefused(current, target)


def status_labels() -> dict[S, str]:
    """The statuses' names in the page's language."""
    return {
        S.new: _("New"),
        S.contacted: _("Contacted"),
        S.in_training: _("In training"),
        S.active: _("Active"),
        S.first_duo_ended: _("First duo ended"),
        S.continuing: _("Continuing"),
        S.stopped: _("Stopped"),
        S.declined: _("Declined"),
        S.withdrawn: _("Withdrawn"),
    }

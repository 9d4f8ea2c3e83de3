"""The status machine of an interest's follow-up, every move tried."""

from __future__ import annotations

import pytest

from coalition.mentors.models import InterestStatus as S
from coalition.mentors.services import express_interest, move_interest
from coalition.mentors.states import TRANSITIONS, TransitionRefused, check_move
from tests.coalition._mentors import interest_body

#: the moves the issue names, and declined / withdrawn on the way
ALLOWED = {
    (S.new, S.contacted),
    (S.new, S.declined),
    (S.new, S.withdrawn),
    (S.contacted, S.in_training),
    (S.contacted, S.active),  # a programme without training
    (S.contacted, S.declined),
    (S.contacted, S.withdrawn),
    (S.in_training, S.active),
    (S.in_training, S.declined),
    (S.in_training, S.withdrawn),
    (S.active, S.first_duo_ended),
    (S.active, S.withdrawn),
    (S.first_duo_ended, S.continuing),
    (S.first_duo_ended, S.stopped),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_pair_of_statuses(app, current, target):
    with app.test_request_context("/en/"):
        if (current, target) in ALLOWED:
            assert check_move(current, target) is target
        else:
            with pytest.raises(TransitionRefused) as refused:
                check_move(current, target)
            assert refused.value.message


def test_the_table_is_exactly_the_allowed_moves():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(TRANSITIONS) == set(S)


def test_the_refusal_says_what_is_possible(app):
    with app.test_request_context("/en/"):
        with pytest.raises(TransitionRefused) as refused:
            check_move(S.new, "active")
        assert refused.value.message == (
            "An interest that is “New” cannot become “Active”; it can become: "
            "Contacted, Declined, Withdrawn."
        )
        with pytest.raises(TransitionRefused) as closed:
            check_move(S.stopped, "active")
        assert "closed" in closed.value.message
        with pytest.raises(TransitionRefused) as unknown:
            check_move(S.new, "hired")
        assert unknown.value.message == "Unknown status."


def test_a_refused_move_changes_nothing(db, programme):
    interest = express_interest(programme, interest_body(), "fr")
    with pytest.raises(TransitionRefused):
        move_interest(interest, "first_duo_ended", None)
    assert interest.status == S.new and len(interest.changes) == 1


def test_the_whole_journey_to_continuing(db, programme):
    journey = ["new", "contacted", "in_training", "active", "first_duo_ended", "continuing"]
    interest = express_interest(programme, interest_body(), "fr")
    for status in journey[1:]:
        move_interest(interest, status, None)
    assert interest.status == S.continuing
    assert [c.after for c in interest.changes] == journey

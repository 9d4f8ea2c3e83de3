"""The search's rules of what the public sees, and when a search that found nothing counts."""

from __future__ import annotations

import uuid

from flask import Response
from sqlalchemy import select

from coalition.programmes.models import ProgrammeStatus
from search.hsds.services import find_service
from search.models import ZeroResultCount
from search.services import (
    Visibility,
    admitted_organisation,
    find_programme,
    programme_visibility,
    published_programmes_of,
)
from search.zero_results import count_if_none_found, write_zero_result_counts


def test_a_programme_is_public_gone_or_missing(directory, make_org, make_programme):
    programmes = directory["programmes"]
    expected = {
        "jobs": Visibility.public,
        "taal": Visibility.public,
        "draft": Visibility.missing,
        "unpublished": Visibility.missing,
        "archived": Visibility.gone,
        "pending": Visibility.missing,  # published, but not by a member
    }
    for name, visibility in expected.items():
        assert find_programme(programmes[name].uuid) == (programmes[name], visibility), name
    assert find_programme(uuid.uuid4()) == (None, Visibility.missing)
    assert programme_visibility(None) is Visibility.missing
    # A non-member's archived programme was never shown: it is not "gone", it is not there.
    former = make_programme(
        make_org("Never admitted", admitted_at=None), status=ProgrammeStatus.archived
    )
    assert programme_visibility(former) is Visibility.missing


def test_the_feed_finds_only_what_the_page_shows(directory):
    """The HSDS feed has no "gone": what the page answers 410 for, the feed answers 404."""
    for name, programme in directory["programmes"].items():
        public = programme_visibility(programme) is Visibility.public
        assert (find_service(str(programme.uuid)) is programme) is public, name
    assert find_service("not-a-uuid") is None


def test_an_organisation_by_the_slug_of_an_address(directory):
    brug = directory["orgs"]["brug"]
    assert admitted_organisation("de-brug") is brug
    assert admitted_organisation("  de-brug \n") is brug
    assert admitted_organisation("de-brug" + "x" * 100) is None
    assert admitted_organisation("not-yet-member") is None  # not a member
    assert admitted_organisation("") is None
    assert admitted_organisation("   ") is None


def test_a_members_published_programmes_newest_first(directory):
    duo, pending = directory["orgs"]["duo"], directory["orgs"]["pending"]
    programmes = directory["programmes"]
    listed = published_programmes_of(duo)
    assert set(listed) == {programmes["jobs"], programmes["school"]}
    assert [p.published_at for p in listed] == sorted(
        (p.published_at for p in listed), reverse=True
    )
    assert published_programmes_of(pending) == []  # its programme is published, it is not
    assert published_programmes_of(None) == []


def counts(db) -> dict[tuple[str, str], int]:
    rows = db.session.execute(select(ZeroResultCount)).scalars()
    return {(row.lang, row.query): row.count for row in rows}


def test_a_search_that_found_nothing_is_counted_after_the_answer(app, db):
    with app.test_request_context("/nl/programmes?q=fietsherstelling"):
        count_if_none_found("fietsherstelling", "nl", 0)
        count_if_none_found("werk", "nl", 3)  # found something
        count_if_none_found("", "nl", 0)  # no text
        assert counts(db) == {}  # nothing written while the page is made
        response = Response("the page")
        assert write_zero_result_counts(response) is response
        assert counts(db) == {("nl", "fietsherstelling"): 1}
        write_zero_result_counts(response)  # written once
    assert counts(db) == {("nl", "fietsherstelling"): 1}

"""What a programme asks of mentors, in the HSDS feed: `mentor_…` attributes of its service,
valid against the official schema."""

from __future__ import annotations

from coalition.taxonomy import term_uuid
from tests.search.test_hsds import assert_valid
from tests.search.test_mentor_search import NEEDS


def _attributes(service: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for attribute in service["attributes"]:
        if attribute["link_type"].startswith("mentor"):
            found.setdefault(attribute["link_type"], []).append(attribute)
    return found


def test_mentor_needs_are_attributes_of_the_service(client, make_programme):
    needs = {
        **NEEDS,
        "languages": ["fr", "nl"],
        "locations": [{"postcode": "1080", "country": "BE", "city": "Molenbeek-Saint-Jean"}],
        "online": True,
    }
    programme = make_programme(mentor_needs=needs)
    service = client.get(f"/hsds/services/{programme.uuid}?lang=en").json
    assert_valid("service", service)
    attributes = _attributes(service)
    values = {kind: [a.get("value") for a in items] for kind, items in attributes.items()}
    assert values == {
        "mentor_seeking": ["true"],
        "mentor_experience_field": [None, None],
        "mentor_language": ["fr", "nl"],
        "mentor_age_min": ["50"],
        "mentor_hours_per_week": ["2"],
        "mentor_duo_months": ["6"],
        "mentors_needed": ["8"],
        "mentor_training_hours": ["12"],
        "mentor_training_format": ["mixed"],
        "mentor_location": ["BE-1080"],
        "mentor_online": ["true"],
    }
    hr = attributes["mentor_experience_field"][0]
    assert hr["taxonomy_term_id"] == str(term_uuid("experience_field", "hr"))
    assert hr["taxonomy_term"]["name"] == "Human resources and recruitment"
    assert hr["taxonomy_term"]["taxonomy_detail"]["name"] == "Fields of experience"
    assert all(a["link_id"] == str(programme.uuid) for items in attributes.values() for a in items)
    ids = [a["id"] for a in service["attributes"]]
    assert len(ids) == len(set(ids))
    # the same ids on the next read: harvesters can follow them
    assert [
        a["id"] for a in client.get(f"/hsds/services/{programme.uuid}").json["attributes"]
    ] == ids


def test_a_programme_seeking_no_mentors_has_no_mentor_attribute(client, make_programme):
    for needs in (None, {**NEEDS, "seeking": False}):
        programme = make_programme(mentor_needs=needs)
        service = client.get(f"/hsds/services/{programme.uuid}").json
        assert_valid("service", service)
        assert _attributes(service) == {}
        assert service["attributes"]  # its themes and the rest are still there


def test_a_programme_open_to_any_field_says_so_by_leaving_fields_out(client, make_programme):
    programme = make_programme(
        mentor_needs={**NEEDS, "experience_fields": [], "hours_per_week": None, "training": None}
    )
    service = client.get(f"/hsds/services/{programme.uuid}").json
    assert_valid("service", service)
    kinds = set(_attributes(service))
    assert "mentor_experience_field" not in kinds and "mentor_hours_per_week" not in kinds
    assert "mentor_training_format" not in kinds and "mentor_seeking" in kinds

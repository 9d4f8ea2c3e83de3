"""What a programme asks of mentors (`Programme.mentor_needs`), as HSDS 3.0 attributes of
its service.

HSDS has no object for volunteers wanted; its `attribute` links a service to a
classification and may carry a `value`. So, while a programme seeks mentors, its service
has one attribute per fact, each with a `link_type` starting `mentor_`:

- `mentor_experience_field`: one per field of experience asked, with its taxonomy term (the
  platform's `experience_field` vocabulary; no attribute when any field is welcome);
- `mentor_seeking` (`true`), `mentor_language` (an ISO 639-1 code, one each),
  `mentor_age_min`, `mentor_hours_per_week`, `mentor_duo_months`, `mentor_training_hours`,
  `mentor_training_format` (`in_person`, `online`, `mixed`), `mentor_location`
  (`<country>-<postcode>`, one each), `mentor_online` (`true`) and `mentors_needed`, each
  with its `value` and no taxonomy term. Facts the programme does not give are left out.
"""

from __future__ import annotations

from typing import Any

from coalition import taxonomy
from coalition.programmes.models import Programme
from search.hsds.ids import child_id

#: link_type → the key of `mentor_needs` whose value the attribute carries
VALUES = {
    "mentor_age_min": "age_min",
    "mentor_hours_per_week": "hours_per_week",
    "mentor_duo_months": "duo_months",
    "mentors_needed": "mentors_needed",
}


def _text(value: Any) -> str:
    """An attribute's value as HSDS wants it (a string): 2.0 → "2", True → "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def mentor_attributes(programme: Programme, lang: str, term_document: Any) -> list[dict[str, Any]]:
    """The service's `mentor_…` attributes (none unless the programme seeks mentors now);
    `term_document(vocabulary, code, lang)` gives a taxonomy term."""
    needs = programme.mentor_needs
    if not programme.seeks_mentors or not needs:
        return []
    service_id = str(programme.uuid)

    def attribute(link_type: str, value: Any = None, *, term: str | None = None) -> dict:
        document = {
            "id": child_id(programme.uuid, "attribute", link_type, _text(value or term)),
            "link_id": service_id,
            "link_type": link_type,
            "link_entity": "service",
        }
        if term is not None:
            document["taxonomy_term_id"] = str(taxonomy.term_uuid("experience_field", term))
            document["taxonomy_term"] = term_document("experience_field", term, lang)
        if value is not None:
            document["value"] = _text(value)
        return document

    attributes = [attribute("mentor_seeking", True)]
    attributes += [
        attribute("mentor_experience_field", term=code)
        for code in needs.get("experience_fields") or []
        if code in taxonomy.EXPERIENCE_FIELDS
    ]
    attributes += [attribute("mentor_language", code) for code in needs.get("languages") or []]
    attributes += [
        attribute(link_type, needs[key])
        for link_type, key in VALUES.items()
        if needs.get(key) is not None
    ]
    training = needs.get("training") or {}
    if training.get("hours") is not None:
        attributes.append(attribute("mentor_training_hours", training["hours"]))
    if training.get("format"):
        attributes.append(attribute("mentor_training_format", training["format"]))
    attributes += [
        attribute("mentor_location", f"{place['country']}-{place['postcode']}")
        for place in needs.get("locations") or []
    ]
    if needs.get("online"):
        attributes.append(attribute("mentor_online", True))
    return attributes

"""What the validators require and apispec does not carry into the OpenAPI document, and the
links from an answer to the operations on what it made.

apispec reads a marshmallow field's type, `OneOf`, `Range` and `Length`; it cannot read a
function validator, a `pre_load` or a `validates_schema`. Each rule here is one of those,
said in JSON Schema so that a member's generated client refuses the bad value before
sending it (and schemathesis' positive-data check holds the API to it). The rules no JSON
Schema can state (one field against another, a postcode that exists, the current status)
are added to the operations' descriptions (`CROSS_FIELD_RULES`).
"""

from __future__ import annotations

from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES

from coalition.config import LANGUAGES
from coalition.programmes.schemas import POSTCODE_PATTERNS
from coalition.validation import CONTROL_CHARS
from federation.referrals.schemas import ISO_639_1
from federation.referrals.states import OUTCOMES_OF, REASONS_OF, Status

#: a text without the control characters the request boundary refuses (tab and line
#: breaks are text): `coalition.boundary`, in every JSON string of every body
NO_CONTROL_CHARACTERS = f"^[^{CONTROL_CHARS.pattern[1:-1]}]*$"
#: the schemas of the request bodies, with the ones they nest
BODIES = ("Programme", "Report", "ReferralBody", "Transition")
#: a phone number as `validate_phone` takes it: `PHONE_PATTERN`, with 6 to 15 of its digits
PHONE = r"^\+?[ ().\-/]*(?:[0-9][ ().\-/]*){6,15}$"


def _any_case(word: str) -> str:
    return "".join(f"[{letter}{letter.upper()}]" for letter in word)


#: an e-mail address whose domain is no special-use name (RFC 6761: `a@b.test`, `a@b.local`),
#: which `email_validator` refuses as undeliverable
EMAIL_DOMAIN = (
    "^[^@]+@(?!(?:[^@]*\\.)?(?:"
    + "|".join(_any_case(name) for name in SPECIAL_USE_DOMAIN_NAMES)
    + ")\\.?$)[^@]+$"
)

#: the rules across fields, as each operation's description says them (for people)
CROSS_FIELD_RULES = {
    "put /programmes/{external_id}": (
        "Rules no schema can state: `age_min` ≤ `age_max`; `confirmed_on` not in the future; "
        "every location's postcode exists in its country (or is one of your branches'); "
        "`mentor_needs.locations` are your branches' postcodes; `status` is one the programme "
        "can reach from its current one (a new programme: draft, published or archived; "
        "`unpublished` only from published; never back to `draft`)."
    ),
    "post /reports": (
        "Rules no schema can state: `branch` is one of your branches (its id, or a postcode "
        "only one of them has); the quarter has begun; `mentors_aged_50_plus` and "
        "`mentors_continuing_after_first_duo` are at most `mentors_active`; the outcomes add "
        "up to at most `duos_completed`."
    ),
    "post /referrals": (
        "Rules no schema can state: `programme` is a published programme of another member "
        "and `consent.recipient` its organisation's slug; `postcode` exists in `country`; "
        "`consent.given_at` is not in the future; no text holds personal data (an e-mail "
        "address, a phone, national register or IBAN number, a URL, a birth date). The same "
        "`subject_ref` sent to the same programme within 30 days is 409."
    ),
    "post /referrals/{referral_id}/transitions": (
        "Rules no schema can state: the move must be legal from the referral's current "
        "status (else 409) and yours to make (else 403)."
    ),
}


def _links(parameter: str, value: str, targets: tuple[tuple[str, str, str], ...]) -> dict:
    """OpenAPI links (stateful tests and generated clients follow them): `parameter` of
    each target operation taken from the runtime expression `value`."""
    return {
        name: {"operationId": operation, "parameters": {parameter: value}, "description": text}
        for name, operation, text in targets
    }


#: from the PUT of a programme to its GET and DELETE
PROGRAMME_LINKS = _links(
    "external_id",
    "$request.path.external_id",
    (
        ("GetProgramme", "getProgramme", "Read the programme just written."),
        ("DeleteProgramme", "deleteProgramme", "Archive the programme just written."),
    ),
)
#: from a referral sent to its reading and its moves
REFERRAL_LINKS = _links(
    "referral_id",
    "$response.body#/id",
    (
        ("GetReferral", "getReferral", "Read the referral just sent and its timeline."),
        ("MoveReferral", "moveReferral", "Move the referral just sent (e.g. cancel it)."),
    ),
)


def describe_cross_field_rules(paths: dict[str, Any]) -> None:
    """Append to each operation's description the rules across its fields."""
    for route, rules in CROSS_FIELD_RULES.items():
        method, path = route.split(" ")
        operation = paths[path][method]
        operation["description"] = f"{operation.get('description', '')} {rules}".strip()


def state_what_the_validator_requires(schemas: dict[str, Any]) -> None:
    """Add to the document's component `schemas` the rules apispec leaves out."""
    apply = schemas["Apply"]
    # at least one of url, e-mail, phone, not null (`ApplySchema.at_least_one`)
    apply["minProperties"] = 1
    apply["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
        for name in ("url", "email", "phone")
    ]
    apply["properties"]["url"]["maxLength"] = 300
    apply["properties"]["email"] |= {"maxLength": 200, "pattern": EMAIL_DOMAIN}
    apply["properties"]["phone"] |= {"maxLength": 40, "pattern": PHONE}
    programme = schemas["Programme"]
    for name in ("title", "summary", "description"):  # `LanguageTexts`: fr, nl, en only
        programme["properties"][name]["propertyNames"] = {"enum": list(LANGUAGES)}
    # somewhere to meet: a place, or the region where it runs online
    programme["anyOf"] = [
        {"required": ["locations"], "properties": {"locations": {"minItems": 1}}},
        {"required": ["online_region"], "properties": {"online_region": {"type": "string"}}},
    ]
    schemas["Location"]["anyOf"] = _postcode_per_country()
    referral = schemas["ReferralBody"]
    referral["properties"]["languages"]["items"]["enum"] = sorted(ISO_639_1)
    schemas["Transition"]["anyOf"] = _reason_and_outcome_per_status()
    for name in BODIES:
        _no_control_characters(schemas, schemas[name])


def _postcode_per_country() -> list[dict[str, Any]]:
    """`LocationSchema.check_postcode`: the postcode's shape in its country (BE when none).

    The validator reads the postcode in upper case; its digits are ASCII here (a Unicode
    digit matches its pattern but is no postcode of the file)."""
    shapes = []
    for country, pattern in POSTCODE_PATTERNS.items():
        shape = pattern.pattern.replace(r"\d", "[0-9]").replace("[A-Z]", "[A-Za-z]")
        branch: dict[str, Any] = {
            "properties": {"country": {"const": country}, "postcode": {"pattern": f"^{shape}$"}}
        }
        if country != "BE":
            branch["required"] = ["country"]
        shapes.append(branch)
    return shapes


def _reason_and_outcome_per_status() -> list[dict[str, Any]]:
    """`check_move`: the reason and outcome each target status takes (none for the others)."""
    none = {"enum": [None, ""]}
    no_outcome = {"type": "null"}
    fits = {
        Status.rejected: ({"enum": list(REASONS_OF[Status.rejected])}, no_outcome, ["reason"]),
        Status.cancelled: ({"enum": [*REASONS_OF[Status.cancelled], None, ""]}, no_outcome, []),
        **{
            status: (none, {"enum": list(outcomes)}, ["outcome"])
            for status, outcomes in OUTCOMES_OF.items()
        },
    }
    others = [status.value for status in Status if status not in fits]
    branches = [
        {
            "properties": {
                "status": {"const": status.value},
                "reason": reason,
                "outcome": outcome,
            },
            "required": ["status", *required],
        }
        for status, (reason, outcome, required) in fits.items()
    ]
    branches.append(
        {"properties": {"status": {"enum": others}, "reason": none, "outcome": no_outcome}}
    )
    return branches


def _no_control_characters(schemas: dict[str, Any], node: Any) -> None:
    """Give every free text of the body (no enum, format or pattern yet) the boundary's
    rule, following nested schemas, items and the values of a map."""
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        _no_control_characters(schemas, schemas[node["$ref"].rsplit("/", 1)[-1]])
        return
    types = node.get("type", ())
    types = [types] if isinstance(types, str) else types
    if "string" in types and not {"enum", "format", "pattern", "const"} & node.keys():
        node["pattern"] = NO_CONTROL_CHARACTERS
    children = [
        *node.get("properties", {}).values(),
        node.get("items"),
        node.get("additionalProperties"),
        *node.get("anyOf", ()),
        *node.get("oneOf", ()),
        *node.get("allOf", ()),
    ]
    for child in children:
        if isinstance(child, dict) and not child.get("readOnly"):
            _no_control_characters(schemas, child)

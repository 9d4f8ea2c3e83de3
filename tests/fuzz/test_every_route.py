"""The proof of issue 9: no input gives a server error, on any route.

Hypothesis walks `app.url_map`: every route, by GET and POST (and PUT with JSON where a
route takes it), as a visitor, as a coalition admin and as a member's staff (every role).
Path segments, query parameters and the fields of every form the pages show get
generated strings: control characters, NUL, lone surrogates, direction overrides,
10,000 characters, markup, numbers too large for any column, nested JSON and values of
the wrong type. Any 5xx or stack trace fails. The machine API under /federation/v1 is
covered by its OpenAPI document (`tests/federation/api/test_schemathesis.py`).

Bounded so that it runs in `make test` in about a minute per engine; the number of cases
is printed.
"""

from __future__ import annotations

import json
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from coalition.access import Role
from coalition.branches.models import Branch
from coalition.members.applications import submit_application
from coalition.programmes.services import upsert_programme
from policy_briefs.services import create_brief

#: generated cases per kind of visitor
EXAMPLES = 300
#: strings that broke, or could break, a page somewhere
NASTY = [
    "\x00",
    "a\x00b",
    "\x01\x08\x1b\x7f",
    "\ud800",
    "x\udfffy",
    "\u202eevil",
    "\u2067\u200f",
    "\ufeff",
    "a" * 10_000,
    "é" * 3_000,
    "'; DROP TABLE users; --",
    '<script>alert(1)</script>"',
    "{{7*7}}{% raw %}",
    "%s%n%x",
    "../../etc/passwd",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    '{"a": [[[[[]]]]]}',
    "true",
    "𝕏🙂",
    "\r\n\r\n",
    "１２３",
    "2025-02-30",
    "0000-00-00T00:00:00",
    "mailto:x@y",
    "javascript:alert(1)",
]
#: query parameters the pages and APIs read (and a few they do not)
QUERY_NAMES = [
    "q",
    "page",
    "per_page",
    "theme",
    "audience",
    "format",
    "language",
    "cost",
    "age",
    "near",
    "radius_km",
    "sort",
    "country",
    "city",
    "open",
    "lang",
    "next",
    "search",
    "after",
    "limit",
    "modified_after",
    "status",
    "organization_id",
    "taxonomy_term_id",
    "minimal",
    "full",
    "from",
    "to",
    "a",
    "b",
    "action",
    "region",
    "seeking",
    "experience",
    "programme",
    "\x00",
]
HUGE = 10**30
PROGRAMME_BODY = json.loads(
    (Path(__file__).parent.parent / "coalition" / "programme_body.json").read_text()
)

nasty_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=8).map(lambda s: s * 50),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=12,
) | st.sampled_from(["[" * 2000 + "]" * 2000, '{"a":' * 500 + "1" + "}" * 500])


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: dict[str, set[str]] = {}
        self._current: set[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "get").lower() == "post":
            action = urlsplit(values.get("action") or self.page).path
            self._current = self.forms.setdefault(action, set())
        elif tag in ("input", "select", "textarea", "button") and self._current is not None:
            self._current.add(values.get("name") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _world(db, make_org, make_user) -> dict[str, Any]:
    """A member with a branch, a programme, a brief and a pending application; its staff
    (every role) and a coalition admin."""
    org = make_org("Fuzz Mentoring")
    staff = make_user(org, tuple(Role), email="staff@fuzz.example")
    admin = make_user(coalition_admin=True, email="office@fuzz.example")
    branch = Branch(organisation_id=org.id, name="Schaerbeek", postcode="1030", city="Schaerbeek")
    db.session.add(branch)
    db.session.flush()
    programme, _created = upsert_programme(org, "fuzz-1", PROGRAMME_BODY, staff)
    brief = create_brief(org, "Fuzz brief", "fr", staff, sections=["Un texte."])
    application = submit_application(
        organisation_name="Nouvelle asbl",
        enterprise_number="0123456749",
        contact_name="Ana",
        contact_email="ana@fuzz.example",
    )
    db.session.commit()
    ids = {
        "org_id": org.id,
        "programme_id": programme.id,
        "branch_id": branch.id,
        "brief_id": brief.id,
        "section_id": brief.current_sections[0].id,
        "user_id": staff.id,
        "application_id": application.id,
    }
    strings = {"slug": org.slug, "external_id": "fuzz-1"}
    return {
        "ids": ids,
        "strings": strings,
        "uuid": str(programme.uuid),
        "users": {"visitor": None, "office": admin, "staff": staff},
    }


def _targets(app) -> list[tuple[str, Any]]:
    """(method, rule) of every route but the static files (and the machine API: its
    document drives schemathesis)."""
    targets = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static") or rule.rule.startswith("/federation/v1"):
            continue
        for method in ("GET", "POST", "PUT"):
            if method in rule.methods:
                targets.append((method, rule))
    return sorted(targets, key=lambda t: (t[1].rule, t[0]))


def _path_value(rule, name: str, world: dict[str, Any], draw) -> str:
    converter = type(rule._converters[name]).__name__
    if converter == "LanguageConverter":
        return draw(st.sampled_from(["fr", "nl", "en"]))
    if converter == "IntegerConverter":
        return str(draw(st.sampled_from([world["ids"].get(name, 1), 0, 2**63, HUGE])))
    if converter == "UUIDConverter":
        return draw(st.sampled_from([world["uuid"], str(uuid.uuid4())]))
    known = world["strings"].get(name)
    value = draw(nasty_text if known is None else st.sampled_from([known]) | nasty_text)
    return quote(value, safe="", errors="surrogatepass") or "x"


def _encoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote(k, safe='', errors='surrogatepass')}={quote(v, safe='', errors='surrogatepass')}"
        for k, v in pairs
    )


def _crawl_forms(client, targets, world, sign_in) -> dict[str, set[str]]:
    """Every POST form the GET pages show (with the world's ids), by action path."""
    forms: dict[str, set[str]] = {}
    known = {"lang_code": "en", "programme_uuid": world["uuid"]} | world["ids"] | world["strings"]
    for role in world["users"]:
        for method, rule in targets:
            if method != "GET" or rule.arguments - set(known):
                continue
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(known[m[1]]), rule.rule)
            sign_in(role)  # a page of the sign-in flow (/login/code) signs out
            response = client.get(path)
            response.close()
            if response.mimetype == "text/html":
                parser = _Forms(path)
                parser.feed(response.get_data(as_text=True))
                for action, names in parser.forms.items():
                    forms.setdefault(action, set()).update(names - {""})
    return forms


def test_no_generated_input_gives_a_server_error(app, client, db, make_org, make_user, login):
    world = _world(db, make_org, make_user)
    targets = _targets(app)

    def sign_in(role: str) -> None:
        with client.session_transaction() as session:
            session.clear()
        user = world["users"][role]
        if user is not None:
            login(user)

    forms = _crawl_forms(client, targets, world, sign_in)
    form_fields = sorted(set().union(*forms.values()))
    cases: list[str] = []

    @st.composite
    def requests(draw):
        method, rule = draw(st.sampled_from(targets))
        path = rule.rule
        for name in rule.arguments:
            value = _path_value(rule, name, world, draw)
            path = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", lambda _m, v=value: v, path)
        names = st.sampled_from(QUERY_NAMES) | nasty_text
        query = draw(st.lists(st.tuples(names, nasty_text), max_size=4))
        if draw(st.booleans()):  # a parameter repeated
            query += [(draw(st.sampled_from(QUERY_NAMES)), "x")] * draw(st.integers(2, 40))
        body, content_type = None, None
        if method == "POST":
            known = sorted(forms.get(path, ())) or form_fields
            fields = draw(st.lists(st.sampled_from(known), max_size=12))
            body = _encoded([(name, draw(nasty_text)) for name in fields])
            content_type = "application/x-www-form-urlencoded"
        elif method == "PUT":
            body = json.dumps(draw(json_values), allow_nan=True)
            content_type = "application/json"
        return method, path, _encoded(query), body, content_type

    def runner(role: str):
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(request=requests())
        def run(request) -> None:
            method, path, query, body, content_type = request
            sign_in(role)
            url = f"{path}?{query}" if query else path
            response = client.open(url, method=method, data=body, content_type=content_type)
            cases.append(f"{role} {method} {path}")
            text = response.get_data()
            response.close()  # a file's answer holds the file open until then
            assert response.status_code < 500, (role, method, url[:300], response.status_code)
            assert b"Traceback (most recent call last)" not in text, (role, method, url[:300])

        return run

    for role in world["users"]:
        runner(role)()

    routes = {case.split(" ", 2)[2] for case in cases}
    print(
        f"\nfuzz: {len(cases)} generated requests on {len(targets)} routes x methods, "
        f"{len(routes)} distinct paths, {len(form_fields)} form fields known"
    )
    assert len(cases) >= 3 * EXAMPLES

"""Seeding the demo coalition from `coalition/demo/data/` (idempotent).

What exists — by slug, e-mail, external id or enterprise number — is left as it is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from coalition.access import Role
from coalition.accounts.models import OrganisationRole, User
from coalition.accounts.services import create_coalition_admin, create_staff_account
from coalition.branches.services import add_branch
from coalition.extensions import db
from coalition.impact.models import FIGURES, ImpactReport
from coalition.impact.services import current_quarter, find_branch, report_of, submit_report
from coalition.members.applications import has_applied, submit_application
from coalition.members.models import MembershipApplication, Organisation
from coalition.members.profile import update_profile
from coalition.members.services import add_member, normalise_enterprise_number
from coalition.mentors.models import MentorInterest
from coalition.mentors.schemas import InterestSchema
from coalition.mentors.services import assign_branch, express_interest, move_interest
from coalition.programmes.models import Programme
from coalition.programmes.services import create_programme, get_by_external_id
from coalition.programmes.stale import programme_editors
from coalition.signals import demo_seeded

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Demo:
    """The demo coalition as the data files describe it."""

    #: coalition.toml: the password, the office's accounts, description texts, applications
    coalition: dict[str, Any]
    #: organisations/*.toml, in the order of their file names
    organisations: list[dict[str, Any]]
    #: mentor_interests.toml: volunteers' interests and how far their follow-up went
    mentor_interests: list[dict[str, Any]]
    #: impact_reports.toml: the branches' quarterly figures, as a start and a growth
    impact_reports: dict[str, Any]


def read_demo() -> Demo:
    """The demo coalition's data files."""
    return Demo(
        coalition=tomllib.loads((DATA / "coalition.toml").read_text("utf-8")),
        organisations=[
            tomllib.loads(path.read_text("utf-8"))
            for path in sorted((DATA / "organisations").glob("*.toml"))
        ],
        mentor_interests=tomllib.loads((DATA / "mentor_interests.toml").read_text("utf-8"))[
            "interests"
        ],
        impact_reports=tomllib.loads((DATA / "impact_reports.toml").read_text("utf-8")),
    )


DEMO = read_demo()
#: the password of every demo account (documented in README.md)
DEMO_PASSWORD: str = DEMO.coalition["password"]
#: the lead organisation's staff: one user of each role, as (e-mail, name, role)
DUO_STAFF = tuple(
    (person["email"], person["name"], Role(role))
    for spec in DEMO.organisations
    if spec["slug"] == "duo-for-a-job"
    for person in spec["staff"]
    for role in person["roles"]
)


def seed(demo: Demo = DEMO) -> dict[str, int]:
    """Load the demo coalition (what exists is kept); returns the resulting counts."""
    password = demo.coalition["password"]
    for person in demo.coalition["office"]:
        create_coalition_admin(person["email"], person["name"], password)
    for spec in demo.organisations:
        _member(spec, demo.coalition, password)
    for spec in demo.mentor_interests:
        _mentor_interest(spec)
    for spec in demo.impact_reports["branches"]:
        _impact_reports(spec, demo.impact_reports["quarters"])
    for application in demo.coalition["applications"]:
        if not has_applied(normalise_enterprise_number(application["enterprise_number"])):
            submit_application(**application)
    # The parts add their own demo data (policy briefs, …) on this signal; the core names none.
    demo_seeded.send(
        organisations={o.slug: o for o in db.session.scalars(select(Organisation))},
        users={u.email: u for u in db.session.scalars(select(User))},
    )
    return counts()


def _member(spec: dict[str, Any], coalition: dict[str, Any], password: str) -> None:
    """Admit one member with its staff, profile, branches and programmes."""
    organisation, created = add_member(
        name=spec["name"],
        slug=spec["slug"],
        enterprise_number=spec["enterprise_number"],
        website=spec["website"],
    )
    staff = {
        person["email"]: create_staff_account(
            person["email"], person["name"], password, organisation, person["roles"]
        )
        for person in spec["staff"]
    }
    admin = _holder(spec, staff, Role.org_admin)
    if created:
        update_profile(
            organisation,
            admin,
            names=spec.get("names", {}),
            descriptions=spec["descriptions"],
            email=spec["email"],
            languages=spec["languages"],
        )
        for branch in spec["branches"]:
            add_branch(organisation, admin, **branch)
    editor = _holder(spec, staff, Role.editor) or admin
    for programme in spec["programmes"]:
        if get_by_external_id(organisation, programme["external_id"]) is None:
            create_programme(
                organisation,
                programme_body(spec, programme, coalition["programme_description"]),
                editor,
                external_id=programme["external_id"],
            )


def _mentor_interest(spec: dict[str, Any]) -> None:
    """Send one volunteer's interest, as the form does, then follow it up as the editor."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == spec["organisation"])
    )
    programme = get_by_external_id(organisation, spec["programme"])
    sent = db.session.scalar(
        select(MentorInterest).where(
            MentorInterest.programme_id == programme.id, MentorInterest.email == spec["email"]
        )
    )
    if sent is not None:
        return
    # The form's fields as the volunteer fills them in, and the agreement ticked.
    body = {key: spec.get(key, "") for key in InterestSchema().fields} | {"consent": True}
    interest = express_interest(programme, body, spec["language"])
    editor = next(iter(programme_editors(organisation)), None)
    if spec.get("branch"):
        branch = next(b for b in organisation.branches if b.postcode == spec["branch"])
        assign_branch(interest, branch, editor)
    for status in spec["statuses"]:
        move_interest(interest, status, editor)


def quarter_figures(spec: dict[str, Any], step: int) -> dict[str, Any]:
    """A branch's figures `step` quarters after its first, grown and kept consistent."""
    factor = (1 + spec["growth"]) ** step

    def grown(value: int) -> int:
        return round(value * factor)

    figures: dict[str, Any] = {name: grown(spec[name]) for name in FIGURES}
    figures["mentors_aged_50_plus"] = min(
        figures["mentors_aged_50_plus"], figures["mentors_active"]
    )
    figures["mentors_continuing_after_first_duo"] = min(
        figures["mentors_continuing_after_first_duo"], figures["mentors_active"]
    )
    outcomes = {code: grown(n) for code, n in spec.get("outcomes", {}).items()}
    while sum(outcomes.values()) > figures["duos_completed"]:  # rounding may overshoot
        largest = max(outcomes, key=outcomes.__getitem__)
        outcomes[largest] -= 1
    figures["outcomes"] = outcomes
    return figures


def _impact_reports(spec: dict[str, Any], quarters: list[str]) -> None:
    """A branch's quarterly reports, sent by its organisation's admin (kept when present)."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == spec["org"]))
    branch = find_branch(organisation, spec["postcode"]) if organisation else None
    if branch is None:
        return
    admin = db.session.scalar(
        select(User)
        .join(OrganisationRole, OrganisationRole.user_id == User.id)
        .where(
            OrganisationRole.organisation_id == organisation.id,
            OrganisationRole.role == Role.org_admin,
        )
        .order_by(User.id)
        .limit(1)
    )
    opened = quarters.index(spec["opened"]) if spec.get("opened") else 0
    for step, label in enumerate(quarters[opened:]):
        year, quarter = int(label[:4]), int(label[-1])
        if (year, quarter) > current_quarter() or report_of(organisation, branch, year, quarter):
            continue
        submit_report(organisation, branch, year, quarter, quarter_figures(spec, step), actor=admin)


def _holder(spec: dict[str, Any], staff: dict[str, User], role: Role) -> User | None:
    """The first staff member of `spec` with `role`, if any."""
    return next((staff[p["email"]] for p in spec["staff"] if role in p["roles"]), None)


def programme_body(
    spec: dict[str, Any], programme: dict[str, Any], description: dict[str, str]
) -> dict[str, Any]:
    """The programme body (the federation API's) of a programme of the data files.

    It runs at the organisation's branches whose postcodes `at` lists (all when it lists
    none), in the organisation's languages; one applies on its page of the website.
    """
    at = programme.get("at") or [branch["postcode"] for branch in spec["branches"]]
    branches = [branch for branch in spec["branches"] if branch["postcode"] in at]
    cities = ", ".join(branch["name"] for branch in branches)
    facts = {
        "weeks": programme["duration_weeks"],
        "hours": f"{programme['hours_per_week']:g}",
        "cities": cities,
        "organisation": spec["name"],
    }
    body = {key: value for key, value in programme.items() if key not in ("external_id", "at")}
    return body | {
        "description": {
            lang: text.format(summary=programme["summary"][lang], **facts)
            for lang, text in description.items()
        },
        "languages": spec["languages"],
        "locations": [{"postcode": b["postcode"], "country": b["country"]} for b in branches],
        "capacity": programme.get("capacity", {"status": "open"}),
        "cost": "free",
        "apply": {"url": f"{spec['website']}/{programme['external_id']}", "email": spec["email"]},
        "status": programme.get("status", "published"),
    }


def counts() -> dict[str, int]:
    """How many organisations, users, programmes, mentor interests and applications the
    database holds."""

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "organisations": count(Organisation),
        "users": count(User),
        "programmes": count(Programme),
        "mentor interests": count(MentorInterest),
        "impact reports": count(ImpactReport),
        "applications": count(MembershipApplication),
    }

"""Fixtures of the policy briefs' tests: two co-authoring organisations and their staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_babel import force_locale

from coalition.access import Role
from coalition.accounts.models import User
from coalition.branches.models import Branch
from coalition.impact.models import ImpactReport
from coalition.members.models import Organisation
from policy_briefs import services
from policy_briefs.models import Brief
from policy_briefs.signoff import services as signoff

#: the text of the one section of the `section` fixture's brief
TEXT = "Mentors aged fifty and over accompany young job seekers for six months."


@pytest.fixture
def english(db):
    """Services called outside a request speak the default language (French): this reads
    their messages in English."""
    with force_locale("en"):
        yield


@dataclass
class Team:
    """A lead and a co-authoring organisation, their staff, and an outsider."""

    lead: Organisation
    partner: Organisation
    other: Organisation
    #: policy author of the lead
    author: User
    #: org admin of the lead (signs for it)
    lead_admin: User
    #: policy author of the partner
    partner_author: User
    #: org admin of the partner
    partner_admin: User
    #: an editor of the partner: reads and comments, does not write briefs
    reader: User
    #: every role in another member organisation
    outsider: User


@pytest.fixture
def team(make_org, make_user) -> Team:
    lead, partner, other = make_org("Duo Lead"), make_org("Partner Mentors"), make_org("Other")
    return Team(
        lead=lead,
        partner=partner,
        other=other,
        author=make_user(lead, roles=(Role.policy_author,), name="Lea Author"),
        lead_admin=make_user(lead, roles=(Role.org_admin,), name="Lou Admin"),
        partner_author=make_user(partner, roles=(Role.policy_author,), name="Pim Author"),
        partner_admin=make_user(partner, roles=(Role.org_admin,), name="Pia Admin"),
        reader=make_user(partner, roles=(Role.editor,), name="Rik Reader"),
        outsider=make_user(other, roles=tuple(Role), name="Otto Outsider"),
    )


@pytest.fixture
def make_brief(db, team):
    """A brief led by the team's lead, co-authored by its partner (accepted)."""

    def make(sections=("First section.",), *, title="Recognise mentoring", language="fr"):
        brief = services.create_brief(
            team.lead, title, language, team.author, sections=list(sections)
        )
        invitation = services.invite_organisation(brief, team.partner, team.author)
        services.answer_invitation(invitation, True, team.partner_admin)
        db.session.flush()
        return brief

    return make


@pytest.fixture
def section(make_brief):
    """The one section of a brief, its text `TEXT`."""
    return make_brief([TEXT]).current_sections[0]


@pytest.fixture
def concurrent_edits(client, login, team, section):
    """`edit(send, theirs, mine)`: the lead's author sends `theirs`, then the partner's author
    `mine`, both over revision 1 of `section` with `send(client, section, base, text)`; the
    two answers."""

    def edit(send, theirs: str, mine: str):
        login(team.author)
        first = send(client, section, 1, theirs)
        login(team.partner_author)
        return first, send(client, section, 1, mine)

    return edit


def sign_all(brief: Brief, team: Team) -> None:
    """Both organisations sign the brief's current content."""
    for organisation, admin in ((team.lead, team.lead_admin), (team.partner, team.partner_admin)):
        signoff.sign(brief, organisation, admin, signoff.current_hash(brief))


@pytest.fixture
def report(db):
    """Add an impact report for one of an organisation's branches."""

    def add(organisation: Organisation, year: int = 2025, quarter: int = 1, **figures) -> None:
        branch = Branch(
            organisation=organisation, name="Gent", postcode="9000", city="Gent", country="BE"
        )
        db.session.add(branch)
        db.session.flush()
        db.session.add(
            ImpactReport(
                organisation_id=organisation.id,
                branch_id=branch.id,
                year=year,
                quarter=quarter,
                **figures,
            )
        )
        db.session.flush()

    return add

"""Access rules, walked over every route of the part in the URL map.

Each route names what it needs; every kind of visitor calls every route (every method)
of a brief in review with a comment and an open invitation. Those who may not are refused
exactly — login for the anonymous (401 for the JSON endpoint), 404 for whoever may not
even read the brief (other members included), 403 for a reader who may not do that —
and a refused call changes nothing. A new route without an entry here fails the walk.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coalition.access import Role
from policy_briefs import services
from policy_briefs.comments import services as comments
from policy_briefs.models import Brief, CoAuthor, Comment, SectionRevision, Signature
from policy_briefs.signoff import services as signoff
from tests.policy_briefs.conftest import sign_all

BLUEPRINTS = {
    "policy_briefs",
    "policy_briefs_assets",
    "briefs",
    "brief_sections",
    "brief_sections_api",
    "brief_comments",
    "brief_signoff",
}

#: what each route needs of the visitor
NEEDS = {
    "policy_briefs.index": "public",
    "policy_briefs.brief": "public",
    "policy_briefs.pdf": "public",
    "policy_briefs.feed": "public",
    "policy_briefs_assets.static": "public",
    "briefs.index": "staff",
    "briefs.new": "start",
    "briefs.brief": "read",
    "briefs.title": "edit",
    "briefs.invite": "lead",
    "briefs.answer": "invited",
    "briefs.cancel_invitation": "lead",
    "briefs.translate": "lead",
    "brief_sections.section": "read",
    "brief_sections.save": "edit",
    "brief_sections.add": "edit",
    "brief_sections.move": "edit",
    "brief_sections.remove": "edit",
    "brief_sections.put_back": "edit",
    "brief_sections.history": "read",
    "brief_sections.diff": "read",
    "brief_sections.restore": "edit",
    "brief_sections_api.get_section": "read",
    "brief_sections_api.put_section": "edit",
    "brief_comments.index": "read",
    "brief_comments.create": "read",
    "brief_comments.reply": "read",
    "brief_comments.resolve": "resolve",
    "brief_signoff.step": "lead",
    "brief_signoff.page": "read",
    "brief_signoff.signed_document": "read",
    "brief_signoff.sign": "sign",
    "brief_signoff.withdraw": "lead",
}

#: who may, for each need (the others are refused)
ALLOWED = {
    "public": {"anonymous", "outsider", "invited", "reader", "partner_author", "partner_admin",
               "author"},
    "staff": {"outsider", "invited", "reader", "partner_author", "partner_admin", "author"},
    "start": {"outsider", "invited", "partner_author", "partner_admin", "author"},
    "read": {"reader", "partner_author", "partner_admin", "author"},
    "edit": {"partner_author", "partner_admin", "author"},
    "resolve": {"partner_author", "partner_admin", "author"},  # the comment is the author's
    "lead": {"author"},
    "sign": {"partner_admin"},
    "invited": {"invited"},
}  # fmt: skip
VISITORS = sorted(ALLOWED["public"])


def part_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in BLUEPRINTS),
        key=lambda r: (r.rule, r.endpoint),
    )


def test_every_route_of_the_part_says_what_it_needs(app):
    assert {r.endpoint for r in part_rules(app)} == set(NEEDS)


@pytest.fixture
def scene(db, team, make_brief, make_org, make_user):
    """A brief in review (comment, open invitation) and a published one, for the walk."""
    invited_org = make_org("Invited Mentors")
    invited = make_user(invited_org, roles=(Role.policy_author,), name="Ines Invited")
    brief = make_brief(["Mentors accompany young people."])
    section = brief.current_sections[0]
    comment = comments.add_comment(section, "Which ones?", team.author, team.lead.id)
    invitation = services.invite_organisation(brief, invited_org, team.author)
    signoff.send_to_review(brief, team.author)
    published = make_brief(["Published text."], title="Published brief")
    signoff.send_to_review(published, team.author)
    signoff.open_sign_off(published, team.author)
    sign_all(published, team)
    signoff.publish(published, team.author)
    people = {
        "anonymous": None,
        "outsider": team.outsider,
        "invited": invited,
        "reader": team.reader,
        "partner_author": team.partner_author,
        "partner_admin": team.partner_admin,
        "author": team.author,
    }
    values = {
        "brief_id": brief.id,
        "section_id": section.id,
        "comment_id": comment.id,
        "coauthor_id": invitation.id,
        "number": 1,
        "slug": published.slug,
        "filename": "css/briefs.css",
    }
    return people, values


def state(db) -> tuple:
    """What a refused call must leave as it was."""

    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))

    statuses = tuple(db.session.execute(select(Brief.id, Brief.status, Brief.title)).all())
    coauthors = tuple(db.session.execute(select(CoAuthor.id, CoAuthor.status)).all())
    resolved = tuple(db.session.scalars(select(Comment.resolved_at)))
    return (count(Brief), count(SectionRevision), count(Comment), count(Signature), statuses,
            coauthors, resolved)  # fmt: skip


def refusal(rule, need: str, who: str) -> int | str:
    """How a visitor who may not is refused by this route."""
    if who == "anonymous":
        return 401 if rule.endpoint.startswith("brief_sections_api.") else "login"
    if need in ("staff", "start") or need == "invited":
        return 403 if need == "start" else 404
    if who in ALLOWED["read"]:
        return 403  # they read the brief, so they may be told no
    return 404


@pytest.mark.parametrize("who", VISITORS)
def test_every_route_refuses_whoever_may_not(app, client, login, db, scene, who):
    people, values = scene
    if people[who] is not None:
        login(people[who])
    before = state(db)
    checked = 0
    for rule in part_rules(app):
        need = NEEDS[rule.endpoint]
        url = rule.build(dict(values, lang_code="en"), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if who in ALLOWED[need]:
                if method == "GET":  # the allowed are not refused (their POSTs: other tests)
                    with client.get(url) as response:  # closed: static files are streamed
                        assert response.status_code == 200, f"{who}: GET {url}"
                continue
            response = client.open(url, method=method, data={"text": "x", "body": "x"})
            expected = refusal(rule, need, who)
            if expected == "login":
                assert response.status_code == 302, f"{who}: {method} {url}"
                assert "/login" in response.location, f"{who}: {method} {url}"
            else:
                assert response.status_code == expected, (
                    f"{who}: {method} {url} answered {response.status_code}, not {expected}"
                )
            checked += 1
    db.session.expire_all()
    assert state(db) == before
    assert checked >= (0 if who == "author" else 1)


def test_an_unpublished_brief_has_no_public_page(client, make_brief):
    make_brief(title="Secret draft")
    for path in ("/en/briefs/secret-draft", "/en/briefs/secret-draft.pdf"):
        assert client.get(path).status_code == 404

"""The demo briefs that `flask demo seed` adds once the core's demo coalition exists.

A brief published in French, Dutch and English (linked), signed by three organisations,
and one in review with an open comment. The texts are data (`data/demo_briefs.json`);
they go through the same services as the staff's clicks. Seeding is idempotent: a brief
whose translation group exists already is left as it is.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.members.models import Organisation
from policy_briefs import permissions, services
from policy_briefs.comments.services import add_comment
from policy_briefs.models import Brief
from policy_briefs.signoff import services as signoff

DATA = Path(__file__).parent / "data" / "demo_briefs.json"


def _exists(group: str) -> bool:
    return (
        db.session.scalar(select(Brief.id).where(Brief.translation_group == uuid.UUID(group)))
        is not None
    )


def _admin(organisation: Organisation, users: dict[str, User]) -> User:
    return users[f"admin@{organisation.slug}.example"]


def _start(spec: dict[str, Any], lang: str, version: dict[str, Any], people, orgs, first=None):
    author = people[spec["author"]]
    brief = services.create_brief(
        orgs[spec["lead"]],
        version["title"],
        lang,
        author,
        sections=version["sections"],
        translation_of=first,
    )
    if first is None:
        brief.translation_group = uuid.UUID(spec["translation_group"])
    for slug in spec["coauthors"]:
        coauthor = services.invite_organisation(brief, orgs[slug], author)
        services.answer_invitation(coauthor, True, _admin(orgs[slug], people))
    return brief


def _publish(brief: Brief, author: User, people: dict[str, User]) -> None:
    signoff.send_to_review(brief, author)
    signoff.open_sign_off(brief, author)
    for organisation in brief.organisations:
        signoff.sign(brief, organisation, _admin(organisation, people), signoff.current_hash(brief))
    signoff.publish(brief, author)


def seed_demo_briefs(
    sender: Any, organisations: dict[str, Organisation], users: dict[str, User], **_: Any
) -> None:
    """Add the demo briefs (receiver of `coalition.signals.demo_seeded`)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    published, review = data["published"], data["review"]
    needed = {published["lead"], *published["coauthors"], review["lead"], *review["coauthors"]}
    if not needed <= organisations.keys():
        return
    if not _exists(published["translation_group"]):
        first = None
        for lang, version in published["versions"].items():
            brief = _start(published, lang, version, users, organisations, first)
            first = first or brief
            _publish(brief, users[published["author"]], users)
    if not _exists(review["translation_group"]):
        brief = _start(review, review["language"], review, users, organisations)
        signoff.send_to_review(brief, users[review["author"]])
        comment, commenter = review["comment"], users[review["comment"]["by"]]
        organisation_id = permissions.acting_organisation(commenter, brief)
        section = brief.current_sections[0]
        add_comment(section, comment["body"], commenter, organisation_id, comment["quote"])

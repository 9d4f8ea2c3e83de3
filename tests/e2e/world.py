"""The browser tests' members and staff, made inside the live server's app: the code given
to `LiveServer.python` imports them (`from tests.e2e.world import member, staff`)."""

from __future__ import annotations

from typing import Any

from coalition.access import Role
from coalition.accounts.models import OrganisationRole, User
from coalition.accounts.passwords import hash_password
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation


def member(name: str, slug: str, languages: list[str], **columns: Any) -> Organisation:
    """An admitted member organisation working in `languages` (flushed: it has its id)."""
    org = Organisation(name=name, slug=slug, admitted_at=utcnow(), languages=languages, **columns)
    db.session.add(org)
    db.session.flush()
    return org


def user(email: str, name: str, password: str, **columns: Any) -> User:
    """A user who signs in with `email` and `password` (flushed)."""
    person = User(email=email, name=name, password_hash=hash_password(password), **columns)
    db.session.add(person)
    db.session.flush()
    return person


def staff(
    org: Organisation, role: str, email: str, name: str, password: str, **columns: Any
) -> User:
    """A user with `role` (a `coalition.access.Role` name) in `org`."""
    person = user(email, name, password, **columns)
    db.session.add(OrganisationRole(user_id=person.id, organisation_id=org.id, role=Role[role]))
    return person

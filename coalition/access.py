"""Every access check of the staff UI, in one place: the roles, what each permits, the checks.

A staff member acts for the organisations they hold a role in; the coalition admin
acts platform-wide. Another organisation's object is answered 404, exactly like one
that does not exist, so ids cannot be probed. A member the coalition has suspended
keeps its staff, but every staff page of it answers 403 with the reason until it is
readmitted (its staff already know it exists, so the refusal says why).

This module sits below every domain of the core (their pages all check access here), so
it reads organisations through the user's roles and never imports their models.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from flask import abort, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coalition.i18n import current_language

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.members.models import Organisation

F = TypeVar("F", bound=Callable)
T = TypeVar("T")


class Role(enum.StrEnum):
    """Roles a staff member holds within one organisation."""

    org_admin = "org_admin"
    editor = "editor"
    referral_officer = "referral_officer"
    policy_author = "policy_author"


def role_labels() -> dict[Role, str]:
    """The roles' names in the UI language."""
    return {
        Role.org_admin: _("Administrator"),
        Role.editor: _("Editor"),
        Role.referral_officer: _("Referral officer"),
        Role.policy_author: _("Policy author"),
    }


#: which roles grant each permission inside an organisation
PERMISSIONS: dict[str, frozenset[Role]] = {
    "view": frozenset(Role),
    "manage_profile": frozenset({Role.org_admin}),
    "manage_staff": frozenset({Role.org_admin}),
    "manage_clients": frozenset({Role.org_admin}),
    "report_figures": frozenset({Role.org_admin}),
    "sign_briefs": frozenset({Role.org_admin}),
    "edit_programmes": frozenset({Role.org_admin, Role.editor}),
    #: see and follow up the mentor volunteers' interests (their contact data)
    "follow_mentors": frozenset({Role.org_admin, Role.editor}),
    "handle_referrals": frozenset({Role.org_admin, Role.referral_officer}),
    "write_briefs": frozenset({Role.org_admin, Role.policy_author}),
}


def current_user() -> User | None:
    """The signed-in staff member of this request, if any."""
    return g.get("user")


def roles_in(user: User | None, organisation_id: int) -> set[Role]:
    """The roles `user` holds in the organisation."""
    if user is None:
        return set()
    return {r.role for r in user.roles if r.organisation_id == organisation_id}


def can(user: User | None, permission: str, organisation: Organisation | int) -> bool:
    """Whether `user` may exercise `permission` for the organisation."""
    if user is None or not user.active:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.id
    return bool(roles_in(user, org_id) & PERMISSIONS[permission])


def is_suspended(organisation: Organisation) -> bool:
    """Whether the coalition has suspended the member.

    An organisation row exists only once admitted (approval, `add-member`), so a member
    that is not admitted is a suspended one, never a pending application.
    """
    return not organisation.is_admitted


def refuse_suspended(organisation: Organisation):
    """Stop the request with the 403 page that explains the suspension."""
    page = render_template(
        "coalition/error.html",
        status=403,
        title=_("Membership suspended"),
        text=_(
            "The coalition has suspended the membership of %(name)s: its staff pages are "
            "closed and nothing can be changed here until it is readmitted. Please contact "
            "the coalition office.",
            name=organisation.display_name(current_language()),
        ),
    )
    abort(make_response(page, 403))


def require(permission: str, organisation: Organisation | int | None) -> Organisation:
    """The organisation, if the current user may exercise `permission` for it; else abort.

    :param organisation: the organisation or its id (as the URL gives it).
    :raise NotFound: the user holds no role there (the organisation stays invisible).
    :raise Forbidden: the organisation is suspended (a page that says so), or the user is
        a member but lacks the role.
    """
    user = current_user()
    if organisation is None:
        abort(404)
    org_id = organisation if isinstance(organisation, int) else organisation.id
    held = [r for r in user.roles if r.organisation_id == org_id] if user is not None else []
    if not held:
        abort(404)
    if isinstance(organisation, int):
        organisation = held[0].organisation
    if is_suspended(organisation):
        refuse_suspended(organisation)
    if not can(user, permission, org_id):
        abort(403)
    return organisation


def require_own(
    permission: str, org_id: int, find: Callable[[Organisation, int], T | None], object_id: int
) -> tuple[Organisation, T]:
    """The organisation (as `require` gives it) and its object `find(organisation, object_id)`.

    :raise NotFound: as `require`, or the object is none of the organisation's (another
        organisation's object is answered exactly as one that does not exist).
    """
    organisation = require(permission, org_id)
    found = find(organisation, object_id)
    if found is None:
        abort(404)
    return organisation, found


def organisation_ids(user: User | None, permission: str = "view") -> list[int]:
    """Ids of the organisations where `user` may exercise `permission`."""
    if user is None:
        return []
    return sorted({r.organisation_id for r in user.roles if r.role in PERMISSIONS[permission]})


def organisations(user: User | None, permission: str = "view") -> list[Organisation]:
    """The organisations where `user` may exercise `permission`, by name."""
    if user is None:
        return []
    found = {r.organisation_id: r.organisation for r in user.roles}
    return sorted(
        (found[org_id] for org_id in organisation_ids(user, permission)),
        key=lambda organisation: (organisation.name, organisation.id),
    )


def is_coalition_admin(user: User | None) -> bool:
    return bool(user and user.active and user.is_coalition_admin)


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page, then back."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def coalition_admin_required(view: F) -> F:
    """Only the coalition's office; others get 404 (the admin area stays invisible)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_coalition_admin(current_user()):
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]

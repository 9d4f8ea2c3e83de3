"""Every access check of the staff UI, in one place.

A staff member acts for the organisations they hold a role in; the coalition admin
acts platform-wide. Another organisation's object is answered 404, exactly like one
that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort, g, redirect, request, url_for

from coalition.models import Organisation, Role, User

F = TypeVar("F", bound=Callable)

#: which roles grant each permission inside an organisation
PERMISSIONS: dict[str, frozenset[Role]] = {
    "view": frozenset(Role),
    "manage_profile": frozenset({Role.org_admin}),
    "manage_staff": frozenset({Role.org_admin}),
    "manage_clients": frozenset({Role.org_admin}),
    "report_figures": frozenset({Role.org_admin}),
    "sign_briefs": frozenset({Role.org_admin}),
    "edit_programmes": frozenset({Role.org_admin, Role.editor}),
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


def require(permission: str, organisation: Organisation | int | None) -> None:
    """Abort unless the current user may exercise `permission` for the organisation.

    :raise NotFound: the user holds no role there (the organisation stays invisible).
    :raise Forbidden: the user is a member but lacks the role.
    """
    user = current_user()
    if organisation is None:
        abort(404)
    org_id = organisation if isinstance(organisation, int) else organisation.id
    if not roles_in(user, org_id):
        abort(404)
    if not can(user, permission, org_id):
        abort(403)


def organisation_ids(user: User | None, permission: str = "view") -> list[int]:
    """Ids of the organisations where `user` may exercise `permission`."""
    if user is None:
        return []
    return sorted({r.organisation_id for r in user.roles if r.role in PERMISSIONS[permission]})


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

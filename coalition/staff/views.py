"""The staff workspace: the dashboard, an organisation's people and roles (`staff.*`), and
its profile and branches (`orgs.*`)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coalition import access
from coalition.access import Role, current_user, login_required, role_labels
from coalition.accounts import invitations
from coalition.accounts import services as accounts
from coalition.accounts.models import User
from coalition.branches import services as branch_services
from coalition.branches.models import Branch
from coalition.errors import FieldError
from coalition.extensions import db
from coalition.forms import ButtonForm, Form, show_error
from coalition.i18n import current_language
from coalition.members.models import Organisation
from coalition.members.profile import update_profile
from coalition.staff.forms import BranchForm, GrantRoleForm, InviteForm, ProfileForm

bp = Blueprint("staff", __name__)
#: an organisation's own pages for its admins: profile and branches
orgs = Blueprint("orgs", __name__)


@bp.get("/")
@login_required
def dashboard():
    """The user's organisations, their roles there and what those roles let them do."""
    user = current_user()
    organisations = access.organisations(user)
    return render_template(
        "coalition/staff/dashboard.html",
        organisations=organisations,
        roles={org.id: sorted(access.roles_in(user, org.id)) for org in organisations},
        role_labels=role_labels(),
    )


# --- people and roles ---------------------------------------------------------------------


def _staff_member(organisation: Organisation, user_id: int) -> User:
    """A person with a role in the organisation; anyone else answers 404."""
    member = db.get_or_404(User, user_id)
    if not access.roles_in(member, organisation.id):
        abort(404)
    return member


def _people_page(organisation: Organisation) -> str:
    return url_for("staff.people", org_id=organisation.id)


@bp.route("/<int:org_id>/people", methods=["GET", "POST"])
@login_required
def people(org_id: int):
    """The organisation's staff and roles; invite a person (organisation admins only)."""
    organisation = access.require("manage_staff", org_id)
    form = InviteForm(language=current_language())
    if form.validate_on_submit():
        invitations.invite_user(
            form.email.data,
            form.name.data,
            organisation,
            form.roles.data,
            current_user(),
            form.language.data,
        )
        db.session.commit()
        flash(_("The invitation was sent to %(email)s.", email=form.email.data), "success")
        return redirect(_people_page(organisation))
    return render_template(
        "coalition/staff/people.html",
        organisation=organisation,
        people=accounts.staff_of(organisation),
        form=form,
        remove_form=ButtonForm(formdata=None),
        role_labels=role_labels(),
        invitations=invitations.pending_invitations(organisation),
        grant_form=GrantRoleForm(formdata=None),
        withdraw_form=ButtonForm(formdata=None),
    ), 400 if request.method == "POST" else 200


@bp.post("/<int:org_id>/people/<int:user_id>/roles/<role>/remove")
@login_required
def remove_role(org_id: int, user_id: int, role: str):
    """Take a role in this organisation away from a staff member."""
    organisation = access.require("manage_staff", org_id)
    if role not in Role.__members__:
        abort(404)
    member = _staff_member(organisation, user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        accounts.revoke_role(member, organisation, Role(role), current_user())
    except accounts.AccountError as error:
        flash(str(error), "error")
        return redirect(_people_page(organisation))
    db.session.commit()
    flash(_("The role was removed."), "success")
    return redirect(_people_page(organisation))


@bp.post("/<int:org_id>/people/<int:user_id>/roles")
@login_required
def grant_role(org_id: int, user_id: int):
    """Give a staff member of this organisation another role here."""
    organisation = access.require("manage_staff", org_id)
    member = _staff_member(organisation, user_id)
    form = GrantRoleForm()
    if not form.validate_on_submit():
        abort(400)
    role = Role(form.role.data)
    accounts.grant_role(member, organisation, role, current_user())
    db.session.commit()
    flash(_("%(name)s is now %(role)s.", name=member.name, role=role_labels()[role]), "success")
    return redirect(_people_page(organisation))


@bp.post("/<int:org_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(org_id: int, invitation_id: int):
    """Withdraw a pending invitation of this organisation."""
    organisation = access.require("manage_staff", org_id)
    invitation = invitations.organisation_invitation(organisation, invitation_id)
    if invitation is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    invitations.revoke_invitation(invitation, current_user())
    db.session.commit()
    flash(_("The invitation to %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(_people_page(organisation))


# --- the organisation's profile and branches -----------------------------------------------


def _saved(form: Form, change: Callable[[], str]) -> bool:
    """Make the change and commit it, flashing the message `change` returns; or, when a
    service refuses what was entered, roll back and show why beside the field."""
    try:
        message = change()
    except FieldError as error:
        db.session.rollback()
        show_error(form, error)
        return False
    db.session.commit()
    flash(message, "success")
    return True


def _branch(organisation: Organisation, branch_id: int) -> Branch:
    branch = branch_services.organisation_branch(organisation, branch_id)
    if branch is None:
        abort(404)
    return branch


@orgs.route("/<int:org_id>/profile", methods=["GET", "POST"])
@login_required
def profile(org_id: int):
    """Edit the organisation's public profile and logo."""
    organisation = access.require("manage_profile", org_id)
    form = ProfileForm()

    def save() -> str:
        update_profile(organisation, current_user(), **form.changes())
        return _("The profile has been saved.")

    if not form.is_submitted():
        form.fill_from(organisation)
    elif form.validate() and _saved(form, save):
        return redirect(url_for("orgs.profile", org_id=org_id))
    return render_template(
        "coalition/orgs/profile.html", organisation=organisation, form=form
    ), 422 if form.errors else 200


@orgs.route("/<int:org_id>/branches", methods=["GET", "POST"])
@login_required
def branches(org_id: int):
    """The organisation's branches, and the form to add one."""
    organisation = access.require("manage_profile", org_id)
    form = BranchForm()

    def add() -> str:
        branch = branch_services.add_branch(organisation, current_user(), **form.details())
        return _("Branch added in %(city)s.", city=branch.city)

    if form.validate_on_submit() and _saved(form, add):
        return redirect(url_for("orgs.branches", org_id=org_id))
    return render_template(
        "coalition/orgs/branches.html",
        organisation=organisation,
        form=form,
        remove_form=ButtonForm(),
        lang=current_language(),
    ), 422 if form.errors else 200


@orgs.route("/<int:org_id>/branches/<int:branch_id>", methods=["GET", "POST"])
@login_required
def branch(org_id: int, branch_id: int):
    """Edit one branch."""
    organisation = access.require("manage_profile", org_id)
    item = _branch(organisation, branch_id)
    form = BranchForm(obj=item)

    def save() -> str:
        branch_services.update_branch(item, current_user(), **form.details())
        return _("The branch has been saved.")

    if form.validate_on_submit() and _saved(form, save):
        return redirect(url_for("orgs.branches", org_id=org_id))
    return render_template(
        "coalition/orgs/branch.html", organisation=organisation, branch=item, form=form
    ), 422 if form.errors else 200


@orgs.post("/<int:org_id>/branches/<int:branch_id>/remove")
@login_required
def remove_branch(org_id: int, branch_id: int):
    """Delete one branch."""
    organisation = access.require("manage_profile", org_id)
    item = _branch(organisation, branch_id)
    if ButtonForm().validate_on_submit():
        city = item.city
        branch_services.remove_branch(item, current_user())
        db.session.commit()
        flash(_("The branch in %(city)s has been removed.", city=city), "success")
    return redirect(url_for("orgs.branches", org_id=org_id))

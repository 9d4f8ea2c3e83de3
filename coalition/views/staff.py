"""The staff workspace: the dashboard of a signed-in member, and people management."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length
from wtforms.widgets import CheckboxInput, ListWidget

from coalition import access
from coalition.access import current_user, login_required
from coalition.config import LANGUAGES
from coalition.extensions import db
from coalition.i18n import LANGUAGE_NAMES, current_language
from coalition.models import Invitation, Organisation, OrganisationRole, Role, User
from coalition.services import accounts

bp = Blueprint("staff", __name__)


def role_labels() -> dict[Role, str]:
    """The roles' names in the UI language."""
    return {
        Role.org_admin: _("Administrator"),
        Role.editor: _("Editor"),
        Role.referral_officer: _("Referral officer"),
        Role.policy_author: _("Policy author"),
    }


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=200)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one role."))],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    language = SelectField(_l("Language of the invitation"), choices=[])
    submit = SubmitField(_l("Send the invitation"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = [(role.value, label) for role, label in role_labels().items()]
        self.language.choices = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


class RemoveRoleForm(FlaskForm):
    submit = SubmitField(_l("Remove"))


class WithdrawInvitationForm(FlaskForm):
    submit = SubmitField(_l("Withdraw"))


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Add the role"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, label) for role, label in role_labels().items()]


@bp.get("/")
@login_required
def dashboard():
    """The user's organisations, their roles there and what those roles let them do."""
    user = current_user()
    org_ids = access.organisation_ids(user)
    organisations = (
        db.session.execute(
            select(Organisation).where(Organisation.id.in_(org_ids)).order_by(Organisation.name)
        )
        .scalars()
        .all()
        if org_ids
        else []
    )
    return render_template(
        "coalition/staff/dashboard.html",
        organisations=organisations,
        roles={org.id: sorted(access.roles_in(user, org.id)) for org in organisations},
        role_labels=role_labels(),
    )


def _people(organisation: Organisation) -> list[tuple[User, list[Role]]]:
    """The organisation's staff and their roles there, by name."""
    rows = db.session.execute(
        select(User, OrganisationRole.role)
        .join(OrganisationRole, OrganisationRole.user_id == User.id)
        .where(OrganisationRole.organisation_id == organisation.id)
        .order_by(User.name, User.id)
    ).all()
    people: dict[int, tuple[User, list[Role]]] = {}
    for user, role in rows:
        people.setdefault(user.id, (user, []))[1].append(role)
    return [(user, sorted(roles)) for user, roles in people.values()]


def _organisation_for_staff_management(org_id: int) -> Organisation:
    access.require("manage_staff", org_id)
    return db.get_or_404(Organisation, org_id)


@bp.route("/<int:org_id>/people", methods=["GET", "POST"])
@login_required
def people(org_id: int):
    """The organisation's staff and roles; invite a person (organisation admins only)."""
    organisation = _organisation_for_staff_management(org_id)
    form = InviteForm(language=current_language())
    if form.validate_on_submit():
        accounts.invite_user(
            form.email.data,
            form.name.data,
            organisation,
            form.roles.data,
            current_user(),
            form.language.data,
        )
        db.session.commit()
        flash(_("The invitation was sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("staff.people", org_id=org_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "coalition/staff/people.html",
        organisation=organisation,
        people=_people(organisation),
        form=form,
        remove_form=RemoveRoleForm(formdata=None),
        role_labels=role_labels(),
        invitations=accounts.pending_invitations(organisation),
        grant_form=GrantRoleForm(formdata=None),
        withdraw_form=WithdrawInvitationForm(formdata=None),
    ), status


@bp.post("/<int:org_id>/people/<int:user_id>/roles/<role>/remove")
@login_required
def remove_role(org_id: int, user_id: int, role: str):
    """Take a role in this organisation away from a staff member."""
    organisation = _organisation_for_staff_management(org_id)
    if role not in Role.__members__:
        abort(404)
    member = db.get_or_404(User, user_id)
    if not access.roles_in(member, org_id):
        abort(404)
    form = RemoveRoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.revoke_role(member, organisation, Role(role), current_user())
    except accounts.AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("staff.people", org_id=org_id))
    db.session.commit()
    flash(_("The role was removed."), "success")
    return redirect(url_for("staff.people", org_id=org_id))


@bp.post("/<int:org_id>/people/<int:user_id>/roles")
@login_required
def grant_role(org_id: int, user_id: int):
    """Give a staff member of this organisation another role here."""
    organisation = _organisation_for_staff_management(org_id)
    member = db.get_or_404(User, user_id)
    if not access.roles_in(member, org_id):
        abort(404)
    form = GrantRoleForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.grant_role(member, organisation, Role(form.role.data), current_user())
    db.session.commit()
    flash(
        _("%(name)s is now %(role)s.", name=member.name, role=role_labels()[Role(form.role.data)]),
        "success",
    )
    return redirect(url_for("staff.people", org_id=org_id))


@bp.post("/<int:org_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(org_id: int, invitation_id: int):
    """Withdraw a pending invitation of this organisation."""
    organisation = _organisation_for_staff_management(org_id)
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.organisation_id != organisation.id:
        abort(404)
    if not WithdrawInvitationForm().validate_on_submit():
        abort(400)
    accounts.revoke_invitation(invitation, current_user())
    db.session.commit()
    flash(_("The invitation to %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(url_for("staff.people", org_id=org_id))

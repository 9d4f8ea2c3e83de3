"""An organisation's own profile and branches, for its admins."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required, require
from coalition.extensions import db
from coalition.i18n import current_language
from coalition.models import Branch, Organisation
from coalition.services import members
from coalition.views.member_forms import BranchForm, ProfileForm, RemoveForm

bp = Blueprint("orgs", __name__)

UI_LANGUAGES = ("fr", "nl", "en")


def _organisation(org_id: int) -> Organisation:
    """The organisation, if the current user may manage its profile (else 404/403)."""
    organisation = db.session.get(Organisation, org_id)
    require("manage_profile", organisation)
    return organisation


def _branch(organisation: Organisation, branch_id: int) -> Branch:
    branch = members.organisation_branch(organisation, branch_id)
    if branch is None:
        abort(404)
    return branch


@bp.route("/<int:org_id>/profile", methods=["GET", "POST"])
@login_required
def profile(org_id: int):
    """Edit the organisation's public profile and logo."""
    organisation = _organisation(org_id)
    form = ProfileForm()
    if not form.is_submitted():
        form.name.data = organisation.name
        for lang in UI_LANGUAGES:
            form[f"name_{lang}"].data = (organisation.names or {}).get(lang, "")
            form[f"description_{lang}"].data = (organisation.descriptions or {}).get(lang, "")
        form.website.data = organisation.website
        form.email.data = organisation.email
        form.languages.data = list(organisation.languages or [])
    elif form.validate():
        upload = form.logo.data
        logo = None
        if upload and upload.filename:
            with upload.stream:  # close the spooled temporary file now, not at GC time
                logo = upload.read(members.LOGO_MAX_BYTES + 1)
        try:
            members.update_profile(
                organisation,
                current_user(),
                name=form.name.data,
                names={lang: form[f"name_{lang}"].data or "" for lang in UI_LANGUAGES},
                descriptions={
                    lang: form[f"description_{lang}"].data or "" for lang in UI_LANGUAGES
                },
                website=form.website.data or "",
                email=form.email.data or "",
                languages=form.languages.data,
                logo=logo,
                remove_logo=form.remove_logo.data,
            )
        except members.MembershipError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The profile has been saved."), "success")
            return redirect(url_for("orgs.profile", org_id=org_id))
    status = 422 if form.errors else 200
    return render_template(
        "coalition/orgs/profile.html", organisation=organisation, form=form
    ), status


def _branch_fields(form: BranchForm) -> dict:
    """The branch form's values, as the branch services take them."""
    return {
        "name": form.name.data,
        "address": form.address.data,
        "postcode": form.postcode.data,
        "country": form.country.data,
        "opened_on": form.opened_on.data,
    }


@bp.route("/<int:org_id>/branches", methods=["GET", "POST"])
@login_required
def branches(org_id: int):
    """The organisation's branches, and the form to add one."""
    organisation = _organisation(org_id)
    form = BranchForm()
    if form.validate_on_submit():
        try:
            branch = members.add_branch(
                organisation,
                current_user(),
                **_branch_fields(form),
            )
        except members.MembershipError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Branch added in %(city)s.", city=branch.city), "success")
            return redirect(url_for("orgs.branches", org_id=org_id))
    status = 422 if form.errors else 200
    return render_template(
        "coalition/orgs/branches.html",
        organisation=organisation,
        form=form,
        remove_form=RemoveForm(),
        lang=current_language(),
    ), status


@bp.route("/<int:org_id>/branches/<int:branch_id>", methods=["GET", "POST"])
@login_required
def branch(org_id: int, branch_id: int):
    """Edit one branch."""
    organisation = _organisation(org_id)
    item = _branch(organisation, branch_id)
    form = BranchForm(obj=item)
    if form.validate_on_submit():
        try:
            members.update_branch(
                item,
                current_user(),
                **_branch_fields(form),
            )
        except members.MembershipError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The branch has been saved."), "success")
            return redirect(url_for("orgs.branches", org_id=org_id))
    status = 422 if form.errors else 200
    return render_template(
        "coalition/orgs/branch.html", organisation=organisation, branch=item, form=form
    ), status


@bp.post("/<int:org_id>/branches/<int:branch_id>/remove")
@login_required
def remove_branch(org_id: int, branch_id: int):
    """Delete one branch."""
    organisation = _organisation(org_id)
    item = _branch(organisation, branch_id)
    if RemoveForm().validate_on_submit():
        city = item.city
        members.remove_branch(item, current_user())
        db.session.commit()
        flash(_("The branch in %(city)s has been removed.", city=city), "success")
    return redirect(url_for("orgs.branches", org_id=org_id))

"""The coalition office's pages: applications, members, moderation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from coalition.access import coalition_admin_required, current_user
from coalition.extensions import db
from coalition.models import ApplicationStatus, MembershipApplication, Organisation
from coalition.services import members
from coalition.views.member_forms import ApproveForm, MembershipForm, RejectForm

bp = Blueprint("admin", __name__)


@bp.get("/applications")
@coalition_admin_required
def applications():
    """Membership applications waiting for a decision."""
    return render_template(
        "coalition/admin/applications.html", applications=members.pending_applications()
    )


def _render_application(application, approve_form=None, reject_form=None, status=200):
    return render_template(
        "coalition/admin/application.html",
        application=application,
        enterprise_number=members.format_enterprise_number(application.enterprise_number),
        approve_form=approve_form or ApproveForm(prefix="approve"),
        reject_form=reject_form or RejectForm(prefix="reject"),
    ), status


@bp.get("/applications/<int:application_id>")
@coalition_admin_required
def application(application_id: int):
    """One application, with the forms to approve or reject it."""
    return _render_application(db.get_or_404(MembershipApplication, application_id))


@bp.post("/applications/<int:application_id>/approve")
@coalition_admin_required
def approve(application_id: int):
    """Admit the applicant and invite its contact person."""
    application = db.get_or_404(MembershipApplication, application_id)
    form = ApproveForm(prefix="approve")
    if not form.validate_on_submit():
        return _render_application(application, approve_form=form, status=400)
    try:
        organisation = members.approve_application(application, current_user())
    except members.MembershipError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("admin.application", application_id=application_id))
    db.session.commit()
    flash(
        _(
            "%(name)s is now a member; its contact person has been invited.",
            name=organisation.name,
        ),
        "success",
    )
    return redirect(url_for("admin.applications"))


@bp.post("/applications/<int:application_id>/reject")
@coalition_admin_required
def reject(application_id: int):
    """Refuse the application with a reason sent to the applicant."""
    application = db.get_or_404(MembershipApplication, application_id)
    form = RejectForm(prefix="reject")
    if form.validate_on_submit():
        try:
            members.reject_application(application, current_user(), form.reason.data)
        except members.MembershipError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The application has been rejected and the applicant told."), "success")
            return redirect(url_for("admin.applications"))
    return _render_application(application, reject_form=form, status=422)


@bp.get("/organisations")
@coalition_admin_required
def organisations():
    """Every member organisation, admitted or suspended."""
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    decided = db.session.scalars(
        select(MembershipApplication)
        .where(MembershipApplication.status != ApplicationStatus.pending)
        .order_by(MembershipApplication.decided_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "coalition/admin/organisations.html",
        organisations=rows,
        decided=decided,
        form=MembershipForm(),
        format_number=members.format_enterprise_number,
    )


@bp.post("/organisations/<int:org_id>/suspend")
@coalition_admin_required
def suspend(org_id: int):
    """Take a member off the public pages."""
    organisation = db.get_or_404(Organisation, org_id)
    form = MembershipForm()
    if form.validate_on_submit():
        members.suspend_organisation(organisation, current_user(), form.reason.data or "")
        db.session.commit()
        flash(_("%(name)s is suspended.", name=organisation.name), "success")
    return redirect(url_for("admin.organisations"))


@bp.post("/organisations/<int:org_id>/readmit")
@coalition_admin_required
def readmit(org_id: int):
    """Admit a suspended member again."""
    organisation = db.get_or_404(Organisation, org_id)
    if MembershipForm().validate_on_submit():
        members.readmit_organisation(organisation, current_user())
        db.session.commit()
        flash(_("%(name)s is a member again.", name=organisation.name), "success")
    return redirect(url_for("admin.organisations"))

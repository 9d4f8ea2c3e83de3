"""The coalition office's pages: applications, member organisations and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coalition.access import coalition_admin_required, current_user
from coalition.extensions import db
from coalition.forms import ButtonForm
from coalition.members import applications as membership
from coalition.members import services as members
from coalition.members.models import MembershipApplication, Organisation
from coalition.office import services
from coalition.office.forms import MembershipForm, RejectForm
from coalition.paging import requested_page

bp = Blueprint("admin", __name__)
#: the audit log, under /admin/audit/
audit = Blueprint("audit", __name__)


@bp.get("/applications")
@coalition_admin_required
def applications():
    """Membership applications waiting for a decision."""
    return render_template(
        "coalition/admin/applications.html", applications=membership.pending_applications()
    )


def _render_application(application, approve_form=None, reject_form=None, status=200):
    return render_template(
        "coalition/admin/application.html",
        application=application,
        enterprise_number=members.format_enterprise_number(application.enterprise_number),
        approve_form=approve_form or ButtonForm(prefix="approve"),
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
    form = ButtonForm(prefix="approve")
    if not form.validate_on_submit():
        return _render_application(application, approve_form=form, status=400)
    try:
        organisation = membership.approve_application(application, current_user())
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
            membership.reject_application(application, current_user(), form.reason.data)
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
    return render_template(
        "coalition/admin/organisations.html",
        organisations=services.all_organisations(),
        decided=membership.recent_decisions(),
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


@audit.get("/")
@coalition_admin_required
def index():
    """The audit log, newest first, filtered by organisation and action, paginated."""
    organisation_id = request.args.get("organisation", type=int)
    action = request.args.get("action", "").strip()[:80]
    log = services.audit_log(organisation_id, action, requested_page())
    return render_template(
        "coalition/audit/index.html",
        log=log,
        selected_org=organisation_id,
        selected_action=action,
    )

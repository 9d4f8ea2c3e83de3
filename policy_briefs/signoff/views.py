"""The way to publication: the lead's steps, the sign-off page and signing, withdrawal."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required
from coalition.extensions import db
from coalition.i18n import current_language
from policy_briefs import permissions
from policy_briefs.models import Brief, BriefStatus
from policy_briefs.render import brief_figures, render_all
from policy_briefs.signing import canonical, document
from policy_briefs.signoff import services
from policy_briefs.signoff.forms import SignForm, StepForm, WithdrawForm
from policy_briefs.states import TransitionRefused

bp = Blueprint("brief_signoff", __name__)


def _to_brief(brief: Brief):
    return redirect(url_for("briefs.brief", brief_id=brief.id))


@bp.post("/<int:brief_id>/steps")
@login_required
def step(brief_id: int):
    """The lead moves the brief on: review, sign-off, back to review, publish."""
    brief = permissions.brief_for(brief_id, "lead")
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user()
    try:
        if form.review.data:
            services.send_to_review(brief, user)
            message = _("The brief is in review: the co-authors can comment on it.")
        elif form.sign_off.data:
            services.open_sign_off(brief, user)
            message = _("The text is frozen for sign-off: each organisation can now sign it.")
        elif form.reopen.data:
            services.return_to_review(brief, user)
            message = _("The brief is back in review; the signatures given were voided.")
        elif form.refresh.data:
            changed = services.refresh_figures(brief, user)
            message = (
                _("A figure has changed: the brief is back in review, its signatures voided.")
                if changed
                else _("The frozen figures are still today's.")
            )
        elif form.publish.data:
            services.publish(brief, user)
            db.session.commit()
            flash(_("The brief is published."), "success")
            return redirect(url_for("policy_briefs.brief", slug=brief.slug))
        else:
            abort(400)
    except TransitionRefused as refused:
        flash(str(refused), "error")
        return _to_brief(brief)
    db.session.commit()
    flash(message, "success")
    return _to_brief(brief)


def _page(brief: Brief, form: SignForm | None = None, status: int = 200):
    user = current_user()
    organisations = [
        o
        for o in permissions.signing_organisations(user, brief)
        if services.signature_of(brief, o.id) is None
    ]
    if form is None:
        form = SignForm(formdata=None, content_hash=services.current_hash(brief))
    form.organisation.choices = [(o.id, o.display_name(current_language())) for o in organisations]
    sections = brief.current_sections
    return render_template(
        "policy_briefs/signoff.html",
        brief=brief,
        sections=zip(
            sections,
            render_all([s.text for s in sections], brief_figures(brief), brief.language),
            strict=True,
        ),
        figures=brief_figures(brief) if brief.frozen_figures is not None else {},
        content_hash=services.current_hash(brief),
        signatures={o.id: services.signature_of(brief, o.id) for o in brief.organisations},
        form=form if organisations and brief.status == BriefStatus.sign_off else None,
        can_publish=permissions.leads(user, brief) and brief.status == BriefStatus.sign_off,
        step_form=StepForm(formdata=None),
    ), status


@bp.get("/<int:brief_id>/sign-off")
@login_required
def page(brief_id: int):
    """The content to sign as it will be published, its hash, and who has signed."""
    return _page(permissions.brief_for(brief_id, "read"))


@bp.get("/<int:brief_id>/document.json")
@login_required
def signed_document(brief_id: int):
    """The canonical serialisation whose SHA-256 is signed (`sha256sum` gives the hash)."""
    brief = permissions.brief_for(brief_id, "read")
    body = canonical(document(brief, brief_figures(brief)))
    return Response(body.encode("utf-8"), mimetype="application/json")


@bp.post("/<int:brief_id>/sign")
@login_required
def sign(brief_id: int):
    """An organisation's admin signs the content whose hash the page showed them."""
    brief = permissions.brief_for(brief_id, "read")
    user = current_user()
    organisations = {o.id: o for o in permissions.signing_organisations(user, brief)}
    if not organisations:
        abort(403)
    form = SignForm()
    form.organisation.choices = [(i, o.name) for i, o in organisations.items()]
    if not form.validate_on_submit():
        return _page(brief, form, 422)
    try:
        services.sign(brief, organisations[form.organisation.data], user, form.content_hash.data)
    except services.SignatureRefused as refused:
        form.confirm.errors = [str(refused)]
        form.content_hash.data = services.current_hash(brief)  # the page shows it now
        return _page(brief, form, 409)
    db.session.commit()
    flash(_("Signed for %(name)s.", name=organisations[form.organisation.data].name), "success")
    return redirect(url_for("brief_signoff.page", brief_id=brief.id))


@bp.post("/<int:brief_id>/withdraw")
@login_required
def withdraw(brief_id: int):
    """The lead withdraws the brief; a published one keeps its page, with a notice."""
    brief = permissions.brief_for(brief_id, "lead")
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.withdraw(brief, current_user(), form.reason.data or "")
    except TransitionRefused as refused:
        flash(str(refused), "error")
        return _to_brief(brief)
    db.session.commit()
    flash(_("The brief is withdrawn."), "success")
    return _to_brief(brief)

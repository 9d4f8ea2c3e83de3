"""Staff brief pages: the list, a new brief, the brief's page (its editor), its title,
co-authoring organisations and translations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required
from coalition.extensions import db
from coalition.i18n import current_language
from policy_briefs import permissions, services
from policy_briefs.comments.forms import CommentForm, ReplyForm, ResolveForm
from policy_briefs.comments.services import threads
from policy_briefs.drafting.forms import AddSectionForm, SectionForm
from policy_briefs.drafting.services import unknown_figures
from policy_briefs.forms import (
    AnswerForm,
    CancelInvitationForm,
    InviteForm,
    NewBriefForm,
    TitleForm,
    TranslationForm,
    language_choices,
    show_errors,
)
from policy_briefs.models import Brief, CoAuthor, CoAuthorStatus, Section
from policy_briefs.render import brief_figures, render_all
from policy_briefs.signoff.forms import StepForm, WithdrawForm
from policy_briefs.signoff.services import missing_signatures, sign_off_problems
from policy_briefs.states import EDITABLE

bp = Blueprint("briefs", __name__)


def _done(message: str, brief: Brief, anchor: str | None = None):
    """Commit the change, say `message` and go to `brief`'s page (at `anchor`)."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("briefs.brief", brief_id=brief.id, _anchor=anchor))


@bp.get("/")
@login_required
def index():
    """The briefs the user's organisations write, and the invitations to answer."""
    user = current_user()
    return render_template(
        "policy_briefs/index.html",
        briefs=services.briefs_of(user),
        invitations=services.invitations_for(user),
        answer_form=AnswerForm(formdata=None),
        can_start=bool(permissions.organisations_of(user, "write_briefs")),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a brief for one of the user's organisations."""
    user = current_user()
    organisations = permissions.organisations_of(user, "write_briefs")
    if not organisations:
        abort(403)
    form = NewBriefForm(language=current_language())
    form.language.choices = language_choices()
    form.lead.choices = [(o.id, o.display_name(current_language())) for o in organisations]
    if form.validate_on_submit():
        lead = next(o for o in organisations if o.id == form.lead.data)
        try:
            brief = services.create_brief(lead, form.title.data, form.language.data, user)
        except services.BriefRefused as refused:
            show_errors(form, refused.errors)
        else:
            return _done(_("The brief is started. Write its first section."), brief)
    status = 422 if form.errors else 200
    return render_template("policy_briefs/new.html", form=form), status


def brief_page(brief: Brief, *, title_form: TitleForm | None = None, status: int = 200, **forms):
    """The brief's page: its sections (editable for its authors), comments and steps."""
    user = current_user()
    can_edit = permissions.can_edit(user, brief) and brief.status in EDITABLE
    leads = permissions.leads(user, brief)
    sections = brief.current_sections
    figures = brief_figures(brief)
    rendered = render_all([s.text for s in sections], figures, brief.language, id_prefix="pb-e-")
    invite_form = forms.get("invite_form") or InviteForm(formdata=None)
    invite_form.organisation.choices = [
        (o.id, o.display_name(current_language())) for o in services.invitable_organisations(brief)
    ]
    translation_form = forms.get("translation_form") or TranslationForm(formdata=None)
    translation_form.language.choices = language_choices(services.missing_languages(brief))
    return render_template(
        "policy_briefs/brief.html",
        brief=brief,
        sections=[
            {
                "section": section,
                "html": html,
                "form": _section_form(section, html.unknown, figures),
                "threads": threads(section),
            }
            for section, html in zip(sections, rendered, strict=True)
        ],
        can_edit=can_edit,
        leads=leads,
        problems=sign_off_problems(brief) if leads else [],
        missing=missing_signatures(brief),
        translations=services.translations(brief),
        title_form=title_form or TitleForm(formdata=None, title=brief.title),
        invite_form=invite_form,
        translation_form=translation_form,
        add_form=AddSectionForm(formdata=None),
        comment_form=CommentForm(formdata=None),
        reply_form=ReplyForm(formdata=None),
        resolve_form=ResolveForm(formdata=None),
        cancel_form=CancelInvitationForm(formdata=None),
        step_form=StepForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None),
        figures=figures,
    ), status


def _section_form(section: Section, unknown: list[str], figures: dict) -> SectionForm:
    """A section's form, with the figures it names wrongly (if any) beside its text."""
    form = SectionForm(formdata=None, text=section.text, base_revision=section.head)
    if unknown:
        form.text.errors = [unknown_figures(unknown, figures)]
    return form


@bp.get("/<int:brief_id>")
@login_required
def brief(brief_id: int):
    """A brief's page: its editor for the authors, its text and comments for the others."""
    return brief_page(permissions.brief_for(brief_id, "read"))


@bp.post("/<int:brief_id>/title")
@login_required
def title(brief_id: int):
    """Change the brief's title."""
    brief = permissions.brief_for(brief_id, "edit")
    form = TitleForm()
    if form.validate_on_submit():
        try:
            services.rename_brief(brief, form.title.data, current_user())
        except services.BriefRefused as refused:
            show_errors(form, refused.errors)
        else:
            return _done(_("The title is changed."), brief)
    return brief_page(brief, title_form=form, status=422)


@bp.post("/<int:brief_id>/invitations")
@login_required
def invite(brief_id: int):
    """The lead invites another member organisation to co-author the brief."""
    brief = permissions.brief_for(brief_id, "lead")
    form = InviteForm()
    form.organisation.choices = [(o.id, o.name) for o in services.invitable_organisations(brief)]
    if form.validate_on_submit():
        organisation = next(
            o for o in services.invitable_organisations(brief) if o.id == form.organisation.data
        )
        try:
            services.invite_organisation(brief, organisation, current_user())
        except services.BriefRefused as refused:
            show_errors(form, refused.errors)
        else:
            name = organisation.display_name(current_language())
            return _done(_("%(name)s is invited.", name=name), brief, "coauthors")
    return brief_page(brief, invite_form=form, status=422)


def _coauthor(brief_id: int, coauthor_id: int) -> CoAuthor:
    coauthor = db.get_or_404(CoAuthor, coauthor_id)
    if coauthor.brief_id != brief_id:
        abort(404)
    return coauthor


@bp.post("/<int:brief_id>/invitations/<int:coauthor_id>/answer")
@login_required
def answer(brief_id: int, coauthor_id: int):
    """The invited organisation accepts or declines (its policy authors or admins)."""
    coauthor = _coauthor(brief_id, coauthor_id)
    if permissions.open_invitation(current_user(), coauthor.brief) is not coauthor:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        abort(400)
    try:
        services.answer_invitation(coauthor, bool(form.accept.data), current_user())
    except services.BriefRefused as refused:
        flash(" ".join(refused.errors.values()), "error")
        return redirect(url_for("briefs.index"))
    db.session.commit()
    if form.accept.data:
        flash(_("You co-author the brief now."), "success")
        return redirect(url_for("briefs.brief", brief_id=brief_id))
    flash(_("The invitation is declined."), "success")
    return redirect(url_for("briefs.index"))


@bp.post("/<int:brief_id>/invitations/<int:coauthor_id>/cancel")
@login_required
def cancel_invitation(brief_id: int, coauthor_id: int):
    """The lead takes back an invitation that was not answered."""
    brief = permissions.brief_for(brief_id, "lead")
    coauthor = _coauthor(brief.id, coauthor_id)
    if coauthor.status != CoAuthorStatus.invited or not CancelInvitationForm().validate_on_submit():
        abort(400)
    services.cancel_invitation(coauthor, current_user())
    return _done(_("The invitation is cancelled."), brief, "coauthors")


@bp.post("/<int:brief_id>/translations")
@login_required
def translate(brief_id: int):
    """The lead starts the brief's version in another language, linked to this one."""
    brief = permissions.brief_for(brief_id, "lead")
    form = TranslationForm()
    form.language.choices = language_choices(services.missing_languages(brief))
    if form.validate_on_submit():
        try:
            translation = services.start_translation(
                brief, form.language.data, form.title.data, current_user()
            )
        except services.BriefRefused as refused:
            show_errors(form, refused.errors)
        else:
            return _done(_("The translation is started from the current text."), translation)
    return brief_page(brief, translation_form=form, status=422)

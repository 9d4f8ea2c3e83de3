"""The section pages: save (merged or a conflict to resolve), add, reorder, remove, history,
word diff between two revisions, restore. Every form works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from coalition.access import current_user, login_required
from coalition.extensions import db
from coalition.forms import ButtonForm
from policy_briefs import permissions
from policy_briefs.diff import counts, word_diff
from policy_briefs.drafting import services
from policy_briefs.drafting.forms import (
    AddSectionForm,
    CompareForm,
    MoveForm,
    SectionForm,
)
from policy_briefs.models import Brief, BriefStatus, Section
from policy_briefs.render import brief_figures, render
from policy_briefs.states import NotEditable

bp = Blueprint("brief_sections", __name__)


def _to_brief(brief: Brief, section: Section | None = None):
    anchor = f"section-{section.id}" if section is not None else None
    return redirect(url_for("briefs.brief", brief_id=brief.id, _anchor=anchor))


def _acting(brief: Brief) -> int | None:
    return permissions.acting_organisation(current_user(), brief, "write_briefs")


def _after_change(brief: Brief, was: BriefStatus) -> None:
    """Tell the author when their change took the brief out of sign-off."""
    if was == BriefStatus.sign_off and brief.status == BriefStatus.review:
        flash(
            _("The brief went back to review: the signatures given for it were voided."),
            "error",
        )


def _final(brief: Brief):
    flash(_("The brief is published or withdrawn: its text no longer changes."), "error")
    return _to_brief(brief)


def _render_section(template: str, brief: Brief, section: Section, **context) -> str:
    """The page `template` about one section, with whether the user may edit it (`can_edit`)."""
    return render_template(
        template,
        brief=brief,
        section=section,
        can_edit=permissions.can_edit(current_user(), brief),
        **context,
    )


def section_page(brief: Brief, section: Section, form: SectionForm | None = None, status=200):
    """One section: its editor (or its text), preview and errors beside the field."""
    if form is None:
        form = SectionForm(formdata=None, text=section.text, base_revision=section.head)
    preview = render(section.text, brief_figures(brief), brief.language, id_prefix="pb-p-")
    return _render_section(
        "policy_briefs/section.html", brief, section, form=form, preview=preview
    ), status


@bp.get("/<int:brief_id>/sections/<int:section_id>")
@login_required
def section(brief_id: int, section_id: int):
    """A section on a page of its own."""
    brief, section = permissions.section_for(brief_id, section_id)
    return section_page(brief, section)


@bp.post("/<int:brief_id>/sections/<int:section_id>")
@login_required
def save(brief_id: int, section_id: int):
    """Save a section: a new revision, merged if others saved meanwhile, else a conflict."""
    brief, section = permissions.section_for(brief_id, section_id, "edit")
    form = SectionForm()
    if not form.validate_on_submit() or not (form.base_revision.data or "").isdigit():
        form.text.errors = [*form.text.errors, _("Reload the page and try again.")]
        return section_page(brief, section, form, 400)
    was = brief.status
    try:
        saved = services.save_section(
            section,
            int(form.base_revision.data),
            form.text.data or "",
            current_user(),
            _acting(brief),
        )
    except services.Conflict as conflict:
        return conflict_page(brief, section, conflict)
    except services.InvalidText as invalid:
        form.text.errors = list(invalid.errors.values())
        return section_page(brief, section, form, 422)
    except services.SectionRemoved:
        form.text.errors = [_("The section was removed meanwhile: put it back to save your text.")]
        return section_page(brief, section, form, 409)
    except NotEditable:
        return _final(brief)
    db.session.commit()
    _after_change(brief, was)
    number = saved.revision.number
    if not saved.changed:
        flash(_("Nothing changed: the section stays at revision %(n)s.", n=number), "success")
    elif saved.merged:
        flash(
            _(
                "Saved as revision %(n)s: your changes were merged with those saved meanwhile.",
                n=number,
            ),
            "success",
        )
    else:
        flash(_("Saved as revision %(n)s.", n=number), "success")
    return _to_brief(brief, section)


def conflict_page(brief: Brief, section: Section, conflict: services.Conflict):
    """Both versions, and the author's text kept in the form, to resolve the conflict."""
    form = SectionForm(formdata=None, text=conflict.yours, base_revision=conflict.theirs.number)
    return render_template(
        "policy_briefs/conflict.html",
        brief=brief,
        section=section,
        conflict=conflict,
        form=form,
        changes=word_diff(conflict.theirs.text, conflict.yours),
    ), 409


@bp.post("/<int:brief_id>/sections")
@login_required
def add(brief_id: int):
    """Add a section at the end of the brief."""
    brief = permissions.brief_for(brief_id, "edit")
    form = AddSectionForm()
    if not form.validate_on_submit():
        abort(400)
    was = brief.status
    try:
        section = services.add_section(brief, form.text.data or "", current_user(), _acting(brief))
    except services.InvalidText as invalid:
        form.text.errors = list(invalid.errors.values())
        return render_template("policy_briefs/new_section.html", brief=brief, form=form), 422
    except NotEditable:
        return _final(brief)
    db.session.commit()
    _after_change(brief, was)
    flash(_("The section was added."), "success")
    return _to_brief(brief, section)


def _section_change(brief_id: int, section_id: int, form, change, message=None, valid=True):
    """Check the form, apply `change(section)`, say so: moving, removing, putting back."""
    brief, section = permissions.section_for(brief_id, section_id, "edit")
    if not form.validate_on_submit() or not valid:
        abort(400)
    was = brief.status
    try:
        change(section)
    except NotEditable:
        return _final(brief)
    db.session.commit()
    _after_change(brief, was)
    if message:
        flash(message, "success")
    return _to_brief(brief, section if section.removed_at is None else None)


@bp.post("/<int:brief_id>/sections/<int:section_id>/move")
@login_required
def move(brief_id: int, section_id: int):
    """Move a section up or down."""
    form = MoveForm()
    offset = -1 if form.up.data else 1
    return _section_change(
        brief_id,
        section_id,
        form,
        lambda section: services.move_section(section, offset, current_user()),
        valid=bool(form.up.data or form.down.data),
    )


#: the one-button changes of a section: URL segment, endpoint, service, what it says
ONE_BUTTON_CHANGES = (
    # take a section out of the brief (it can be put back)
    (
        "remove",
        "remove",
        services.remove_section,
        _l("The section was removed. It is listed at the end of the brief."),
    ),
    # put a removed section back where it was
    (
        "put-back",
        "put_back",
        services.put_back_section,
        _l("The section is back in the brief."),
    ),
)


def _one_button(change, message):
    """The view of a one-button change: `change(section, user)`, then `message`."""

    @login_required
    def view(brief_id: int, section_id: int):
        return _section_change(
            brief_id,
            section_id,
            ButtonForm(),
            lambda section: change(section, current_user()),
            str(message),
        )

    return view


for _segment, _endpoint, _change, _message in ONE_BUTTON_CHANGES:
    bp.add_url_rule(
        f"/<int:brief_id>/sections/<int:section_id>/{_segment}",
        _endpoint,
        _one_button(_change, _message),
        methods=["POST"],
    )


@bp.get("/<int:brief_id>/sections/<int:section_id>/history")
@login_required
def history(brief_id: int, section_id: int):
    """Every revision of a section; choose two to compare, restore one."""
    brief, section = permissions.section_for(brief_id, section_id)
    revisions = services.history(section)
    newest = revisions[0].number
    compare = CompareForm(formdata=None, old=max(1, newest - 1), new=newest)
    return _render_section(
        "policy_briefs/history.html", brief, section, revisions=revisions, compare=compare
    )


@bp.get("/<int:brief_id>/sections/<int:section_id>/diff")
@login_required
def diff(brief_id: int, section_id: int):
    """The words deleted and inserted between two revisions."""
    brief, section = permissions.section_for(brief_id, section_id)
    if request.args:
        form = CompareForm(request.args)
    else:  # what the latest revision changed
        form = CompareForm(MultiDict({"old": max(1, section.head - 1), "new": section.head}))
    old = new = None
    if form.validate():
        old = services.revision(section, form.old.data)
        new = services.revision(section, form.new.data)
        if old is None:
            form.old.errors.append(_("This section has no revision %(n)d.", n=form.old.data))
        if new is None:
            form.new.errors.append(_("This section has no revision %(n)d.", n=form.new.data))
    if old is None or new is None:
        return render_template(
            "policy_briefs/diff.html", brief=brief, section=section, form=form, changes=None
        ), 400
    changes = word_diff(old.text, new.text)
    return render_template(
        "policy_briefs/diff.html",
        brief=brief,
        section=section,
        form=form,
        old=old,
        new=new,
        changes=changes,
        counts=counts(changes),
    )


@bp.post("/<int:brief_id>/sections/<int:section_id>/revisions/<int:number>/restore")
@login_required
def restore(brief_id: int, section_id: int, number: int):
    """Make an earlier revision's text the current one, as a new revision."""
    brief, section = permissions.section_for(brief_id, section_id, "edit")
    if not ButtonForm().validate_on_submit():
        abort(400)
    was = brief.status
    try:
        saved = services.restore_revision(section, number, current_user(), _acting(brief))
    except LookupError:
        abort(404)
    except NotEditable:
        return _final(brief)
    db.session.commit()
    _after_change(brief, was)
    if saved.changed:
        flash(
            _(
                "Revision %(old)d restored as revision %(n)d.",
                old=number,
                n=saved.revision.number,
            ),
            "success",
        )
    else:
        flash(_("Revision %(old)d is the current text already.", old=number), "success")
    return _to_brief(brief, section)

"""Comment pages: a section's comments, comment on a passage, reply, resolve."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required
from coalition.extensions import db
from policy_briefs import permissions
from policy_briefs.comments import services
from policy_briefs.comments.forms import CommentForm, ReplyForm, ResolveForm
from policy_briefs.models import Brief, Comment, Section
from policy_briefs.states import NotEditable

bp = Blueprint("brief_comments", __name__)


def _comment(brief_id: int, comment_id: int) -> tuple[Brief, Comment]:
    brief = permissions.brief_for(brief_id, "read")
    comment = db.get_or_404(Comment, comment_id)
    if comment.section.brief_id != brief.id:
        abort(404)
    return brief, comment


def _back(brief: Brief, section_id: int):
    return redirect(url_for("briefs.brief", brief_id=brief.id, _anchor=f"section-{section_id}"))


def comments_page(
    brief: Brief, section: Section, form=None, status: int = 200, failed_reply=(None, None)
):
    """The section's open and resolved threads, and the comment form.

    :param failed_reply: (comment id, form) of a reply refused, shown with its error
    """
    return render_template(
        "policy_briefs/comments.html",
        brief=brief,
        section=section,
        threads=services.threads(section),
        resolved=services.threads(section, resolved=True),
        form=form or CommentForm(formdata=None),
        reply_form=ReplyForm(formdata=None),
        resolve_form=ResolveForm(formdata=None),
        failed_for=failed_reply[0],
        failed_form=failed_reply[1],
    ), status


@bp.get("/<int:brief_id>/sections/<int:section_id>/comments")
@login_required
def index(brief_id: int, section_id: int):
    """Every comment on a section, the resolved ones too."""
    brief, section = permissions.section_for(brief_id, section_id)
    return comments_page(brief, section)


def _write(brief: Brief, section: Section, form, write, message: str, /, **page):
    """Check the form, `write(user, organisation)` to the section's comments, commit and say so.

    :param page: how the section's comments page shows a text refused, its errors beside the field
    """
    if not form.validate_on_submit():
        abort(400)
    user = current_user()
    try:
        write(user, permissions.acting_organisation(user, brief))
    except services.InvalidComment as invalid:
        for name, error in invalid.errors.items():
            form[name].errors = [error]
        return comments_page(brief, section, status=422, **page)
    except NotEditable:
        abort(409)
    db.session.commit()
    flash(message, "success")
    return _back(brief, section.id)


@bp.post("/<int:brief_id>/sections/<int:section_id>/comments")
@login_required
def create(brief_id: int, section_id: int):
    """Comment on a section, or on a passage of it."""
    brief, section = permissions.section_for(brief_id, section_id)
    form = CommentForm()
    start = int(form.quote_start.data) if (form.quote_start.data or "").isdigit() else None
    return _write(
        brief,
        section,
        form,
        lambda user, organisation: services.add_comment(
            section, form.body.data or "", user, organisation, form.quote.data or "", start
        ),
        _("Your comment was added."),
        form=form,
    )


@bp.post("/<int:brief_id>/comments/<int:comment_id>/replies")
@login_required
def reply(brief_id: int, comment_id: int):
    """Answer a comment."""
    brief, comment = _comment(brief_id, comment_id)
    form = ReplyForm()
    return _write(
        brief,
        comment.section,
        form,
        lambda user, organisation: services.reply(
            comment, form.body.data or "", user, organisation
        ),
        _("Your reply was added."),
        failed_reply=(comment.id, form),
    )


@bp.post("/<int:brief_id>/comments/<int:comment_id>/resolve")
@login_required
def resolve(brief_id: int, comment_id: int):
    """Mark a thread resolved: its author or a policy author may."""
    brief, comment = _comment(brief_id, comment_id)
    if not permissions.can_resolve(current_user(), brief, comment):
        abort(403)
    return _write(
        brief,
        comment.section,
        ResolveForm(),
        lambda user, _organisation: services.resolve(comment, user),
        _("The comment is resolved."),
    )

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


def _write(brief: Brief, form, write, refused, message: str, section_id: int):
    """Check the form, `write(user, organisation)` the text, commit and say so.

    :param refused: renders the page again when the text is refused, its errors beside the field
    """
    if not form.validate_on_submit():
        abort(400)
    user = current_user()
    try:
        write(user, permissions.acting_organisation(user, brief))
    except services.InvalidComment as invalid:
        for name, error in invalid.errors.items():
            form[name].errors = [error]
        return refused()
    except NotEditable:
        abort(409)
    db.session.commit()
    flash(message, "success")
    return _back(brief, section_id)


@bp.post("/<int:brief_id>/sections/<int:section_id>/comments")
@login_required
def create(brief_id: int, section_id: int):
    """Comment on a section, or on a passage of it."""
    brief, section = permissions.section_for(brief_id, section_id)
    form = CommentForm()
    start = int(form.quote_start.data) if (form.quote_start.data or "").isdigit() else None
    return _write(
        brief,
        form,
        lambda user, organisation: services.add_comment(
            section, form.body.data or "", user, organisation, form.quote.data or "", start
        ),
        lambda: comments_page(brief, section, form, 422),
        _("Your comment was added."),
        section.id,
    )


@bp.post("/<int:brief_id>/comments/<int:comment_id>/replies")
@login_required
def reply(brief_id: int, comment_id: int):
    """Answer a comment."""
    brief, comment = _comment(brief_id, comment_id)
    form = ReplyForm()
    return _write(
        brief,
        form,
        lambda user, organisation: services.reply(
            comment, form.body.data or "", user, organisation
        ),
        lambda: comments_page(brief, comment.section, status=422, failed_reply=(comment.id, form)),
        _("Your reply was added."),
        comment.section_id,
    )


@bp.post("/<int:brief_id>/comments/<int:comment_id>/resolve")
@login_required
def resolve(brief_id: int, comment_id: int):
    """Mark a thread resolved: its author or a policy author may."""
    brief, comment = _comment(brief_id, comment_id)
    user = current_user()
    if not (comment.author_id == user.id or permissions.can_edit(user, brief)):
        abort(403)
    if not ResolveForm().validate_on_submit():
        abort(400)
    services.resolve(comment, user)
    db.session.commit()
    flash(_("The comment is resolved."), "success")
    return _back(brief, comment.section_id)

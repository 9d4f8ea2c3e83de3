"""The coalition's public pages: home, joining, the members and each member's page; and the
routes outside the language prefix (the language redirect, the health probes)."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from coalition.extensions import db, limiter
from coalition.forms import show_error
from coalition.i18n import browser_language, current_language
from coalition.members import services
from coalition.members.applications import submit_application
from coalition.members.forms import ApplicationForm
from coalition.members.models import Organisation
from coalition.members.services import MembershipError
from coalition.observability import readiness

#: routes outside the language prefix
root = Blueprint("root", __name__)
#: public pages under /<lang>/
bp = Blueprint("coalition", __name__)


@root.get("/")
def index():
    """Send the visitor to the home page in their browser's language."""
    response = redirect(url_for("coalition.home", lang_code=browser_language()))
    response.headers["Vary"] = "Accept-Language"
    return response


@root.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@root.get("/readyz")
def readyz():
    """The database answers (else 503); the configured engines are reported too."""
    document, status = readiness.report()
    return jsonify(document), status


@bp.get("/")
def home():
    """What the coalition is, and the way to the search."""
    return render_template("coalition/home.html")


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def join():
    """Apply for membership of the coalition."""
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            application = submit_application(
                organisation_name=form.organisation_name.data,
                enterprise_number=form.enterprise_number.data,
                website=form.website.data,
                languages=form.languages.data,
                description=form.description.data,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                language=current_language(),
            )
        except MembershipError as error:
            show_error(form, error)
        else:
            db.session.commit()
            return render_template(
                "coalition/members/applied.html", email=application.contact_email
            )
    return render_template("coalition/members/join.html", form=form), 422 if form.errors else 200


def _admitted(slug: str) -> Organisation:
    organisation = services.admitted_member(slug)
    if organisation is None:
        abort(404)
    return organisation


@bp.get("/members", endpoint="members")
def members_list():
    """The coalition's member organisations."""
    rows = services.member_directory(current_language())
    return render_template("coalition/members/list.html", rows=rows)


@bp.get("/members/<slug>")
def member(slug: str):
    """One member organisation's public page."""
    organisation = _admitted(slug)
    lang = current_language()
    return render_template(
        "coalition/members/member.html",
        organisation=organisation,
        name=organisation.display_name(lang),
        description=organisation.description(lang),
        themes=services.theme_labels(organisation, lang),
    )


@bp.get("/members/<slug>/logo")
def logo(slug: str):
    """The member's logo image."""
    organisation = _admitted(slug)
    if not organisation.logo_mime or not organisation.logo:
        abort(404)
    response = make_response(organisation.logo)
    response.headers["Content-Type"] = organisation.logo_mime
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(hashlib.sha256(organisation.logo).hexdigest()[:32])
    return response.make_conditional(request)

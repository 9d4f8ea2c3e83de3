"""Sign-in, sign-out, second factor, password reset, invitations and the account page.

How a session is started and ended is in `coalition.accounts.sessions`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from coalition.access import current_user, login_required
from coalition.accounts import invitations, passwords, services
from coalition.accounts import totp as second_factor
from coalition.accounts.errors import AccountError, PasswordRejected, TokenInvalid
from coalition.accounts.forms import (
    AcceptForExistingUserForm,
    AcceptInvitationForm,
    ChangePasswordForm,
    DisableTotpForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    TotpForm,
)
from coalition.accounts.sessions import (
    after_login_url,
    await_second_factor,
    fail_login,
    login_rate_limit,
    pending_user,
    per_address,
    refuse_suspended_login,
    security_log,
    start_session,
    throttled,
)
from coalition.errors import wants_problem_json
from coalition.extensions import db, limiter
from coalition.forms import ButtonForm

bp = Blueprint("auth", __name__)

#: pages a user who must enrol a second factor may still reach
ENROLMENT_EXEMPT = {"auth.enrol_totp", "auth.logout", "static", "root.healthz", "root.readyz"}


def _answer(template: str, **context):
    """The page, with 400 when it answers a form that was not accepted."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def _done(message: str, endpoint: str):
    """Commit the request's work, say it is done, and go on to `endpoint`."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint))


def _link_invalid(error: TokenInvalid, retry: str | None):
    """The page of a link that does not work any more (404), with where to ask a new one."""
    return render_template("coalition/auth/link_invalid.html", message=str(error), retry=retry), 404


def _problems(error: AccountError) -> list[str]:
    """What to show beside the password fields for a refused request."""
    return error.problems if isinstance(error, PasswordRejected) else [str(error)]


@bp.before_app_request
def require_second_factor():
    """An admin without a second factor must enrol before anything else (outside demo)."""
    user = g.get("user")
    if (
        user is None
        or user.totp_secret
        or request.endpoint in ENROLMENT_EXEMPT
        or request.endpoint is None
        or wants_problem_json()
        or not second_factor.totp_required(user)
    ):
        return None
    return redirect(url_for("auth.enrol_totp"))


# --- sign-in and sign-out -----------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():
    """The sign-in form; a user with a second factor continues on the code page."""
    if current_user() is not None and request.method == "GET":
        return redirect(after_login_url(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            fail_login("password", form.email.data)
            error = _("The e-mail or the password is not correct.")
        elif services.membership_suspended(user):
            # Said only after the password was verified: no account enumeration.
            refuse_suspended_login(user)
            error = services.suspension_notice()
        elif user.totp_secret:
            await_second_factor(user, form.next.data)
            db.session.commit()
            return redirect(url_for("auth.totp"))
        else:
            start_session(user)
            db.session.commit()
            security_log.info("login of user %s", user.id)
            return redirect(after_login_url(form.next.data))
    elif request.method == "POST":
        fail_login("form")
    status = 400 if request.method == "POST" and not error else 200
    return render_template("coalition/auth/login.html", form=form, error=error), status


@bp.route("/login/code", methods=["GET", "POST"])
@throttled
def totp():
    """The second step: the code from the authenticator app."""
    user = pending_user()
    if user is None:
        session.clear()
        flash(_("Please log in again."), "error")
        return redirect(url_for("auth.login"))
    if services.membership_suspended(user):
        session.clear()
        refuse_suspended_login(user)
        flash(services.suspension_notice(), "error")
        return redirect(url_for("auth.login"))
    form = TotpForm()
    error = None
    if form.validate_on_submit():
        if second_factor.verify_totp(user, form.code.data):
            next_url = session.get("pending_next")
            start_session(user)
            db.session.commit()
            security_log.info("login of user %s with second factor", user.id)
            return redirect(after_login_url(next_url))
        fail_login("totp", user.email)
        error = _("This code is not correct, or was already used. Wait for the next one.")
    elif request.method == "POST":
        fail_login("form")
    status = 400 if request.method == "POST" and not error else 200
    return render_template("coalition/auth/totp.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """Sign out everywhere: the session version moves on, so no old cookie works."""
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user()
    if user is not None:
        services.end_all_sessions(user)
        db.session.commit()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("coalition.home"))


# --- password reset -----------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, key_func=per_address, methods=["POST"], scope="forgot")
def forgot_password():
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.start_password_reset(form.email.data)
        db.session.commit()
        return render_template("coalition/auth/forgot_sent.html")
    return _answer("coalition/auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with the link from the reset mail."""
    try:
        reset = services.valid_reset_token(token)
    except TokenInvalid as error:
        return _link_invalid(error, retry=url_for("auth.forgot_password"))
    form = NewPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except PasswordRejected as error:
            problems = error.problems
        else:
            db.session.commit()
            session.clear()
            security_log.info("password reset for user %s", reset.user_id)
            flash(_("Your password was changed. Please log in."), "success")
            return redirect(url_for("auth.login"))
    return _answer("coalition/auth/reset.html", form=form, problems=problems)


# --- invitations --------------------------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation: a new person chooses a name and password; a known one confirms."""
    try:
        invitation = invitations.pending_invitation(token)
    except TokenInvalid as error:
        return _link_invalid(error, retry=None)
    existing = services.find_user(invitation.email)
    form = (
        AcceptForExistingUserForm()
        if existing
        else AcceptInvitationForm(name=invitation.name or None)
    )
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(
                token,
                getattr(form, "name", None) and form.name.data,
                getattr(form, "password", None) and form.password.data,
            )
        except AccountError as error:
            problems = _problems(error)
        else:
            if existing:
                return _done(
                    _("The invitation is accepted. Log in to use your new roles."), "auth.login"
                )
            start_session(user)
            return _done(_("Welcome! Your account is ready."), "staff.dashboard")
    return _answer(
        "coalition/auth/invitation.html",
        form=form,
        invitation=invitation,
        existing=existing,
        problems=problems,
    )


# --- the account page ---------------------------------------------------------------------


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password; see and manage the second factor."""
    user = current_user()
    form = ChangePasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            passwords.change_password(user, form.current.data, form.password.data)
        except PasswordRejected as error:
            problems = error.problems
        except AccountError as error:
            form.current.errors = [str(error)]
        else:
            # This session continues; the user's other sessions end.
            session["session_version"] = user.session_version
            return _done(
                _("Your password was changed. Your other sessions have ended."), "auth.account"
            )
    return _answer(
        "coalition/auth/account.html",
        form=form,
        problems=problems,
        disable_form=DisableTotpForm(formdata=None),
        totp_required=second_factor.totp_required(user),
    )


@bp.route("/account/second-factor", methods=["GET", "POST"])
@login_required
def enrol_totp():
    """Set up the second factor: scan the QR code, confirm with a first code.

    Until it is confirmed, the new secret waits in the session cookie encrypted for this
    user (the cookie is signed, not secret) and expires after `TOTP_ENROLMENT_TTL`.
    """
    user = current_user()
    if user.totp_secret:
        return redirect(url_for("auth.account"))
    session.pop("totp_enrolment_secret", None)  # the clear-text key of older versions
    sealed = session.get("totp_enrolment")
    secret = second_factor.open_enrolment_secret(user, sealed)
    expired = secret is None and sealed is not None
    if secret is None:
        secret = second_factor.new_totp_secret()
        session["totp_enrolment"] = second_factor.seal_enrolment_secret(user, secret)
    form = TotpForm()
    error = None
    if form.validate_on_submit():
        if expired:
            error = _(
                "This set-up took too long, so it starts again with a new code: scan the new "
                "QR code and enter the code your app shows."
            )
        elif second_factor.enable_totp(user, secret, form.code.data):
            session.pop("totp_enrolment", None)
            return _done(
                _("The second factor is on. You will be asked for a code at each login."),
                "staff.dashboard",
            )
        else:
            error = _("This code is not correct. Check the time on your phone and try again.")
    return _answer(
        "coalition/auth/enrol_totp.html",
        form=form,
        error=error,
        secret=secret,
        qr_svg=second_factor.totp_qr_svg(second_factor.totp_provisioning_uri(user, secret)),
        required=second_factor.totp_required(user),
    )


@bp.post("/account/second-factor/off")
@login_required
def disable_totp():
    """Turn the second factor off (not allowed where it is required)."""
    user = current_user()
    form = DisableTotpForm()
    if second_factor.totp_required(user):
        flash(_("Your role requires a second factor; it cannot be turned off."), "error")
    elif form.validate_on_submit() and passwords.verify_password(user, form.password.data):
        second_factor.disable_totp(user)
        db.session.commit()
        flash(_("The second factor is off."), "success")
    else:
        flash(_("Your password is not correct."), "error")
    return redirect(url_for("auth.account"))

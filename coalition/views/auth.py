"""Sign-in, sign-out, second factor, password reset, invitations and the account page.

Sessions are Flask's signed cookies. At sign-in the session is cleared and written anew
(`start_session`): the browser receives a brand-new cookie value, and whatever the
visitor's pre-login cookie held (or an attacker planted) is gone — that is the "new
session id" of a cookie session. A cookie carries the user's `session_version`; logout,
a password change or a reset bump that number, so every copy of an older cookie stops
authenticating (`coalition.auth.load_user` compares them), on every device.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from coalition.access import current_user, login_required
from coalition.errors import wants_problem_json
from coalition.extensions import client_address, db, limiter
from coalition.mail import redacted
from coalition.models import User
from coalition.services import accounts

bp = Blueprint("auth", __name__)
security_log = logging.getLogger("coalition.security")

#: how long the password step stays valid while the second factor is asked (seconds)
PENDING_TTL = 300
#: pages a user who must enrol a second factor may still reach
ENROLMENT_EXEMPT = {"auth.enrol_totp", "auth.logout", "static", "root.healthz", "root.readyz"}


# --- forms -----------------------------------------------------------------------------


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class TotpForm(FlaskForm):
    code = StringField(_l("Six-digit code"), validators=[DataRequired(), Length(max=10)])
    submit = SubmitField(_l("Confirm"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save the password"))


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create my account"))


class AcceptForExistingUserForm(FlaskForm):
    submit = SubmitField(_l("Accept the invitation"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class DisableTotpForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Turn off the second factor"))


class LogoutForm(FlaskForm):
    pass


# --- sessions, redirects and throttling -------------------------------------------------


def start_session(user: User) -> None:
    """Sign `user` in on a brand-new session (see the module docstring)."""
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["session_version"] = user.session_version
    session["authenticated_at"] = int(time.time())
    accounts.record_login(user)
    g.user = user


def safe_next(target: str | None) -> str | None:
    """`target` if it is a relative path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def after_login_url(next_url: str | None) -> str:
    return safe_next(next_url) or url_for("staff.dashboard")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """Only failed attempts count against the login limits."""
    return bool(g.get("login_failed"))


def _per_address() -> str:
    return f"ip:{client_address()}"


def _per_account() -> str:
    """The submitted e-mail, or on the second step the account waiting for its code."""
    email = accounts.normalise_email(request.form.get("email", ""))
    if email:
        return f"email:{email}"
    pending = session.get("pending_user_id")
    return f"user:{pending}" if pending else ""


def throttled(view):
    """Limit failed attempts per address and per account (`LOGIN_RATE_LIMIT`)."""
    for key_func, scope in ((_per_address, "login-address"), (_per_account, "login-account")):
        view = limiter.limit(
            login_rate_limit, key_func=key_func, methods=["POST"], deduct_when=_failed, scope=scope
        )(view)
    return view


def fail_login(reason: str, email: str = "") -> None:
    """Count a failed attempt and write it to the security log (never the password)."""
    g.login_failed = True
    security_log.warning(
        "login failed (%s) for %s from %s",
        reason,
        redacted(email) if email else "-",
        client_address(),
    )


def refuse_suspended_login(user: User) -> None:
    """Write a refused sign-in of a suspended member's staff to the security log."""
    security_log.warning(
        "login refused (membership suspended) for user %s from %s", user.id, client_address()
    )


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
        or not accounts.totp_required(user)
    ):
        return None
    return redirect(url_for("auth.enrol_totp"))


# --- sign-in and sign-out ---------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():
    """The sign-in form; a user with a second factor continues on the code page."""
    if current_user() is not None and request.method == "GET":
        return redirect(after_login_url(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            fail_login("password", form.email.data)
            error = _("The e-mail or the password is not correct.")
        elif accounts.membership_suspended(user):
            # Said only after the password was verified: no account enumeration.
            refuse_suspended_login(user)
            error = accounts.suspension_notice()
        elif user.totp_secret:
            session.clear()
            session["pending_user_id"] = user.id
            session["pending_version"] = user.session_version
            session["pending_at"] = int(time.time())
            session["pending_next"] = safe_next(form.next.data) or ""
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


def _pending_user() -> User | None:
    user_id = session.get("pending_user_id")
    if user_id is None or time.time() - session.get("pending_at", 0) > PENDING_TTL:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != session.get("pending_version"):
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@throttled
def totp():
    """The second step: the code from the authenticator app."""
    user = _pending_user()
    if user is None:
        session.clear()
        flash(_("Please log in again."), "error")
        return redirect(url_for("auth.login"))
    if accounts.membership_suspended(user):
        session.clear()
        refuse_suspended_login(user)
        flash(accounts.suspension_notice(), "error")
        return redirect(url_for("auth.login"))
    form = TotpForm()
    error = None
    if form.validate_on_submit():
        if accounts.verify_totp(user, form.code.data):
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
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user()
    if user is not None:
        accounts.end_all_sessions(user)
        db.session.commit()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("coalition.home"))


# --- password reset ---------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, key_func=_per_address, methods=["POST"], scope="forgot")
def forgot_password():
    """Ask for a reset link; the answer is the same whether the account exists or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.start_password_reset(form.email.data)
        db.session.commit()
        return render_template("coalition/auth/forgot_sent.html")
    status = 400 if request.method == "POST" else 200
    return render_template("coalition/auth/forgot.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with the link from the reset mail."""
    try:
        reset = accounts.valid_reset_token(token)
    except accounts.TokenInvalid as error:
        return render_template(
            "coalition/auth/link_invalid.html",
            message=str(error),
            retry=url_for("auth.forgot_password"),
        ), 404
    form = NewPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except accounts.PasswordRejected as error:
            problems = error.problems
        else:
            db.session.commit()
            session.clear()
            security_log.info("password reset for user %s", reset.user_id)
            flash(_("Your password was changed. Please log in."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("coalition/auth/reset.html", form=form, problems=problems), status


# --- invitations ------------------------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation: a new person chooses a name and password; a known one confirms."""
    try:
        invitation = accounts.pending_invitation(token)
    except accounts.TokenInvalid as error:
        return render_template(
            "coalition/auth/link_invalid.html", message=str(error), retry=None
        ), 404
    existing = accounts.find_user(invitation.email)
    form = (
        AcceptForExistingUserForm()
        if existing
        else AcceptInvitationForm(name=invitation.name or None)
    )
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(
                token,
                getattr(form, "name", None) and form.name.data,
                getattr(form, "password", None) and form.password.data,
            )
        except accounts.PasswordRejected as error:
            problems = error.problems
        except accounts.AccountError as error:
            problems = [str(error)]
        else:
            if existing:
                db.session.commit()
                flash(_("The invitation is accepted. Log in to use your new roles."), "success")
                return redirect(url_for("auth.login"))
            start_session(user)
            db.session.commit()
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("staff.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "coalition/auth/invitation.html",
        form=form,
        invitation=invitation,
        existing=existing,
        problems=problems,
    ), status


# --- the account page -------------------------------------------------------------------


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password; see and manage the second factor."""
    user = current_user()
    form = ChangePasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.current.data, form.password.data)
        except accounts.PasswordRejected as error:
            problems = error.problems
        except accounts.AccountError as error:
            form.current.errors = [str(error)]
        else:
            # This session continues; the user's other sessions end.
            session["session_version"] = user.session_version
            db.session.commit()
            flash(_("Your password was changed. Your other sessions have ended."), "success")
            return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "coalition/auth/account.html",
        form=form,
        problems=problems,
        disable_form=DisableTotpForm(formdata=None),
        totp_required=accounts.totp_required(user),
    ), status


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
    secret = accounts.open_enrolment_secret(user, sealed)
    expired = secret is None and sealed is not None
    if secret is None:
        secret = accounts.new_totp_secret()
        session["totp_enrolment"] = accounts.seal_enrolment_secret(user, secret)
    form = TotpForm()
    error = None
    if form.validate_on_submit():
        if expired:
            error = _(
                "This set-up took too long, so it starts again with a new code: scan the new "
                "QR code and enter the code your app shows."
            )
        elif accounts.enable_totp(user, secret, form.code.data):
            session.pop("totp_enrolment", None)
            db.session.commit()
            flash(
                _("The second factor is on. You will be asked for a code at each login."), "success"
            )
            return redirect(url_for("staff.dashboard"))
        else:
            error = _("This code is not correct. Check the time on your phone and try again.")
    uri = accounts.totp_provisioning_uri(user, secret)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "coalition/auth/enrol_totp.html",
        form=form,
        error=error,
        secret=secret,
        qr_svg=accounts.totp_qr_svg(uri),
        required=accounts.totp_required(user),
    ), status


@bp.post("/account/second-factor/off")
@login_required
def disable_totp():
    """Turn the second factor off (not allowed where it is required)."""
    user = current_user()
    form = DisableTotpForm()
    if accounts.totp_required(user):
        flash(_("Your role requires a second factor; it cannot be turned off."), "error")
    elif form.validate_on_submit() and accounts.verify_password(user, form.password.data):
        accounts.disable_totp(user)
        db.session.commit()
        flash(_("The second factor is off."), "success")
    else:
        flash(_("Your password is not correct."), "error")
    return redirect(url_for("auth.account"))

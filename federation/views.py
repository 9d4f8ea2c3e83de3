"""Staff pages of the federation: API clients and webhooks of an organisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from coalition.access import current_user, login_required, require
from coalition.extensions import db
from coalition.models import Organisation
from coalition.services.audit import record
from federation import clients as services
from federation.models import SCOPES, AuthMethod, OAuthClient

bp = Blueprint("federation", __name__)

#: what each scope lets a member system do, as an admin reads it
SCOPE_LABELS = {
    "programmes:write": _l("Programmes: create, update and archive your programmes"),
    "referrals:read": _l("Referrals: read the referrals you sent and received"),
    "referrals:write": _l("Referrals: send referrals and update their status"),
    "reports:write": _l("Reports: submit your quarterly impact figures"),
    "events:read": _l("Events: read your organisation's events"),
}
assert set(SCOPE_LABELS) == set(SCOPES)
#: the largest public key file accepted
MAX_KEY_BYTES = 20_000


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _scopes_field() -> CheckboxesField:
    return CheckboxesField(
        _l("Scopes"),
        choices=[SelectChoice(code, label) for code, label in SCOPE_LABELS.items()],
        validators=[DataRequired(_l("Choose at least one scope."))],
        description=_l("Grant only what the system needs."),
    )


def _key_text_field() -> TextAreaField:
    return TextAreaField(
        _l("Public key"),
        description=_l(
            "Paste the public key as a JWK, a JWK Set or a PEM (RSA of 2048 bits or more, or EC "
            "P-256). Never paste a private key. To rotate without downtime, give the old and the "
            "new key together as a JWK Set."
        ),
        render_kw={"rows": 8, "spellcheck": "false", "autocomplete": "off"},
    )


def _key_file_field() -> FileField:
    return FileField(_l("Or upload the public key file"))


class NewClientForm(FlaskForm):
    name = StringField(
        _l("Name of the client"),
        validators=[DataRequired(_l("Give the client a name.")), Length(max=120)],
        description=_l("For example: CRM production."),
    )
    scopes = _scopes_field()
    method = RadioField(
        _l("How the system authenticates"),
        choices=[
            SelectChoice(
                AuthMethod.private_key_jwt.value,
                _l("With its own key pair (private_key_jwt, recommended)"),
            ),
            SelectChoice(
                AuthMethod.client_secret_basic.value,
                _l("With a secret we generate (client_secret_basic)"),
            ),
        ],
        default=AuthMethod.private_key_jwt.value,
    )
    public_key = _key_text_field()
    public_key_file = _key_file_field()


class ScopesForm(FlaskForm):
    scopes = _scopes_field()


class KeysForm(FlaskForm):
    public_key = _key_text_field()
    public_key_file = _key_file_field()


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def _uploaded_key(form: NewClientForm | KeysForm) -> str:
    """The public key from the file, else from the text area."""
    upload = form.public_key_file.data
    if upload and getattr(upload, "filename", ""):
        data = upload.read(MAX_KEY_BYTES + 1)
        if len(data) > MAX_KEY_BYTES:
            raise ValidationError(_("The key file is too large."))
        try:
            return data.decode()
        except UnicodeDecodeError as error:
            raise ValidationError(_("The key file must be a text file (JWK or PEM).")) from error
    return (form.public_key.data or "").strip()


def _key_error(error: services.InvalidKeyError) -> str:
    """The service's reason, in the visitor's language."""
    messages = {
        "private": _("This is a private key. Upload only the public key."),
        "type": _("Use an RSA key (2048 bits or more) or an EC key on P-256."),
        "size": _("RSA keys must have at least 2048 bits."),
        "count": _("Upload between 1 and %(n)s public keys.", n=services.MAX_KEYS),
        "missing": _("Upload a public key: a JWK, a JWK Set or a PEM file."),
    }
    return messages.get(error.reason, _("This is not a public key in JWK, JWK Set or PEM format."))


def _organisation(org_id: int) -> Organisation:
    """The organisation, if the current user may manage its API clients (else 404/403)."""
    organisation = db.session.get(Organisation, org_id)
    require("manage_clients", organisation)
    return organisation


def _client(organisation: Organisation, client_pk: int) -> OAuthClient:
    """One of the organisation's clients; another organisation's client is 404."""
    client = db.session.get(OAuthClient, client_pk)
    if client is None or client.organisation_id != organisation.id:
        abort(404)
    return client


def _secret_page(organisation: Organisation, client: OAuthClient, secret: str):
    response = render_template(
        "federation/client_secret.html", organisation=organisation, client=client, secret=secret
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:org_id>/clients")
@login_required
def clients(org_id: int):
    """The organisation's API clients, with their scopes, method and last use."""
    organisation = _organisation(org_id)
    rows = db.session.scalars(
        select(OAuthClient)
        .where(OAuthClient.organisation_id == organisation.id)
        .order_by(OAuthClient.revoked_at.is_not(None), OAuthClient.created_at.desc())
    ).all()
    return render_template(
        "federation/clients.html",
        organisation=organisation,
        clients=rows,
        scope_labels=SCOPE_LABELS,
    )


@bp.route("/<int:org_id>/clients/new", methods=["GET", "POST"])
@login_required
def new_client(org_id: int):
    """Register a client: upload its public key, or receive a secret shown once."""
    organisation = _organisation(org_id)
    form = NewClientForm()
    if form.validate_on_submit():
        public_key = None
        try:
            if form.method.data == AuthMethod.private_key_jwt.value:
                public_key = _uploaded_key(form)
                if not public_key:
                    raise services.InvalidKeyError("missing")
            created = services.register_client(
                organisation,
                name=form.name.data,
                scopes=form.scopes.data,
                public_keys=public_key,
                created_by=current_user(),
            )
        except ValidationError as error:
            form.public_key.errors = [str(error)]
        except services.InvalidKeyError as error:
            form.public_key.errors = [_key_error(error)]
        else:
            client = created.client
            _audit_client(
                "oauth_client.create",
                organisation,
                client,
                scopes=client.scopes,
                method=client.token_endpoint_auth_method.value,
            )
            db.session.commit()
            if created.client_secret:
                return _secret_page(organisation, client, created.client_secret)
            flash(_("The client has been created."), "success")
            return redirect(url_for("federation.client", org_id=org_id, client_pk=client.id))
    status = 422 if form.errors else 200
    return render_template(
        "federation/client_new.html", organisation=organisation, form=form
    ), status


@bp.get("/<int:org_id>/clients/<int:client_pk>")
@login_required
def client(org_id: int, client_pk: int):
    """One client: its details and the forms that change it."""
    organisation = _organisation(org_id)
    return _client_page(organisation, _client(organisation, client_pk))


def _audit_client(action: str, organisation, oauth_client, **details) -> None:
    """Audit a change to an API client, by the signed-in admin."""
    record(
        action,
        actor=current_user(),
        organisation=organisation,
        target=oauth_client,
        oauth_client=oauth_client.client_id,
        **details,
    )


def _client_page(organisation, oauth_client, *, scopes_form=None, keys_form=None, status=200):
    return render_template(
        "federation/client.html",
        organisation=organisation,
        client=oauth_client,
        scope_labels=SCOPE_LABELS,
        scopes_form=scopes_form or ScopesForm(data={"scopes": list(oauth_client.scopes)}),
        keys_form=keys_form or KeysForm(formdata=None),
        confirm_form=ConfirmForm(),
    ), status


@bp.post("/<int:org_id>/clients/<int:client_pk>/scopes")
@login_required
def change_scopes(org_id: int, client_pk: int):
    """Grant the client exactly the chosen scopes."""
    organisation = _organisation(org_id)
    oauth_client = _client(organisation, client_pk)
    form = ScopesForm()
    if not form.validate_on_submit():
        return _client_page(organisation, oauth_client, scopes_form=form, status=422)
    before = list(oauth_client.scopes)
    services.change_client_scopes(oauth_client, form.scopes.data)
    _audit_client(
        "oauth_client.scopes",
        organisation,
        oauth_client,
        before=before,
        after=oauth_client.scopes,
    )
    db.session.commit()
    flash(
        _(
            "The scopes have been saved. Tokens already issued keep theirs for at most five "
            "minutes."
        ),
        "success",
    )
    return redirect(url_for("federation.client", org_id=org_id, client_pk=client_pk))


@bp.post("/<int:org_id>/clients/<int:client_pk>/keys")
@login_required
def replace_keys(org_id: int, client_pk: int):
    """Rotate the client's public keys."""
    organisation = _organisation(org_id)
    oauth_client = _client(organisation, client_pk)
    if not oauth_client.active:
        abort(404)
    form = KeysForm()
    if form.validate_on_submit():
        try:
            public_key = _uploaded_key(form)
            if not public_key:
                raise services.InvalidKeyError("missing")
            services.replace_client_keys(oauth_client, public_key)
        except ValidationError as error:
            form.public_key.errors = [str(error)]
        except services.InvalidKeyError as error:
            form.public_key.errors = [_key_error(error)]
        else:
            _audit_client(
                "oauth_client.keys",
                organisation,
                oauth_client,
                kids=[k.get("kid") for k in oauth_client.jwks["keys"]],
            )
            db.session.commit()
            flash(_("The public keys have been replaced."), "success")
            return redirect(url_for("federation.client", org_id=org_id, client_pk=client_pk))
    return _client_page(organisation, oauth_client, keys_form=form, status=422)


@bp.post("/<int:org_id>/clients/<int:client_pk>/secret")
@login_required
def reset_secret(org_id: int, client_pk: int):
    """Issue a new secret (shown once); the old one stops working."""
    organisation = _organisation(org_id)
    oauth_client = _client(organisation, client_pk)
    if (
        not ConfirmForm().validate_on_submit()
        or not oauth_client.active
        or oauth_client.token_endpoint_auth_method != AuthMethod.client_secret_basic
    ):
        abort(400)
    secret = services.reset_client_secret(oauth_client)
    _audit_client("oauth_client.secret", organisation, oauth_client)
    db.session.commit()
    return _secret_page(organisation, oauth_client, secret)


@bp.post("/<int:org_id>/clients/<int:client_pk>/revoke")
@login_required
def revoke(org_id: int, client_pk: int):
    """Revoke the client: its tokens stop working at once."""
    organisation = _organisation(org_id)
    oauth_client = _client(organisation, client_pk)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_client(oauth_client)
    _audit_client("oauth_client.revoke", organisation, oauth_client)
    db.session.commit()
    flash(_("The client has been revoked. Its tokens no longer work."), "success")
    return redirect(url_for("federation.clients", org_id=org_id))

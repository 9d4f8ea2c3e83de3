"""Staff pages of the API clients: an org admin registers the organisation's member systems,
rotates their keys or secret, changes their scopes and revokes them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from coalition.access import current_user, login_required
from coalition.audit.services import record
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth import services
from federation.oauth.client_keys import InvalidKeyError
from federation.oauth.forms import ConfirmForm, KeysForm, NewClientForm, ScopesForm
from federation.oauth.models import AuthMethod, OAuthClient
from federation.staff_pages import managed_organisation, owned, secret_page

bp = Blueprint("federation", __name__)

#: the largest public key file accepted
MAX_KEY_BYTES = 20_000


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


def _secret_page(organisation: Organisation, client: OAuthClient, secret: str):
    return secret_page("federation/oauth/client_secret.html", organisation, secret, client=client)


@bp.get("/<int:org_id>/clients")
@login_required
def clients(org_id: int):
    """The organisation's API clients, with their scopes, method and last use."""
    organisation = managed_organisation(org_id)
    return render_template(
        "federation/oauth/clients.html",
        organisation=organisation,
        clients=services.organisation_clients(organisation),
    )


@bp.route("/<int:org_id>/clients/new", methods=["GET", "POST"])
@login_required
def new_client(org_id: int):
    """Register a client: upload its public key, or receive a secret shown once."""
    organisation = managed_organisation(org_id)
    form = NewClientForm()
    if form.validate_on_submit():
        public_key = None
        try:
            if form.method.data == AuthMethod.private_key_jwt.value:
                public_key = _uploaded_key(form)
                if not public_key:
                    raise InvalidKeyError("missing")
            created = services.register_client(
                organisation,
                name=form.name.data,
                scopes=form.scopes.data,
                public_keys=public_key,
                created_by=current_user(),
            )
        except (ValidationError, InvalidKeyError) as error:
            form.public_key.errors = [str(error)]
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
        "federation/oauth/client_new.html", organisation=organisation, form=form
    ), status


@bp.get("/<int:org_id>/clients/<int:client_pk>")
@login_required
def client(org_id: int, client_pk: int):
    """One client: its details and the forms that change it."""
    organisation = managed_organisation(org_id)
    return _client_page(organisation, owned(OAuthClient, client_pk, organisation))


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
        "federation/oauth/client.html",
        organisation=organisation,
        client=oauth_client,
        scopes_form=scopes_form or ScopesForm(data={"scopes": list(oauth_client.scopes)}),
        keys_form=keys_form or KeysForm(formdata=None),
        confirm_form=ConfirmForm(),
    ), status


@bp.post("/<int:org_id>/clients/<int:client_pk>/scopes")
@login_required
def change_scopes(org_id: int, client_pk: int):
    """Grant the client exactly the chosen scopes."""
    organisation = managed_organisation(org_id)
    oauth_client = owned(OAuthClient, client_pk, organisation)
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
    organisation = managed_organisation(org_id)
    oauth_client = owned(OAuthClient, client_pk, organisation)
    if not oauth_client.active:
        abort(404)
    form = KeysForm()
    if form.validate_on_submit():
        try:
            public_key = _uploaded_key(form)
            if not public_key:
                raise InvalidKeyError("missing")
            services.replace_client_keys(oauth_client, public_key)
        except (ValidationError, InvalidKeyError) as error:
            form.public_key.errors = [str(error)]
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
    organisation = managed_organisation(org_id)
    oauth_client = owned(OAuthClient, client_pk, organisation)
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
    organisation = managed_organisation(org_id)
    oauth_client = owned(OAuthClient, client_pk, organisation)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_client(oauth_client)
    _audit_client("oauth_client.revoke", organisation, oauth_client)
    db.session.commit()
    flash(_("The client has been revoked. Its tokens no longer work."), "success")
    return redirect(url_for("federation.clients", org_id=org_id))

"""The federation's `flask federation …` commands: OAuth clients and signing keys."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from coalition.audit.services import record
from coalition.extensions import db
from coalition.members.models import Organisation
from federation.oauth.client_keys import InvalidKeyError
from federation.oauth.schemas import NewClientSchema
from federation.oauth.scopes import offered_scopes
from federation.oauth.services import register_client
from federation.oauth.signing_keys import rotate_signing_key

federation_cli = AppGroup("federation", help="OAuth clients and signing keys of the federation.")


@federation_cli.command("create-client")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option(
    "--scopes",
    required=True,
    help=f'Space-separated, among: {" ".join(offered_scopes())} (e.g. "programmes:write").',
)
@click.option(
    "--jwks",
    "jwks_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Public key file (JWK, JWK Set or PEM): private_key_jwt. Without it, a "
    "client_secret_basic client is created and its secret printed once.",
)
@click.option("--name", default="API client", show_default=True, help="A name for the client.")
def create_client(slug: str, scopes: str, jwks_file: str | None, name: str) -> None:
    """Register an OAuth client and print it as JSON (the secret only appears here)."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise click.UsageError(f"No organisation with slug {slug!r}.")
    public_keys = Path(jwks_file).read_text() if jwks_file else None
    try:
        created = register_client(organisation, name=name, scopes=scopes, public_keys=public_keys)
    except (InvalidKeyError, ValueError) as error:
        with force_locale("en"):  # the commands speak English
            raise click.UsageError(str(error)) from error
    record(
        "oauth_client.create",
        organisation=organisation,
        target=created.client,
        oauth_client=created.client.client_id,
        scopes=created.client.scopes,
        via="cli",
    )
    db.session.commit()
    click.echo(json.dumps(NewClientSchema().dump(created), indent=2))


@federation_cli.command("rotate-key")
def rotate_key() -> None:
    """Sign new access tokens with a fresh key; the previous key verifies until they expire."""
    key = rotate_signing_key()
    record("oauth_signing_key.rotate", kid=key.kid, via="cli")
    db.session.commit()
    click.echo(f"New signing key {key.kid} is active.")

"""`flask coalition create-admin`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from coalition.accounts.errors import PasswordRejected
from coalition.accounts.services import create_coalition_admin, find_user
from coalition.extensions import db


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True, help="The admin's login e-mail.")
@click.option("--name", required=True, help="The admin's full name.")
@click.option("--password", help="Asked for (hidden) when not given.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create a coalition admin, or make the existing account with this e-mail one."""
    if find_user(email) is None and password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_coalition_admin(email, name, password)
    except PasswordRejected as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"coalition admin: {user.email} (user {user.id})")

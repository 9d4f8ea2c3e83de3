"""The core's `flask` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

coalition_cli = AppGroup("coalition", help="Operate the coalition: admins and members.")
demo_cli = AppGroup("demo", help="The fictional demo coalition.")


def register_core_commands(app: Flask) -> None:
    """Add `flask coalition …` and `flask demo …`."""
    app.cli.add_command(coalition_cli)
    app.cli.add_command(demo_cli)


@coalition_cli.command("check")
def check() -> None:
    """Print the engines this configuration uses."""
    from flask import current_app

    config = current_app.config
    click.echo(f"database: {config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    click.echo(f"search: {config['SEARCH_BACKEND']}")


@coalition_cli.command("create-admin")
@click.option("--email", required=True, help="The admin's login e-mail.")
@click.option("--name", required=True, help="The admin's full name.")
@click.option("--password", help="Asked for (hidden) when not given.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create a coalition admin, or make the existing account with this e-mail one."""
    from coalition.extensions import db
    from coalition.services.accounts import PasswordRejected, create_coalition_admin, find_user

    if find_user(email) is None and password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_coalition_admin(email, name, password)
    except PasswordRejected as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"coalition admin: {user.email} (user {user.id})")


@coalition_cli.command("flag-stale")
def flag_stale() -> None:
    """Mail the editors of programmes not confirmed for 90 days (run it weekly)."""
    from coalition.extensions import db
    from coalition.services.programmes import notify_stale_editors

    sent = notify_stale_editors()
    db.session.commit()
    click.echo(f"sent {sent} reminder(s)")

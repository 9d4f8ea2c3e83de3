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


@coalition_cli.command("add-member")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--slug", required=True, help="Its URL name (lower-case, digits, hyphens).")
@click.option("--enterprise-number", required=True, help="KBO/BCE number, e.g. 0123.456.749.")
@click.option("--website", help="Its website.")
def add_member(name: str, slug: str, enterprise_number: str, website: str | None) -> None:
    """Admit an organisation directly; a second run with the same slug changes nothing."""
    from flask_babel import force_locale

    from coalition.extensions import db
    from coalition.services.members import MembershipError
    from coalition.services.members import add_member as admit

    with force_locale("en"):
        try:
            organisation, created = admit(
                name=name, slug=slug, enterprise_number=enterprise_number, website=website
            )
        except MembershipError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from error
    db.session.commit()
    if created:
        click.echo(f"member added: {organisation.slug} (organisation {organisation.id})")
    else:
        click.echo(
            f"unchanged: {organisation.slug} is already a member (organisation {organisation.id})"
        )


@demo_cli.command("seed")
@click.option("--force", is_flag=True, help="Seed even when DEMO_MODE is off.")
def demo_seed(force: bool) -> None:
    """Load the fictional demo coalition (idempotent; demo mode only)."""
    from flask import current_app
    from flask_babel import force_locale

    from coalition.demo import DEMO_PASSWORD, seed
    from coalition.extensions import db

    if not current_app.config.get("DEMO_MODE") and not force:
        raise click.ClickException("the demo data is loaded only with DEMO_MODE=1 (or --force)")
    with force_locale("en"):
        counts = seed()
    db.session.commit()
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()))
    click.echo(
        f"demo logins: admin@coalition.example, admin@duo-for-a-job.example, ... "
        f"password {DEMO_PASSWORD}"
    )

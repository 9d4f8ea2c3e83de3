"""`flask demo seed`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from coalition.demo.services import DEMO_PASSWORD, seed
from coalition.extensions import db

demo_cli = AppGroup("demo", help="The fictional demo coalition.")


@demo_cli.command("seed")
@click.option("--force", is_flag=True, help="Seed even when DEMO_MODE is off.")
def demo_seed(force: bool) -> None:
    """Load the fictional demo coalition (idempotent; demo mode only)."""
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

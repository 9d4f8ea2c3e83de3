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

"""The core's `flask` commands: `flask coalition …` (each domain's), `flask mentors …` and
`flask demo …`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from coalition.accounts.cli import create_admin
from coalition.demo.cli import demo_cli
from coalition.impact.cli import add_branch
from coalition.members.cli import add_member
from coalition.mentors.cli import mentors_cli
from coalition.programmes.cli import flag_stale

coalition_cli = AppGroup(
    "coalition", help="Operate the coalition: admins, members and their branches."
)


@coalition_cli.command("check")
def check() -> None:
    """Print the engines this configuration uses."""
    config = current_app.config
    click.echo(f"database: {config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    click.echo(f"search: {config['SEARCH_BACKEND']}")


for command in (create_admin, flag_stale, add_member, add_branch):
    coalition_cli.add_command(command)


def register_commands(app: Flask) -> None:
    """Add `flask coalition …`, `flask mentors …` and `flask demo …`."""
    app.cli.add_command(coalition_cli)
    app.cli.add_command(mentors_cli)
    app.cli.add_command(demo_cli)

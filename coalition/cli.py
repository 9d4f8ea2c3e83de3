"""The core's `flask` commands: `flask coalition …` (each domain's), `flask mentors …` and
`flask demo …`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

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


#: how SQLite and PostgreSQL say a table is missing
MISSING_TABLE = re.compile(r'no such table: (\S+)|relation "([^"]+)" does not exist')


def explain_unmigrated(app: Flask) -> None:
    """Make every command (but `flask db …`) say "run `flask db upgrade`" on an unmigrated
    database instead of printing SQLAlchemy's traceback. Called once the parts registered."""
    for name, command in app.cli.commands.items():
        if name != "db":
            _guard(command)


def _guard(command: click.Command) -> None:
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _guard(sub)
    elif command.callback is not None and not getattr(command.callback, "_guarded", False):
        command.callback = _guarded(command.callback)


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            found = MISSING_TABLE.search(str(error.orig))
            if found is None:
                raise
            table = found.group(1) or found.group(2)
            raise click.ClickException(
                f"the database has no table {table}: run `flask db upgrade` first"
            ) from None

    run._guarded = True  # type: ignore[attr-defined]
    return run

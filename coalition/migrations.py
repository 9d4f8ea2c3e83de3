"""The schema's migrations (Flask-Migrate over alembic, in the `migrations/` folder), loaded
when they are needed: by the `flask db …` commands and the tests' schema. Alembic and its
templates weigh about 9 MB, which no web worker needs to serve a request.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from coalition.config import PROJECT_ROOT
from coalition.extensions import db

MIGRATIONS = PROJECT_ROOT / "migrations"


def init_migrations(app: Flask) -> None:
    """Configure Flask-Migrate on `app` (once), so that `flask_migrate.upgrade()` and the
    `flask db` commands find the migrations; batch mode lets SQLite alter tables."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's own group (its options, callback and commands), loaded
    when `flask db` is called, not when the app starts."""

    def _group(self, ctx: click.Context | None) -> click.Group:
        info = ctx.find_object(ScriptInfo) if ctx is not None else None
        if info is None:
            raise click.UsageError("`db` runs as `flask db …`, with the platform's app.")
        init_migrations(info.load_app())  # Flask-Migrate then puts its own group in app.cli
        from flask_migrate.cli import db as group

        return group

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        group = self._group(parent)
        self.params, self.callback = group.params, group.callback
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._group(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._group(ctx).get_command(ctx, cmd_name)


def register_migration_commands(app: Flask) -> None:
    app.cli.add_command(MigrationCommands("db", help="Perform database migrations."))


def upgrade_schema(revision: str = "heads") -> None:
    """Bring the current app's database to `revision`, as `flask db upgrade` does (the
    tests build their schemas so)."""
    init_migrations(current_app._get_current_object())
    import flask_migrate

    flask_migrate.upgrade(revision=revision)

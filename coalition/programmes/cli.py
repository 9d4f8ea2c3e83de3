"""`flask coalition flag-stale`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from coalition.extensions import db
from coalition.programmes.stale import notify_stale_editors


@click.command("flag-stale")
@with_appcontext
def flag_stale() -> None:
    """Mail the editors of programmes nobody confirmed for too long (run it weekly)."""
    sent = notify_stale_editors()
    db.session.commit()
    click.echo(f"sent {sent} reminder(s)")

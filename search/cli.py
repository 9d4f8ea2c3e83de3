"""`flask search sync | status | reindex`."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

from search.backends.interface import SearchUnavailable
from search.documents import published_count
from search.jobs import drain, outbox_length, reindex_all
from search.services import get_backend

search_cli = AppGroup("search", help="The programme search index.")


@search_cli.command("sync")
@click.option("--all", "ignore_backoff", is_flag=True, help="Retry rows that are backing off.")
def sync_command(ignore_backoff: bool) -> None:
    """Send the waiting changes (the outbox) to the search index."""
    done = drain(max_batches=10_000, ignore_backoff=ignore_backoff)
    left = outbox_length()
    click.echo(f"indexed {done} change(s); {left} waiting")
    if left:
        raise SystemExit(1)


@search_cli.command("status")
def status_command() -> None:
    """Outbox length, and documents in the index against published programmes."""
    backend = get_backend()
    click.echo(f"backend: {type(backend).__name__}")
    click.echo(f"outbox: {outbox_length()}")
    click.echo(f"published programmes: {published_count()}")
    try:
        click.echo(f"indexed documents: {backend.count()}")
    except SearchUnavailable as error:
        click.echo(f"indexed documents: unavailable ({error})")
        raise SystemExit(1) from None


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the index beside the live one, then switch (searches keep working)."""
    started = time.monotonic()
    count = reindex_all()
    elapsed = time.monotonic() - started
    click.echo(f"reindexed {count} programme(s) in {elapsed:.2f} s")


def register_commands(app: Flask) -> None:
    """Add `flask search …`."""
    app.cli.add_command(search_cli)

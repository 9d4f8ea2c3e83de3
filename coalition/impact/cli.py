"""`flask coalition add-branch`."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from coalition import postcodes
from coalition.branches.models import Branch
from coalition.branches.services import BranchError
from coalition.branches.services import add_branch as create_branch
from coalition.extensions import db
from coalition.members.models import Organisation


@click.command("add-branch")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--postcode", required=True, help="The branch's postcode.")
@click.option("--country", default="BE", show_default=True, help="BE, FR or NL.")
@click.option("--opened", type=click.DateTime(["%Y-%m-%d"]), help="When it opened (YYYY-MM-DD).")
@click.option("--name", help="Its name (default: the organisation's name and the city).")
@with_appcontext
def add_branch(slug: str, postcode: str, country: str, opened, name: str | None) -> None:
    """Add a branch to a member; a second run with the same organisation and postcode
    changes nothing."""
    organisation = db.session.execute(
        select(Organisation).where(Organisation.slug == slug.strip().lower())
    ).scalar_one_or_none()
    if organisation is None:
        raise click.ClickException(f"org: no member organisation has the slug {slug!r}")
    country = country.strip().upper()
    place = postcodes.lookup(postcode, country)
    if place is not None:
        existing = db.session.execute(
            select(Branch).where(
                Branch.organisation_id == organisation.id,
                Branch.postcode == place.postcode,
                Branch.country == place.country,
            )
        ).scalar_one_or_none()
        if existing is not None:
            click.echo(
                f"unchanged: {slug} already has a branch in {place.postcode} (branch {existing.id})"
            )
            return
    opened_on: date | None = opened.date() if opened else None
    with force_locale("en"):
        try:
            branch = create_branch(
                organisation,
                None,
                name=name or f"{organisation.name} {place.city if place else postcode}",
                postcode=postcode,
                country=country,
                opened_on=opened_on,
            )
        except BranchError as error:
            db.session.rollback()
            raise click.ClickException(f"{error.field}: {error.message}") from error
    db.session.commit()
    new = " (a new city)" if branch.is_new else ""
    click.echo(f"branch added: {slug} in {branch.postcode} {branch.city}{new} (branch {branch.id})")

"""`flask coalition add-member`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from coalition.extensions import db
from coalition.members.services import MembershipError
from coalition.members.services import add_member as admit_member


@click.command("add-member")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--slug", required=True, help="Its URL name (lower-case, digits, hyphens).")
@click.option("--enterprise-number", required=True, help="KBO/BCE number, e.g. 0123.456.749.")
@click.option("--website", help="Its website.")
@with_appcontext
def add_member(name: str, slug: str, enterprise_number: str, website: str | None) -> None:
    """Admit an organisation directly; a second run with the same slug changes nothing."""
    with force_locale("en"):
        try:
            organisation, created = admit_member(
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

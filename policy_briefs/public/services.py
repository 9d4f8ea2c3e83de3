"""What the public sees of the briefs: published ones (and withdrawn ones that had been)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.extensions import db
from coalition.sitemap import SitemapPage, row_pages
from policy_briefs.models import Brief, Signature
from policy_briefs.render import Rendered, plain_text, render_all


@dataclass
class PublishedBrief:
    """A brief as it was published: its document, rendered, and its signatories."""

    brief: Brief
    content: dict[str, Any]
    sections: list[Rendered]
    signatures: list[Signature]
    versions: list[Brief]

    @property
    def withdrawn(self) -> bool:
        return self.brief.withdrawn_at is not None


def _public():
    return select(Brief).where(Brief.published_at.is_not(None))


def public_briefs(lang: str) -> list[Brief]:
    """One version of every published brief (the one in `lang` if it has one), latest first."""
    groups: dict[Any, Brief] = {}
    for brief in db.session.scalars(_public().order_by(Brief.published_at.desc())):
        chosen = groups.get(brief.translation_group)
        if chosen is None or (brief.language == lang and chosen.language != lang):
            groups[brief.translation_group] = brief
    return sorted(groups.values(), key=lambda b: b.published_at, reverse=True)


def public_pages() -> Iterator[SitemapPage]:
    """The briefs' public pages for the sitemap: the list and every published brief."""
    yield SitemapPage("policy_briefs.index")
    briefs = _public().with_only_columns(Brief.slug, Brief.updated_at)
    yield from row_pages("policy_briefs.brief", "slug", briefs.order_by(Brief.id))


def versions(brief: Brief) -> list[Brief]:
    """The published versions of the brief in other languages."""
    return list(
        db.session.scalars(
            _public()
            .where(Brief.translation_group == brief.translation_group, Brief.id != brief.id)
            .order_by(Brief.language)
        )
    )


def signatories(brief: Brief) -> list[Signature]:
    """The signatures of the published content, in the order they were given."""
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.brief_id == brief.id,
                Signature.content_hash == brief.content_hash,
                Signature.voided_at.is_(None),
            )
            .options(selectinload(Signature.organisation))
            .order_by(Signature.signed_at, Signature.id)
        )
    )


def published(slug: str) -> PublishedBrief | None:
    """The brief published at `slug`, exactly as signed; None if there is none."""
    brief = db.session.scalar(_public().where(Brief.slug == slug))
    if brief is None:
        return None
    content = json.loads(brief.published_document)
    sections = render_all(content["sections"], content["figures"], content["language"])
    return PublishedBrief(brief, content, sections, signatories(brief), versions(brief))


def summary(brief: Brief, length: int = 280) -> str:
    """The beginning of the brief's published text, as plain words (for the feed)."""
    content = json.loads(brief.published_document)
    sections = [plain_text(s, content["figures"], content["language"]) for s in content["sections"]]
    text = " ".join(" ".join(sections).split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"

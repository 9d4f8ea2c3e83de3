"""The sitemap lists the published briefs, registered by the briefs part; never a draft."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from policy_briefs.models import Brief, BriefStatus
from tests.coalition.site.sitemap import read_sitemap


def test_published_briefs_are_in_the_sitemap_and_others_are_not(runner, client, db):
    assert runner.invoke(args=["demo", "seed", "--force"]).exit_code == 0
    briefs = db.session.scalars(select(Brief)).all()
    paths = {urlsplit(entry.loc).path for entry in read_sitemap(client)}
    published = [b for b in briefs if b.status == BriefStatus.published]
    assert len(published) == 3
    for brief in briefs:
        listed = {f"/{lang}/briefs/{brief.slug}" for lang in ("fr", "nl", "en")} <= paths
        assert listed == (brief.status == BriefStatus.published), brief.status

"""`flask demo seed` adds the demo briefs: one published in three linked languages and
signed by three organisations, one in review with an open comment. Idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from policy_briefs.comments.services import threads
from policy_briefs.models import Brief, BriefStatus, SectionRevision, Signature
from policy_briefs.public import services as public


def counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Brief, SectionRevision, Signature)
    )


def test_the_demo_adds_a_published_brief_in_three_languages_and_one_in_review(runner, db):
    result = runner.invoke(args=["demo", "seed", "--force"])
    assert result.exit_code == 0, result.output
    briefs = db.session.scalars(select(Brief).order_by(Brief.id)).all()
    published = [b for b in briefs if b.status == BriefStatus.published]
    assert sorted(b.language for b in published) == ["en", "fr", "nl"]
    assert len({b.translation_group for b in published}) == 1
    for brief in published:
        shown = public.published(brief.slug)
        assert len(shown.signatures) == 3
        assert {v.language for v in shown.versions} == {"fr", "nl", "en"} - {brief.language}
    [review] = [b for b in briefs if b.status == BriefStatus.review]
    [thread] = [t for s in review.current_sections for t in threads(s)]
    assert thread.comment.resolved_at is None and not thread.passage_gone

    before = counts(db)
    again = runner.invoke(args=["demo", "seed", "--force"])
    assert again.exit_code == 0, again.output
    assert counts(db) == before

"""A brief's way to publication: review, sign-off, signatures, publishing, withdrawal.

Moving to sign-off freezes the text: the figures it quotes keep their value and date, and
the content hash is fixed. Each co-authoring organisation's admin signs that hash. Any
change afterwards (a section's text, their order, the title, a figure's frozen value)
voids every signature and returns the brief to review. When every co-authoring
organisation has signed the current hash, the lead publishes.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.audit.services import record
from coalition.database import utcnow
from coalition.extensions import db
from coalition.i18n import current_language
from coalition.impact.figures import named_figures
from coalition.members.models import Organisation
from policy_briefs import permissions
from policy_briefs.models import Brief, BriefStatus, CoAuthorStatus, Signature, lock_brief
from policy_briefs.render import frozen, quoted_names, slugify
from policy_briefs.signing import canonical, content_hash, document, sha256
from policy_briefs.states import TransitionRefused, can_move, ensure_editable


class SignatureRefused(ValueError):
    """The signature cannot be given; the message says why."""


def _move(brief: Brief, target: BriefStatus) -> None:
    if not can_move(brief.status, target):
        raise TransitionRefused(_("The brief cannot take that step from where it stands."))
    brief.status = target


def _back_to_review(brief: Brief, actor: User | None, change: str) -> None:
    now = utcnow()
    voided = brief.active_signatures
    for signature in voided:
        signature.voided_at = now
    brief.status = BriefStatus.review
    brief.frozen_figures = None
    record(
        "brief.back_to_review",
        actor=actor,
        organisation=brief.lead_organisation_id,
        target=brief,
        change=change,
        signatures_voided=len(voided),
    )


def content_changed(brief: Brief, actor: User | None, change: str) -> None:
    """Take note of a change of the signed content (call it under `lock_brief`).

    In sign-off it voids every signature and returns the brief to review.

    :raise NotEditable: the brief is published or withdrawn.
    """
    ensure_editable(brief.status)
    if brief.status == BriefStatus.sign_off:
        _back_to_review(brief, actor, change)


def send_to_review(brief: Brief, actor: User) -> Brief:
    """Draft → review: the co-authoring organisations are asked for their comments."""
    brief = lock_brief(brief.id)
    _move(brief, BriefStatus.review)
    record("brief.review", actor=actor, organisation=brief.lead_organisation_id, target=brief)
    return brief


def sign_off_problems(brief: Brief) -> list[str]:
    """Why the brief cannot go to sign-off yet (empty when it can)."""
    problems = []
    for coauthor in brief.coauthors:
        if coauthor.status == CoAuthorStatus.invited:
            problems.append(
                _(
                    "%(name)s has not answered the invitation yet.",
                    name=coauthor.organisation.display_name(current_language()),
                )
            )
    sections = brief.current_sections
    if not any(section.text.strip() for section in sections):
        problems.append(_("The brief has no text yet."))
    known = named_figures()
    for n, section in enumerate(sections, start=1):
        for name in quoted_names(section.text):
            if name not in known:
                problems.append(
                    _("Section %(n)d quotes an unknown figure: %(name)s.", n=n, name=name)
                )
    return problems


def open_sign_off(brief: Brief, actor: User) -> Brief:
    """Review → sign-off: freeze the figures quoted and fix the content to sign.

    :raise TransitionRefused: not in review, or `sign_off_problems` has something to say.
    """
    brief = lock_brief(brief.id)
    if not can_move(brief.status, BriefStatus.sign_off):
        raise TransitionRefused(_("Only a brief in review can go to sign-off."))
    problems = sign_off_problems(brief)
    if problems:
        raise TransitionRefused(" ".join(problems))
    brief.frozen_figures = quoted_figures(brief)
    brief.status = BriefStatus.sign_off
    record(
        "brief.sign_off",
        actor=actor,
        organisation=brief.lead_organisation_id,
        target=brief,
        content_hash=current_hash(brief),
    )
    return brief


def quoted_figures(brief: Brief) -> dict[str, dict]:
    """The figures the brief quotes, with their values now."""
    live = named_figures()
    names = [n for s in brief.current_sections for n in quoted_names(s.text) if n in live]
    return {name: frozen(live[name], brief.language) for name in dict.fromkeys(names)}


def refresh_figures(brief: Brief, actor: User) -> bool:
    """Compare the frozen figures with today's; if one moved, back to review (voided).

    :return: whether a frozen value changed.
    """
    brief = lock_brief(brief.id)
    if brief.status != BriefStatus.sign_off or quoted_figures(brief) == brief.frozen_figures:
        return False
    content_changed(brief, actor, "figures")
    return True


def return_to_review(brief: Brief, actor: User) -> Brief:
    """Sign-off → review, to change the text: the signatures given are voided."""
    brief = lock_brief(brief.id)
    if brief.status != BriefStatus.sign_off:
        raise TransitionRefused(_("The brief is not in sign-off."))
    _back_to_review(brief, actor, "reopened")
    return brief


def current_hash(brief: Brief) -> str:
    """The hash of the content as it stands (what a signer signs in sign-off)."""
    figures = brief.frozen_figures if brief.frozen_figures is not None else quoted_figures(brief)
    return content_hash(brief, figures)


def signature_of(brief: Brief, organisation_id: int) -> Signature | None:
    """The organisation's signature of the current content, if it gave one."""
    wanted = current_hash(brief)
    for signature in brief.active_signatures:
        if signature.organisation_id == organisation_id and signature.content_hash == wanted:
            return signature
    return None


def missing_signatures(brief: Brief) -> list[Organisation]:
    """The co-authoring organisations that have not signed the current content."""
    return [
        organisation
        for organisation in brief.organisations
        if organisation.id in permissions.coauthor_ids(brief)
        and signature_of(brief, organisation.id) is None
    ]


def sign(brief: Brief, organisation: Organisation, actor: User, seen_hash: str) -> Signature:
    """`actor` signs, for `organisation`, the content whose hash they were shown.

    :raise SignatureRefused: not in sign-off, not a co-author, already signed, or the
        content changed since the signer read it (`seen_hash` is not the current hash).
    """
    brief = lock_brief(brief.id)
    if brief.status != BriefStatus.sign_off:
        raise SignatureRefused(_("The brief is not in sign-off."))
    if organisation.id not in permissions.coauthor_ids(brief):
        raise SignatureRefused(_("This organisation does not co-author the brief."))
    current = current_hash(brief)
    if seen_hash != current:
        raise SignatureRefused(
            _("The content changed since you read it. Please read it again before signing.")
        )
    if signature_of(brief, organisation.id) is not None:
        raise SignatureRefused(_("This organisation has already signed the brief."))
    signature = Signature(
        brief=brief, organisation_id=organisation.id, user_id=actor.id, content_hash=current
    )
    db.session.add(signature)
    db.session.flush()
    record("brief.sign", actor=actor, organisation=organisation, target=brief, hash=current)
    return signature


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100]
    taken = set(db.session.scalars(select(Brief.slug).where(Brief.slug.like(f"{base}%"))))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def publish(brief: Brief, actor: User) -> Brief:
    """Sign-off → published, once every co-authoring organisation signed the content.

    The signed serialisation becomes the public document, and never changes again.

    :raise TransitionRefused: not in sign-off, or an organisation has not signed.
    """
    brief = lock_brief(brief.id)
    if brief.status != BriefStatus.sign_off:
        raise TransitionRefused(_("Only a brief in sign-off can be published."))
    missing = missing_signatures(brief)
    if missing:
        names = ", ".join(o.display_name(current_language()) for o in missing)
        raise TransitionRefused(_("Not signed yet by: %(names)s.", names=names))
    published = canonical(document(brief, brief.frozen_figures or {}))
    brief.published_document = published
    brief.content_hash = sha256(published)
    brief.slug = _unique_slug(brief.title)
    brief.published_at = utcnow()
    _move(brief, BriefStatus.published)
    db.session.flush()
    record(
        "brief.publish",
        actor=actor,
        organisation=brief.lead_organisation_id,
        target=brief,
        hash=brief.content_hash,
        slug=brief.slug,
    )
    return brief


def withdraw(brief: Brief, actor: User, reason: str = "") -> Brief:
    """Withdraw the brief; a published one stays at its address with a notice."""
    brief = lock_brief(brief.id)
    _move(brief, BriefStatus.withdrawn)
    brief.withdrawn_at = utcnow()
    brief.withdrawal_reason = reason.strip() or None
    record("brief.withdraw", actor=actor, organisation=brief.lead_organisation_id, target=brief)
    return brief

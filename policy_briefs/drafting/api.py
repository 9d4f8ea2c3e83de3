"""The section's JSON endpoint: the editor's script saves through it (session cookie and
the `X-CSRFToken` header), with the same merge rule as the HTML form.

    PUT /<lang>/staff/briefs/<brief id>/sections/<section id>.json
        {"base_revision": 3, "text": "…"}
    200 the new revision ("merged": true when it merged)   409 {"conflict": {…}}
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from marshmallow import ValidationError

from coalition.access import current_user
from coalition.errors import error_pointers, problem
from coalition.extensions import db
from policy_briefs import permissions
from policy_briefs.drafting import services
from policy_briefs.drafting.schemas import ConflictSchema, SavedSchema, SectionSaveSchema
from policy_briefs.models import Section
from policy_briefs.render import brief_figures, render
from policy_briefs.states import NotEditable

bp = Blueprint("brief_sections_api", __name__)


def _section(brief_id: int, section_id: int, need: str) -> Section:
    if current_user() is None:
        abort(401)
    brief = permissions.brief_for(brief_id, need)
    section = db.get_or_404(Section, section_id)
    if section.brief_id != brief.id:
        abort(404)
    return section


def _answer(saved: services.Saved, section: Section):
    """The head revision after a save, with its text rendered as the page shows it."""
    revision, brief = saved.revision, section.brief
    return SavedSchema().dump(
        {
            "section_id": revision.section_id,
            "number": revision.number,
            "parent": revision.parent,
            "base": revision.base,
            "restored_from": revision.restored_from,
            "text": revision.text,
            "author": revision.author,
            "organisation": revision.organisation,
            "created_at": revision.created_at,
            "merged": saved.merged,
            "changed": saved.changed,
            "html": str(render(revision.text, brief_figures(brief), brief.language).html),
        }
    )


@bp.get("/<int:brief_id>/sections/<int:section_id>.json")
def get_section(brief_id: int, section_id: int):
    """The section's head revision."""
    section = _section(brief_id, section_id, "read")
    return _answer(services.Saved(section.head_revision, changed=False), section)


@bp.put("/<int:brief_id>/sections/<int:section_id>.json")
def put_section(brief_id: int, section_id: int):
    """Save the section's text written from `base_revision`; merge or answer a conflict."""
    section = _section(brief_id, section_id, "edit")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, "Malformed JSON", "Send a JSON object: base_revision and text.")
    try:
        data = SectionSaveSchema().load(body)
    except ValidationError as error:
        return problem(422, "Invalid body", errors=error_pointers(error.messages))
    user = current_user()
    organisation_id = permissions.acting_organisation(user, section.brief, "write_briefs")
    try:
        saved = services.save_section(
            section, data["base_revision"], data["text"], user, organisation_id
        )
    except services.Conflict as conflict:
        return problem(
            409,
            "Conflicting edits",
            "Edits saved meanwhile change the same words; your text was not saved.",
            conflict=ConflictSchema().dump(
                {
                    "base": conflict.base.text,
                    "theirs": conflict.theirs.text,
                    "yours": conflict.yours,
                    "base_revision": conflict.base.number,
                    "theirs_revision": conflict.theirs.number,
                }
            ),
        )
    except services.InvalidText as invalid:
        errors = [{"pointer": f"/{k}", "detail": v} for k, v in invalid.errors.items()]
        return problem(422, "Invalid body", errors=errors)
    except services.SectionRemoved:
        return problem(409, "Section removed", "The section was removed; put it back first.")
    except NotEditable:
        return problem(409, "Brief final", "The brief is published or withdrawn.")
    db.session.commit()
    return _answer(saved, section)

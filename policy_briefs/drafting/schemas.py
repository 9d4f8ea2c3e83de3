"""The section endpoint's JSON, in and out."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from policy_briefs.drafting.services import MAX_TEXT


class SectionSaveSchema(Schema):
    """`PUT …/sections/<id>.json`: the author's text and the revision they started from."""

    class Meta:
        unknown = RAISE

    base_revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    text = fields.String(required=True, validate=validate.Length(max=MAX_TEXT))


class NamedSchema(Schema):
    """A revision's author or organisation: its id and its name."""

    id = fields.Integer()
    name = fields.String()


class RevisionSchema(Schema):
    """A section's revision; `merged` says the save was merged with edits made meanwhile."""

    section_id = fields.Integer()
    number = fields.Integer()
    #: the revision it follows, and the one its author started from
    parent = fields.Integer(allow_none=True)
    base = fields.Integer(allow_none=True)
    merged = fields.Boolean()
    restored_from = fields.Integer(allow_none=True)
    text = fields.String()
    author = fields.Nested(NamedSchema, allow_none=True)
    organisation = fields.Nested(NamedSchema, allow_none=True)
    created_at = fields.DateTime()


class SavedSchema(RevisionSchema):
    """The answer to a save: the head revision, and its text rendered for the page."""

    #: whether the save made a new revision (saving the same text again does not)
    changed = fields.Boolean()
    html = fields.String()


class ConflictSchema(Schema):
    """The three texts of a conflict: what the author started from, the current text
    (saved by others meanwhile) and the author's own, which was not saved."""

    base = fields.String()
    theirs = fields.String()
    yours = fields.String()
    base_revision = fields.Integer()
    theirs_revision = fields.Integer()

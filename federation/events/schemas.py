"""Marshmallow schemas of the event feed: an event (also the body of a webhook delivery),
a page of the feed and its query parameters."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from federation.events.feed import CURSOR, MAX_PAGE, encode_cursor
from federation.events.models import offered_event_types

#: the cursors' format, as the OpenAPI document states it
#: empty reads from the start of the feed, as no `after` does
CURSOR_PATTERN = f"^({CURSOR.pattern})?$"


class EventSchema(Schema):
    """One event of the organisation's feed (also the body of a webhook delivery)."""

    id = fields.UUID(attribute="uuid", metadata={"description": "Unique: de-duplicate on it."})
    type = fields.String(validate=validate.OneOf(offered_event_types()))
    created_at = fields.AwareDateTime()
    data = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Ids of the objects concerned; never personal data."},
    )
    cursor = fields.Function(
        encode_cursor,
        metadata={
            "description": "Resume the feed just after this event.",
            "type": "string",
            "pattern": CURSOR_PATTERN,
        },
    )


class EventPageSchema(Schema):
    """A page of the event feed (a `FeedPage`)."""

    events = fields.List(fields.Nested(EventSchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={
            "description": "Pass as `after` to get the next events; the same cursor "
            "again when there are none yet.",
            "pattern": CURSOR_PATTERN,
        },
    )
    has_more = fields.Boolean()


class EventQuerySchema(Schema):
    """Query parameters of `GET /events`."""

    class Meta:
        unknown = EXCLUDE

    after = fields.String(
        validate=validate.Length(max=100),
        metadata={
            "description": "A cursor from an earlier page (`e3.` and two numbers; cursors "
            "issued before this format, base64 texts, are still taken); empty or absent: "
            "from the start of the feed.",
            "pattern": CURSOR_PATTERN,
        },
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE))

"""Marshmallow schemas of the OAuth part: what `flask federation create-client` prints."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_dump


class NewClientSchema(Schema):
    """A client just registered (`NewClient`), with its secret when it has one (shown once)."""

    client_id = fields.String(attribute="client.client_id")
    scopes = fields.List(fields.String(), attribute="client.scopes")
    token_endpoint_auth_method = fields.String(attribute="client.token_endpoint_auth_method")
    client_secret = fields.String()

    @post_dump
    def _without_absent_secret(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if data.get("client_secret") is None:
            data.pop("client_secret", None)
        return data

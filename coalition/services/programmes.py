"""Transitional: re-exports for search/ and federation/ until they import the domain modules;
removed when the branches merge (the mapping: /work/notes/coalition-moves.txt)."""

from coalition.programmes.moderation import unpublish_by_coalition
from coalition.programmes.services import (
    ProgrammeStateError,
    archive_programme,
    confirm_programme,
    create_programme,
    get_by_external_id,
    publish_programme,
    unpublish_programme,
    update_programme,
    upsert_programme,
)

__all__ = [
    "ProgrammeStateError",
    "archive_programme",
    "confirm_programme",
    "create_programme",
    "get_by_external_id",
    "publish_programme",
    "unpublish_by_coalition",
    "unpublish_programme",
    "update_programme",
    "upsert_programme",
]

"""What the organisations sign: the SHA-256 of a canonical serialisation of the brief.

The serialisation holds everything a reader of the published brief reads: its language,
its title, the text of every section in order and the frozen value and date of every
figure quoted. It is JSON with sorted keys, no insignificant white space and the text as
UTF-8, so that anyone holding the published document can recompute the hash shown on
the public page (`sha256sum` of the document's bytes).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from policy_briefs.models import Brief

#: names the format, so that a later change of the serialisation cannot be confused
FORMAT = "bmp-policy-brief/1"


def document(brief: Brief, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The brief's signed content, given the figures it quotes."""
    return {
        "format": FORMAT,
        "language": brief.language,
        "title": brief.title,
        "sections": [section.text for section in brief.current_sections],
        "figures": figures,
    }


def canonical(content: dict[str, Any]) -> str:
    """The one serialisation of `content` that is hashed and published."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(serialised: str) -> str:
    """The hex SHA-256 of a serialisation's UTF-8 bytes."""
    return hashlib.sha256(serialised.encode("utf-8")).hexdigest()


def content_hash(brief: Brief, figures: dict[str, dict[str, Any]]) -> str:
    """The hash an organisation signs for the brief as it stands."""
    return sha256(canonical(document(brief, figures)))

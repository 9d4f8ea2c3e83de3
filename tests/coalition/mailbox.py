"""Reading the mails that the `file` backend wrote, as a user reads their mailbox."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import Flask


def mails_to(app: Flask, address: str) -> list[EmailMessage]:
    """The mails written to `address`, oldest first."""
    found = []
    for path in sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            found.append(message)
    return found


def link_in(message: EmailMessage) -> str:
    """The path of the platform link in a mail (`/nl/invitation/…`, `/fr/reset/…`)."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.get_content())
    assert match, "no link in the mail"
    return match.group(1)


def token_from(message: EmailMessage) -> str:
    """The token at the end of the mail's link."""
    return link_in(message).rsplit("/", 1)[1]

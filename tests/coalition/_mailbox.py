"""Read the mails the file backend wrote during a test."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path


class Mailbox:
    """The .eml files written to `MAIL_FILE_DIR` since the mailbox was opened."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.seen = set(self.folder.glob("*.eml")) if self.folder.exists() else set()

    def new(self) -> list[EmailMessage]:
        """The messages written since the last call, oldest first."""
        files = sorted(set(self.folder.glob("*.eml")) - self.seen) if self.folder.exists() else []
        self.seen.update(files)
        return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

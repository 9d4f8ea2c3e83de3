"""Outgoing mail through a pluggable backend: `console`, `file` (development) or `smtp`.

The backend is chosen by the `MAIL_BACKEND` configuration key. Callers render the body
from a template under `templates/coalition/mail/` in the recipient's language (see
`render_mail`), or a reminder's list with `reminder_text`, and hand it to `send_mail`.
Nothing here logs a body: mails carry tokens.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

log = logging.getLogger(__name__)


def render_mail(template: str, language: str, **context: Any) -> str:
    """Render `templates/coalition/mail/<template>.txt` in `language`."""
    with force_locale(language):
        return render_template(f"coalition/mail/{template}.txt", language=language, **context)


def build_message(to: str, subject: str, body_text: str, language: str) -> EmailMessage:
    """A plain-text UTF-8 message from the platform's sender address."""
    config = current_app.config
    message = EmailMessage()
    # set_content first: it clears every Content-* header, Content-Language included.
    message.set_content(body_text)
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="mentoring.example")
    message["Content-Language"] = language
    message["Auto-Submitted"] = "auto-generated"
    return message


def redacted(address: str) -> str:
    """`someone@example.org` → `s***@example.org`, for logs."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def _send_console(message: EmailMessage) -> None:
    print(message.as_string(), flush=True)


def _send_file(message: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_FILE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(message.as_bytes())


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


BACKENDS = {"console": _send_console, "file": _send_file, "smtp": _send_smtp}


def send_mail(
    to: str, subject: str, body_text: str, language: str, *, log_as: str | None = None
) -> None:
    """Send a plain-text mail to `to` through the configured backend.

    :param language: the recipient's language, declared in `Content-Language`.
    :param log_as: what the log line calls the recipient instead of their redacted
        address (a member of the public whose address must not reach the logs at all).
    :raise KeyError: `MAIL_BACKEND` names no known backend.
    """
    backend = current_app.config["MAIL_BACKEND"]
    message = build_message(to, subject, body_text, language)
    BACKENDS[backend](message)
    log.info("mail sent via %s to %s: %s", backend, log_as or redacted(to), subject)


def reminder_text(name: str, why: str, items: Iterable[str], what_to_do: str, link: str) -> str:
    """The plain text of a reminder to a staff member, in the current locale: the greeting,
    why they are reminded, one line per item, what to do and where, the signature."""
    lines = [_("Hello %(name)s,", name=name), "", why, "", *(f"- {item}" for item in items)]
    lines += ["", what_to_do, link, "", "-- ", _("Mentoring coalition")]
    return "\n".join(lines) + "\n"


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link to `endpoint` on the platform's public address (`PUBLIC_URL`).

    Works outside a request too (commands, the worker), unlike `url_for(_external=True)`.
    """
    adapter = current_app.url_map.bind("platform.invalid", url_scheme="https")
    return current_app.config["PUBLIC_URL"] + adapter.build(endpoint, values)

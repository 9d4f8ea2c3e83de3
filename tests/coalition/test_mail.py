"""Outgoing mail: the file backend writes .eml files, the console backend prints."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from coalition.mail import public_url, redacted, render_mail, send_mail


def read_mails(app) -> list:
    """Every mail the file backend wrote, oldest first."""
    folder = Path(app.config["MAIL_FILE_DIR"])
    return [
        BytesParser(policy=policy.default).parsebytes(p.read_bytes())
        for p in sorted(folder.glob("*.eml"))
    ]


def test_file_backend_writes_a_message(app, tmp_path, make_app):
    other = make_app(MAIL_FILE_DIR=str(tmp_path / "mail"))
    with other.app_context():
        send_mail("someone@example.org", "Bonjour", "Le corps du message — é", "fr")
    [message] = read_mails(other)
    assert message["To"] == "someone@example.org"
    assert message["Subject"] == "Bonjour"
    assert message["Content-Language"] == "fr"
    assert "Le corps du message — é" in message.get_content()


def test_console_backend_prints_and_logs_redacted(make_app, capsys, caplog):
    other = make_app(MAIL_BACKEND="console")
    with other.app_context(), caplog.at_level("INFO"):
        send_mail("someone@example.org", "Hello", "secret-link-123", "en")
    assert "secret-link-123" in capsys.readouterr().out
    assert "someone@example.org" not in caplog.text
    assert "s***@example.org" in caplog.text
    assert "secret-link-123" not in caplog.text


def test_unknown_backend_is_refused(make_app):
    other = make_app(MAIL_BACKEND="pigeon")
    with other.app_context(), pytest.raises(KeyError):
        send_mail("someone@example.org", "Hello", "body", "en")


def test_smtp_backend_talks_smtp(make_app):
    """A real SMTP exchange with a tiny loopback server that records what it receives."""
    import socket
    import threading

    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        with conn:
            f = conn.makefile("rwb")
            f.write(b"220 test ESMTP\r\n")
            f.flush()
            in_data = False
            while line := f.readline():
                if in_data:
                    if line == b".\r\n":
                        in_data = False
                        f.write(b"250 ok\r\n")
                    else:
                        received.append(line)
                elif line.upper().startswith(b"EHLO"):
                    f.write(b"250 test\r\n")
                elif line.upper().startswith(b"DATA"):
                    in_data = True
                    f.write(b"354 go\r\n")
                elif line.upper().startswith(b"QUIT"):
                    f.write(b"221 bye\r\n")
                    f.flush()
                    break
                else:
                    f.write(b"250 ok\r\n")
                f.flush()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    other = make_app(
        MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False
    )
    with other.app_context():
        send_mail("someone@example.org", "Via SMTP", "Hallo daar", "nl")
    thread.join(timeout=10)
    server.close()
    data = b"".join(received)
    assert b"Subject: Via SMTP" in data
    assert b"Hallo daar" in data


def test_redacted_hides_the_local_part():
    assert redacted("marie.dupont@example.org") == "m***@example.org"


def test_links_use_the_public_address(app):
    with app.app_context():
        link = public_url("coalition.home", lang_code="nl")
    assert link == app.config["PUBLIC_URL"] + "/nl/"


def test_mail_templates_follow_the_recipients_language(app):
    with app.test_request_context("/en/"):
        text = render_mail("password_reset", "nl", name="An", link="http://x/y", minutes=60)
    assert "Hallo An" in text or "Dag An" in text

"""Sending mail: SMTP when ``MAIL_SERVER`` is configured, otherwise ``.eml`` files in OUTBOX_DIR.

The outbox keeps development and demo machines from mailing real chapters while letting anyone
open exactly what would have been sent.
"""

from __future__ import annotations

import os
import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

SMTP_TIMEOUT_SECONDS = 20


def message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from the configured sender."""
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_FROM"]
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2])
    mail.set_content(body)
    return mail


def send(messages: list[EmailMessage]) -> None:
    """Deliver ``messages`` over one SMTP connection, or write them to the outbox."""
    if not messages:
        return
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _send_smtp(messages, config)
    else:
        _write_outbox(messages, config["OUTBOX_DIR"])


def _send_smtp(messages: list[EmailMessage], config) -> None:
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for mail in messages:
            smtp.send_message(mail)


def _write_outbox(messages: list[EmailMessage], outbox: str) -> None:
    os.makedirs(outbox, exist_ok=True)
    for mail in messages:
        # Named by time first, so a listing reads in the order mail was sent.
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        path = os.path.join(outbox, name)
        with open(path, "wb") as handle:
            handle.write(mail.as_bytes())

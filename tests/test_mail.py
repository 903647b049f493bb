"""Mail leaves through SMTP when a server is configured, else lands in the outbox as .eml files."""

import email
import email.policy
import os
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from scheduler.models import AssignmentState
from scheduler.services import mail, publishing


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app_config):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    app_config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="tour@linktour.example"
    )
    yield collector
    controller.stop()


def test_messages_are_delivered_over_smtp_when_a_server_is_configured(smtp_server, app):
    mail.send(
        [
            mail.message("jo@example.edu", "Your event is scheduled", "Thursday 11 March"),
            mail.message("kim@example.edu", "Ihr Termin", "Grüße — 안녕하세요"),
        ]
    )

    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["jo@example.edu"], ["kim@example.edu"]]
    assert smtp_server.envelopes[0].mail_from == "tour@linktour.example"
    received = email.message_from_bytes(
        smtp_server.envelopes[1].content, policy=email.policy.default
    )
    assert received["Subject"] == "Ihr Termin"
    assert "안녕하세요" in received.get_content()
    assert not os.path.exists(app.config["OUTBOX_DIR"])


def test_publishing_emails_the_chapter_through_smtp(smtp_server, app, make):
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Ana")
    request = make.request(tour, contact_email="chapter@example.edu")
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    publishing.publish(tour, "coord@example.org")

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["chapter@example.edu"]
    body = email.message_from_bytes(envelope.content, policy=email.policy.default).get_content()
    assert "Speaker:    Ana" in body
    assert f"/feeds/chapter/{request.token}.ics" in body


def test_without_a_mail_server_messages_are_written_to_the_outbox(app):
    mail.send([mail.message("jo@example.edu", "Hello", "Body text")])

    [name] = os.listdir(app.config["OUTBOX_DIR"])
    assert name.endswith(".eml")
    with open(os.path.join(app.config["OUTBOX_DIR"], name), "rb") as handle:
        written = email.message_from_binary_file(handle, policy=email.policy.default)
    assert (written["To"], written["Subject"]) == ("jo@example.edu", "Hello")
    assert written.get_content().strip() == "Body text"


def test_the_default_outbox_is_instance_outbox():
    from scheduler.config import defaults

    settings = defaults("/srv/scheduler/instance")

    assert settings["MAIL_SERVER"] is None
    assert settings["OUTBOX_DIR"] == os.path.join("/srv/scheduler/instance", "outbox")

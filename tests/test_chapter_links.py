"""A chapter's private link by email: sent when the request is, and again on asking, to the
address on file only, with the same answer for an unknown address, and rate-limited."""

import logging
import smtplib

import pytest

from scheduler.extensions import db
from scheduler.services import mail
from tests.mailbox import outbox
from tests.test_mail import smtp_server  # noqa: F401  (a fixture)
from tests.test_request_form import FORM_URL, form_data, page_of, stored_requests


@pytest.fixture
def tour(make):
    from datetime import date

    return make.tour(
        start=date(2027, 3, 1), end=date(2027, 4, 25), request_deadline=date(2027, 1, 31)
    )


def test_sending_a_request_emails_its_private_link_to_the_contact(client, app, tour):
    response = client.post(FORM_URL, data=form_data(contact_email="jo@cornell.edu"))
    assert response.status_code == 303
    [saved] = stored_requests()

    [message] = outbox(app)
    assert message["To"] == "jo@cornell.edu"
    assert "Jamadang Tour Spring 2027" in message["Subject"]
    body = message.get_content()
    assert f"http://localhost/r/{saved.token}" in body
    assert "Goldwin Smith Hall, Ithaca, New York" in body

    confirmation = " ".join(client.get(response.headers["Location"]).get_data(as_text=True).split())
    assert "We have emailed it to <strong>jo@cornell.edu</strong>" in confirmation
    assert "cannot send it again" not in confirmation
    assert 'href="/lost-link"' in confirmation


def test_a_request_is_kept_when_its_email_cannot_leave(client, app, app_config, tour, monkeypatch):
    def refuse(messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(mail, "send", refuse)
    response = client.post(FORM_URL, data=form_data())
    assert response.status_code == 303
    [saved] = stored_requests()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We could not email your private link just now" in page
    assert "We have emailed it" not in page
    assert f"/r/{saved.token}" in page


def lost_link(client, address):
    return client.post("/lost-link", data={"contact_email": address})


def test_asking_again_mails_every_link_of_that_address_and_only_there(client, app, make, tour):
    other_tour = make.tour(name="Autumn Tour", slug="autumn")
    first = make.request(tour, contact_email="Jo@Cornell.edu", venue_name="Bailey Hall")
    second = make.request(other_tour, contact_email="Jo@Cornell.edu", venue_name="Statler Hall")
    someone_else = make.request(tour, contact_email="kim@bu.edu")

    response = lost_link(client, " jo@cornell.EDU ")

    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    [message] = outbox(app)
    assert message["To"] == "Jo@Cornell.edu"
    body = message.get_content()
    assert f"/r/{first.token}" in body and f"/r/{second.token}" in body
    assert "Bailey Hall" in body and "Statler Hall" in body
    assert someone_else.token not in body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, app, make, tour):
    make.request(tour, contact_email="jo@cornell.edu")
    known = lost_link(client, "jo@cornell.edu").get_data(as_text=True)
    unknown = lost_link(client, "nobody@cornell.edu").get_data(as_text=True)

    assert len(outbox(app)) == 1
    assert known.replace("jo@cornell.edu", "X") == unknown.replace("nobody@cornell.edu", "X")


def test_a_malformed_address_is_refused_beside_the_field(client, app):
    response = lost_link(client, "not an address")
    assert response.status_code == 400
    assert "Enter an email address like name@school.edu." in page_of(response).error(
        "contact_email"
    )
    assert outbox(app) == []


def test_the_form_works_without_javascript_and_carries_a_csrf_token(client):
    page = client.get("/lost-link").get_data(as_text=True)
    assert '<form method="post"' in page and 'name="csrf_token"' in page
    assert "<script" not in page
    assert 'href="/lost-link"' in client.get("/").get_data(as_text=True)


def test_asking_again_is_refused_without_a_csrf_token(app, app_config, make):
    """A second app on the same (migrated) database, with CSRF on as in production."""
    from scheduler import create_app

    app_config["WTF_CSRF_ENABLED"] = True
    strict = create_app(app_config)
    response = strict.test_client().post("/lost-link", data={"contact_email": "jo@cornell.edu"})
    assert response.status_code == 400
    with strict.app_context():
        db.engine.dispose()  # its own pool: no connection left open behind the test


def test_asking_again_is_rate_limited(client, app, make, tour):
    make.request(tour, contact_email="jo@cornell.edu")
    answers = [lost_link(client, "jo@cornell.edu").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert len(outbox(app)) == 5


def test_asking_again_over_smtp_reaches_the_server(smtp_server, app, make, tour):  # noqa: F811
    make.request(tour, contact_email="jo@cornell.edu")
    assert lost_link(app.test_client(), "jo@cornell.edu").status_code == 200
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["jo@cornell.edu"]


def test_no_token_reaches_a_log_while_links_are_sent(client, app, tour, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    client.post(FORM_URL, data=form_data())
    [saved] = stored_requests()
    lost_link(client, "jo@cornell.edu")

    def refuse(messages):
        raise smtplib.SMTPDataError(554, f"refused: {messages[0].get_content()}")

    monkeypatch.setattr(mail, "send", refuse)
    answer = lost_link(client, "jo@cornell.edu")
    assert answer.status_code == 200  # the same answer as for an unknown address
    assert "Check your inbox" in answer.get_data(as_text=True)
    assert "Could not email private links again: SMTPDataError" in caplog.text
    assert saved.token not in caplog.text

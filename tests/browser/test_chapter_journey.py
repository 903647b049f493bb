"""A chapter's whole journey in Chromium, with CSRF on and no help from JavaScript: open the
tour, send a bad date, see the message beside it with the input kept, fix it, send, open the
private link, edit, withdraw."""

import os
from datetime import date

from scheduler.extensions import db
from scheduler.models import Request, RequestState
from tests import factories


def shoot(page, artifacts_dir, name):
    page.screenshot(path=os.path.join(artifacts_dir, f"chapter-{name}.png"), full_page=True)


def test_chapter_requests_edits_and_withdraws_through_the_private_link(
    live_server, page, artifacts_dir
):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour(request_deadline=date(2027, 1, 31))
        factories.speaker(tour, display_name="Speaker Hope", full_name="Private Kim")

    page.goto(base + "/")
    shoot(page, artifacts_dir, "1-index")
    page.get_by_role("link", name="Jamadang Tour Spring 2027").click()
    page.get_by_role("link", name="Request a speaker").click()

    page.get_by_label("Chapter name").fill("LiNK at Cornell")
    page.get_by_label("School or university").fill("Cornell University")
    page.get_by_label("Your name").fill("Jo Student")
    page.get_by_label("Email").fill("jo@cornell.edu")
    page.get_by_label("Venue name").fill("Goldwin Smith Hall")
    page.get_by_label("Street address").fill("232 Tower Rd")
    page.get_by_label("City", exact=True).fill("Ithaca, New York")
    page.get_by_label("Speaker Hope").check()
    first = page.locator("#choices-0-first_date")
    first.fill("2027-06-15")
    page.get_by_role("button", name="Add another choice").click()
    page.locator("#choices-1-first_date").fill("2027-03-10")
    page.locator("#choices-1-kind").select_option("week")
    for day in ("Mon", "Fri", "Sat", "Sun"):
        page.locator("fieldset.choice").nth(1).get_by_label(day, exact=True).uncheck()
    page.get_by_role("button", name="Send request").click()

    error = page.locator("#choices-0-first_date-errors")
    assert "Choose a date between March 1 and April 25, 2027" in error.inner_text()
    assert first.input_value() == "2027-06-15"
    assert page.get_by_label("Venue name").input_value() == "Goldwin Smith Hall"
    assert "Local time at the venue: Eastern Time (Ithaca, New York)" in page.content()
    shoot(page, artifacts_dir, "2-bad-date")

    first.fill("2027-03-17")
    page.get_by_role("button", name="Send request").click()
    assert page.get_by_role("heading", name="Thank you, your request is in").is_visible()
    shoot(page, artifacts_dir, "3-confirmation")
    link = page.locator("#private-link").input_value()
    assert link.startswith(base + "/r/")

    page.goto(link)
    assert "any Tue, Wed, Thu of the week of March 8, 2027" in page.content()
    assert "Speaker Hope" in page.content() and "Private Kim" not in page.content()
    page.get_by_role("link", name="Change this request").click()
    assert page.get_by_label("Venue name").input_value() == "Goldwin Smith Hall"
    page.get_by_label("Venue name").fill("Bailey Hall")
    shoot(page, artifacts_dir, "4-edit")
    page.get_by_role("button", name="Save changes").click()
    assert "Your changes are saved." in page.content()
    assert "Bailey Hall" in page.content()
    shoot(page, artifacts_dir, "5-view")

    page.get_by_role("link", name="Withdraw…").click()
    shoot(page, artifacts_dir, "6-withdraw-confirm")
    page.get_by_role("button", name="Yes, withdraw this request").click()
    assert "You withdrew this request." in page.content()
    shoot(page, artifacts_dir, "7-withdrawn")

    with live_server.app.app_context():
        [stored] = db.session.execute(db.select(Request)).scalars().all()
        assert stored.venue_name == "Bailey Hall"
        assert stored.state == RequestState.WITHDRAWN


def test_after_publication_the_private_link_shows_the_confirmed_visit(
    live_server, page, artifacts_dir
):
    with live_server.app.app_context():
        tour = factories.tour(state="closed")
        speaker = factories.speaker(tour, display_name="Speaker Hope", full_name="Private Kim")
        chapter_request = factories.request(tour, dates=(date(2027, 3, 17), date(2027, 3, 18)))
        factories.assignment(chapter_request, speaker, date(2027, 3, 18))
        token = chapter_request.token

    page.goto(f"http://127.0.0.1:{live_server.server_port}/r/{token}")
    confirmed = page.locator(".confirmed-event")
    assert "Thursday, March 18, 2027" in confirmed.inner_text()
    assert "7:00\u202fPM Pacific Time" in confirmed.inner_text()
    assert "Speaker Hope" in confirmed.inner_text()
    assert "Private Kim" not in page.content()
    assert page.get_by_role("link", name="Change this request").count() == 0
    shoot(page, artifacts_dir, "8-confirmed")

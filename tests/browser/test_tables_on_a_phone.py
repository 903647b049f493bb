"""The Today board and the speaker list on a 390 px phone, in Chromium: each row is a card with
every cell named, so the check-in state, the speaker's emergency contact and the link to a
speaker's page are on screen, not in a column past the right edge of a table that scrolls
sideways."""

import os
from datetime import time, timedelta

from scheduler.services.consent import venue_today
from tests import factories

PHONE = {"width": 390, "height": 844}
ZONE = "America/New_York"


def log_in(browser, base):
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto(f"{base}/coordinator/login")
    page.fill("#email", "coord@example.org")
    page.fill("#password", "correct horse")
    page.click("button[type=submit]")
    return page


def open_fitting(browser, base: str, path: str):
    """A coordinator's page on the phone, checked to fit: neither the page nor its table scrolls
    sideways (nothing is past the right edge to scroll to)."""
    page = log_in(browser, base)
    page.goto(f"{base}{path}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("table").evaluate("t => t.scrollWidth <= t.clientWidth")
    return page


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_today_board_shows_each_talk_as_a_card_on_a_phone(live_server, browser,
                                                              artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour(start=venue_today(ZONE) - timedelta(days=3),
                              end=venue_today(ZONE) + timedelta(days=30))
        tomorrow = venue_today(ZONE) + timedelta(days=1)
        for name, contact in (("Speaker Hana", "Park Sister +1 213 555 0101"),
                              ("Speaker Joon", "Kim Brother +1 646 555 0102")):
            speaker = factories.speaker(tour, display_name=name, emergency_contact=contact)
            talk = factories.request(tour, dates=(tomorrow,), timezone=ZONE,
                                     city="Ithaca, New York", start_time=time(19, 0),
                                     venue_name="Willard Straight Hall")
            factories.assignment(talk, speaker, tomorrow)
        factories.coordinator()

    page = open_fitting(browser, base, "/coordinator/today")
    for contact in ("Park Sister +1 213 555 0101", "Kim Brother +1 646 555 0102"):
        cell = page.get_by_role("cell", name=contact)
        assert on_screen(cell), contact
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert "Emergency contact" in label  # the cell says what it is
    assert page.get_by_role("columnheader", name="Check-in").count() == 1
    page.screenshot(path=os.path.join(artifacts_dir, "today-board-390.png"), full_page=True)


def test_the_speaker_list_shows_each_speaker_as_a_card_on_a_phone(live_server, browser,
                                                                 artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour()
        for name in ("Speaker Hana", "Speaker Joon"):
            factories.speaker(tour, display_name=name, languages=["en", "ko"])
        factories.coordinator()
        slug = tour.slug

    page = open_fitting(browser, base, f"/coordinator/tours/{slug}/speakers")
    for name in ("Speaker Hana", "Speaker Joon"):
        assert on_screen(page.get_by_role("link", name=f"Open their page ({name}"))
        assert on_screen(page.get_by_role("button", name=f"Email {name} their link"))
    languages = page.get_by_role("cell", name="English Korean").first
    assert "Languages" in languages.evaluate("c => getComputedStyle(c, '::before').content")
    page.screenshot(path=os.path.join(artifacts_dir, "speaker-list-390.png"), full_page=True)


def test_the_audit_log_shows_each_change_as_a_card_on_a_phone(live_server, browser,
                                                               artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour()
        factories.request(tour, chapter_name="LiNK at Cornell", venue_name="Willard Straight Hall",
                          city="Ithaca, New York", timezone=ZONE)
        factories.coordinator()
        slug = tour.slug

    page = open_fitting(browser, base, f"/coordinator/tours/{slug}/audit")
    what = page.get_by_role("cell", name="Created request of LiNK at Cornell")
    assert on_screen(what)
    assert "What" in what.evaluate("c => getComputedStyle(c, '::before').content")
    assert page.get_by_role("cell").filter(has_text="Eastern Time").count() == 1  # the zone
    page.screenshot(path=os.path.join(artifacts_dir, "audit-log-390.png"), full_page=True)

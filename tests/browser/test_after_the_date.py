"""After the date is set, in Chromium with CSRF on: a confirmed chapter fills its advance on a
390 px phone, the speaker's day sheet shows it in Korean, the day after the event the chapter
files its report, and the coordinator's totals and chart change.

The event is dated yesterday at the venue (the live server runs on the real clock), so the
advance is filled after the fact here; nothing in the advance depends on the date."""

import os
from datetime import timedelta

from scheduler.services.consent import venue_today
from tests import factories

PHONE = {"width": 390, "height": 844}
ZONE = "America/Los_Angeles"


def shoot(page, artifacts_dir, name):
    page.screenshot(path=os.path.join(artifacts_dir, f"after-{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_advance_day_sheet_report_and_results(live_server, browser, artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour()
        speaker = factories.speaker(tour, display_name="Speaker Hana", locale="ko")
        chapter_request = factories.request(tour, timezone=ZONE, venue_name="Royce Hall")
        factories.assignment(chapter_request, speaker, venue_today(ZONE) - timedelta(days=1))
        factories.coordinator()
        token, speaker_token, slug = chapter_request.token, speaker.feed_token, tour.slug

    coordinator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    coordinator.goto(f"{base}/coordinator/login")
    coordinator.fill("#email", "coord@example.org")
    coordinator.fill("#password", "correct horse")
    coordinator.click("button[type=submit]")
    coordinator.goto(f"{base}/coordinator/tours/{slug}/results")
    assert "$0.00" in coordinator.locator("#totals").inner_text()
    assert coordinator.locator("svg.bar-chart g.bar").count() == 0

    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    chapter = phone.new_page()
    chapter.goto(f"{base}/r/{token}")
    chapter.get_by_role("link", name="Advance: the host, room and lodging").click()
    chapter.wait_for_url(f"{base}/r/{token}/advance")  # the page is measured once it is there
    assert no_sideways_scroll(chapter)
    chapter.get_by_label("Host on the day: name").fill("Jo Host")
    chapter.get_by_role("button", name="Save").click()
    assert "Draft: still to fill" in chapter.locator("#advance-status").inner_text()
    assert chapter.get_by_label("Host on the day: name").input_value() == "Jo Host"
    chapter.get_by_label("Host's mobile number").fill("+1 310 555 0100")
    chapter.get_by_label("Building").fill("Royce Hall")
    chapter.get_by_label("Room").fill("Room 314")
    chapter.get_by_label("Speaker's arrival time (venue time)").fill("17:30")
    chapter.get_by_label("Projector and screen").check()
    chapter.get_by_label("No interpreter").check()
    chapter.get_by_label("A hotel the chapter pays for").check()
    chapter.get_by_label("Meals (what, when, dietary needs you know of)").fill("Dinner at 8")
    chapter.get_by_label("We have read the speaker's rules above").check()
    chapter.get_by_role("button", name="Save").click()
    assert "Complete." in chapter.locator("#advance-status").inner_text()
    assert no_sideways_scroll(chapter)
    shoot(chapter, artifacts_dir, "1-advance-phone")

    sheet = phone.new_page()
    sheet.goto(f"{base}/speaker/{speaker_token}/days")
    text = sheet.content()
    assert '<html lang="ko">' in text
    assert "당일 담당자" in text and "Jo Host" in text and "Room 314" in text
    assert "오후 5:30" in text and "지부가 비용을 내는 호텔" in text
    assert sheet.locator('a[href="tel:+13105550100"]').count() == 1
    assert no_sideways_scroll(sheet)
    shoot(sheet, artifacts_dir, "2-day-sheet-ko")

    chapter.goto(f"{base}/r/{token}/report")
    chapter.get_by_label("The event was held").check()
    chapter.get_by_label("Attendance (people)").fill("140")
    chapter.get_by_label("Funds raised (USD)").fill("3250.50")
    chapter.get_by_label("Sign-ups (people who left their contact)").fill("23")
    chapter.get_by_role("button", name="Save the report").click()
    assert "Your report is saved" in chapter.content()
    shoot(chapter, artifacts_dir, "3-report-phone")

    coordinator.reload()
    totals = coordinator.locator("#totals").inner_text()
    assert "$3,250.50" in totals and "140 people" in totals
    assert "Rescues they pay for\n1 at $3,000 a rescue" in totals
    assert coordinator.locator("svg.bar-chart g.bar").count() == 2  # a week and a state
    shoot(coordinator, artifacts_dir, "4-results")
    phone.close()

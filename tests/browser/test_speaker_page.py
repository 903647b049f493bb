"""A speaker's page in Chromium, as they would use it: the coming week first, in English, then
switched to Korean with the button on the page; a date they cannot do, sent with CSRF on."""

import os
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.models import AssignmentState
from tests import factories


def shoot(page, artifacts_dir, name):
    page.screenshot(path=os.path.join(artifacts_dir, f"speaker-{name}.png"), full_page=True)


def build_tour():
    """A tour running now, so "the next 7 days" holds two talks in two time zones."""
    today = datetime.now(ZoneInfo("America/New_York")).date()
    tour = factories.tour(start=today - timedelta(days=20), end=today + timedelta(days=60))
    speaker = factories.speaker(tour, display_name="Hope Park", home_city="Los Angeles")
    stops = [
        (today - timedelta(days=6), "LiNK at Stanford", "Memorial Auditorium", "551 Serra Mall",
         "Stanford, California", 37.4275, -122.1697, "America/Los_Angeles", time(18, 0)),
        (today + timedelta(days=1), "LiNK at UChicago", "Mandel Hall", "1131 E 57th St",
         "Chicago, Illinois", 41.7911, -87.5994, "America/Chicago", time(17, 30)),
        (today + timedelta(days=4), "LiNK at Harvard", "Sanders Theatre", "45 Quincy St",
         "Cambridge, Massachusetts", 42.3765, -71.1150, "America/New_York", time(19, 0)),
        (today + timedelta(days=12), "LiNK at Emory", "Glenn Memorial", "1652 N Decatur Rd",
         "Atlanta, Georgia", 33.7925, -84.3240, "America/New_York", time(19, 0)),
    ]
    for day, chapter, venue, address, city, lat, lon, zone, start in stops:
        request = factories.request(
            tour, dates=(day,), chapter_name=chapter, venue_name=venue, venue_address=address,
            city=city, lat=lat, lon=lon, timezone=zone, start_time=start,
            school=chapter.replace("LiNK at ", "") + " University",
            contact_name=f"{chapter.split()[-1]} Organiser",
            contact_email=f"link@{chapter.split()[-1].lower()}.example.edu",
        )
        request.chapter.contact_phone = "+1 555 010 0199"
        factories.assignment(request, speaker, day)
    hidden = factories.request(tour, dates=(today + timedelta(days=2),), venue_name="Draft Hall")
    factories.assignment(hidden, speaker, today + timedelta(days=2),
                         state=AssignmentState.PROPOSED)
    return speaker.feed_token, today


def test_speaker_reads_the_week_switches_to_korean_and_marks_a_date(
    live_server, page, artifacts_dir
):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        token, today = build_tour()

    page.goto(f"{base}/speaker/{token}")
    assert page.get_by_role("heading", name="Your tour schedule").is_visible()
    week = page.locator(".this-week li")
    assert week.count() == 2
    assert "Mandel Hall" in week.nth(0).inner_text()
    assert "Sanders Theatre" in week.nth(1).inner_text()
    assert page.locator("article.event").count() == 4
    assert not page.get_by_text("Memorial Auditorium").is_visible()  # past, folded away
    assert "in 4 days" in week.nth(1).inner_text()
    assert "Draft Hall" not in page.content()
    assert page.locator(".route-map svg").is_visible()
    shoot(page, artifacts_dir, "1-english")

    page.get_by_role("button", name="한국어").click()
    assert page.get_by_role("heading", name="나의 투어 일정").is_visible()
    assert page.locator("html").get_attribute("lang") == "ko"
    shoot(page, artifacts_dir, "2-korean")

    page.get_by_role("link", name="강연할 수 없는 날짜 알리기").click()
    page.get_by_label("강연할 수 없는 날짜").fill((today + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="이 날짜 알리기").click()
    assert "투어 기간(" in page.locator("#day-errors").inner_text()
    shoot(page, artifacts_dir, "3a-korean-date-outside-tour")

    day = today + timedelta(days=4)
    page.get_by_label("강연할 수 없는 날짜").fill(day.isoformat())
    page.get_by_label("코디네이터에게 남길 메모 (선택)").fill("가족 행사가 있습니다.")
    page.get_by_role("button", name="이 날짜 알리기").click()
    assert "그날 예정된 강연이 있어" in page.locator(".flashes").inner_text()
    assert "가족 행사가 있습니다." in page.locator(".marks").inner_text()
    shoot(page, artifacts_dir, "3-korean-availability")

    page.get_by_role("link", name="투어 일정으로 돌아가기").click()
    assert page.locator(".event-warning").count() == 1
    assert "Sanders Theatre" in page.locator("article.event", has=page.locator(
        ".event-warning")).inner_text()
    shoot(page, artifacts_dir, "4-korean-after-marking")

    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Your tour schedule").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/speaker/{token}?lang=ko")
    assert page.get_by_role("heading", name="앞으로 7일").is_visible()
    shoot(page, artifacts_dir, "5-phone-korean")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.goto(f"{base}/speaker/{token}")
    shoot(page, artifacts_dir, "6-print")

"""A coordinator reads the tour's calendar in Chromium at a desktop and a phone width: the draft
and the published month, a week, one speaker; axe-core finds no serious violation and the phone
page never scrolls sideways. Screenshots go to /tmp/cal-*.png for a person to look at."""

from datetime import date

import pytest
from playwright.sync_api import expect

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request
from tests.browser.test_accessibility import AXE, RUN_AXE, WIDTHS, log_in, sideways_overflow
from tests.browser.test_coordinator_review import build_tour


@pytest.fixture
def site(live_server):
    """The solved tour of the review test, published, then Stanford moved a day in the draft."""
    app = live_server.app
    slug, west_id = build_tour(app)
    with app.app_context():
        for row in db.session.execute(db.select(Assignment)).scalars():
            row.state = AssignmentState.CONFIRMED
        stanford = db.session.execute(
            db.select(Request).join(Request.chapter).filter_by(name="LiNK at Stanford")
        ).scalar_one()
        moved = Assignment(request=stanford, speaker_id=west_id, date=date(2027, 3, 10),
                           state=AssignmentState.PROPOSED)
        db.session.add(moved)
        db.session.commit()
    return f"http://127.0.0.1:{live_server.server_port}", slug


def serious(page) -> list:
    page.add_script_tag(path=AXE)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]


def cell(page, day: str):
    return page.locator("td.cal-day", has_text=day)


def test_calendar_at_desktop_width(site, browser):
    base, slug = site
    context = browser.new_context(viewport=WIDTHS["desktop"], bypass_csp=True)
    page = context.new_page()
    log_in(page, base)
    page.goto(f"{base}/coordinator/tours/{slug}/review")
    page.get_by_role("link", name="See the draft and the published schedule on a calendar").click()

    heading = page.locator("h2#period-heading")
    expect(heading).to_have_text("March 2027 · draft schedule")
    assert page.locator("table.cal-grid th[scope=col]").all_inner_texts()[:2] == [
        "Monday", "Tuesday"
    ]
    assert page.locator("li.cal-talk").count() == 8
    assert "LiNK at Stanford" in cell(page, "Wed, Mar 10, 2027").inner_text()
    assert serious(page) == []
    page.screenshot(path="/tmp/cal-month-1280.png", full_page=True)

    page.get_by_role("navigation", name="Schedule").get_by_role("link", name="Published").click()
    expect(heading).to_have_text("March 2027 · published schedule")
    assert "LiNK at Stanford" in cell(page, "Tue, Mar 9, 2027").inner_text()
    assert "LiNK at Stanford" not in cell(page, "Wed, Mar 10, 2027").inner_text()
    # Two talks on 2 March, New York's 7 PM Eastern before Los Angeles' 7 PM Pacific.
    second = cell(page, "Tue, Mar 2, 2027").locator("li.cal-talk")
    assert second.nth(0).inner_text().startswith("7:00\u202fPM Eastern Time\nJoseph")
    assert second.nth(1).inner_text().startswith("7:00\u202fPM Pacific Time\nHa-eun")

    page.get_by_role("navigation", name="View").get_by_role("link", name="Week").click()
    expect(heading).to_have_text("Week of Mon, Mar 1, 2027 · published schedule")
    assert page.locator("td.cal-day").count() == 7
    page.get_by_role("link", name="Next week →").click()
    expect(heading).to_have_text("Week of Mon, Mar 8, 2027 · published schedule")
    page.select_option("#cal-speaker", label="Ha-eun")
    page.get_by_role("button", name="Show").click()
    expect(heading).to_have_text("Week of Mon, Mar 8, 2027 · published schedule · Ha-eun only")
    names = page.locator("li.cal-talk .cal-speaker").all_inner_texts()
    assert names and set(names) == {"Ha-eun"}
    assert serious(page) == []
    page.screenshot(path="/tmp/cal-week-1280.png", full_page=True)
    context.close()


def test_calendar_on_a_390_px_phone_is_a_list_of_the_days_with_talks(site, browser):
    base, slug = site
    context = browser.new_context(viewport=WIDTHS["phone"], bypass_csp=True)
    page = context.new_page()
    log_in(page, base)
    page.goto(f"{base}/coordinator/tours/{slug}/calendar")

    assert sideways_overflow(page) <= 0
    assert page.locator("table.cal-grid thead").is_hidden()
    shown = page.locator("td.cal-day:visible")
    assert shown.count() == 6  # 2, 4, 9, 10, 12 and 16 March: the days with a draft talk
    assert shown.first.locator(".cal-day-full").inner_text() == "Tue, Mar 2, 2027"
    assert serious(page) == []
    page.screenshot(path="/tmp/cal-month-390.png", full_page=True)

    page.goto(f"{base}/coordinator/tours/{slug}/calendar?view=week&start=2027-03-08")
    assert sideways_overflow(page) <= 0
    assert serious(page) == []
    page.screenshot(path="/tmp/cal-week-390.png", full_page=True)
    context.close()

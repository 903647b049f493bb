"""A coordinator reviews a solved tour in Chromium, publishes it, moves one event, publishes
again, and finds in the outbox the emails of the chapters concerned, and only theirs."""

import os
import re
from datetime import date

from playwright.sync_api import expect

from scheduler.extensions import db
from scheduler.models import AssignmentState, SolveRun, SolveState
from tests import factories as make
from tests.mailbox import empty_outbox, outbox

WEST = [  # chapter, city, lat, lon, zone, offered dates (March 2027)
    ("LiNK at UCLA", "Los Angeles, CA", 34.0729, -118.4422, (2, 3)),
    ("LiNK at UC San Diego", "San Diego, CA", 32.8801, -117.2340, (4, 5)),
    ("LiNK at Stanford", "Stanford, CA", 37.4275, -122.1697, (9, 10)),
    ("LiNK at UW", "Seattle, WA", 47.6553, -122.3035, (16, 17, 18)),
]
EAST = [
    ("LiNK at NYU", "New York, NY", 40.7295, -73.9965, (2, 3)),
    ("LiNK at Yale", "New Haven, CT", 41.3163, -72.9223, (4,)),
    ("LiNK at Harvard", "Cambridge, MA", 42.3770, -71.1167, (9, 10)),
    ("LiNK at Georgetown", "Washington, DC", 38.9076, -77.0723, (12, 15)),
]


def build_tour(app):
    """A solved tour: two speakers, eight events proposed, one request the solver left out."""
    with app.app_context():
        make.coordinator()
        tour = make.tour(start=date(2027, 3, 1), end=date(2027, 3, 28))
        west = make.speaker(tour, display_name="Ha-eun")
        east = make.speaker(
            tour, display_name="Joseph", home_city="New York", home_lat=40.71, home_lon=-74.0
        )
        for speaker, chapters, zone in (
            (west, WEST, "America/Los_Angeles"),
            (east, EAST, "America/New_York"),
        ):
            for index, (name, city, lat, lon, days) in enumerate(chapters):
                request = make.request(
                    tour,
                    chapter_name=name,
                    contact_email=f"chapter{index}-{speaker.id}@example.edu",
                    venue_name=f"{name.removeprefix('LiNK at ')} Student Center",
                    city=city,
                    lat=lat,
                    lon=lon,
                    timezone=zone,
                    dates=tuple(date(2027, 3, day) for day in days),
                )
                make.assignment(
                    request, speaker, date(2027, 3, days[0]), state=AssignmentState.PROPOSED
                )
        left_out = make.request(
            tour,
            chapter_name="LiNK at UT Austin",
            city="Austin, TX",
            lat=30.2849,
            lon=-97.7341,
            timezone="America/Chicago",
            dates=(date(2027, 3, 4),),
        )
        db.session.add(
            SolveRun(
                tour=tour,
                state=SolveState.SUCCEEDED,
                gap=0.0,
                result={
                    "unassigned": [
                        {
                            "request": left_out.format_id,
                            "reason": "H4: no speaker can reach Austin on 2027-03-04",
                        }
                    ]
                },
            )
        )
        db.session.commit()
        return tour.slug, west.id


def login(page, base):
    page.goto(f"{base}/coordinator/login")
    page.fill("#email", "coord@example.org")
    page.fill("#password", "correct horse")
    page.click("button[type=submit]")


def publish_through_the_preview(page, emails: int):
    page.get_by_role("link", name="Preview and publish").click()
    assert f"Emails that will be sent · {emails}" in page.inner_text("#mail-heading")
    page.get_by_role("button", name=re.compile(f"and send {emails} email")).click()


def test_coordinator_reviews_moves_one_event_and_publishes(live_server, page, artifacts_dir):
    app = live_server.app
    slug, west_id = build_tour(app)
    base = f"http://127.0.0.1:{live_server.server_port}"
    login(page, base)
    page.goto(f"{base}/coordinator/tours/{slug}/review")

    plan = page.locator(f"#plan-{west_id}")
    timeline = plan.locator("table.timeline")
    assert timeline.locator(".event").count() == 4
    assert "LiNK at UCLA" in timeline.inner_text()
    route_map = plan.locator("figure.route svg")
    assert route_map.locator("path.state").count() == 49
    assert route_map.locator("polyline.route").count() == 1
    plan.screenshot(path=os.path.join(artifacts_dir, "review-timeline.png"))
    plan.locator("figure.route").screenshot(path=os.path.join(artifacts_dir, "review-map.png"))
    page.screenshot(path=os.path.join(artifacts_dir, "review-page.png"), full_page=True)
    assert "no speaker can reach Austin" in page.inner_text("#unserved")

    publish_through_the_preview(page, 8)
    assert "Published version 1: 8 changes" in page.inner_text(".flashes")
    assert sorted(m["To"] for m in outbox(app)) == sorted(
        f"chapter{i}-{s}@example.edu" for i in range(4) for s in (1, 2)
    )
    empty_outbox(app)

    page.goto(f"{base}/coordinator/tours/{slug}/review")
    assert page.get_by_role("link", name="Preview and publish").count() == 0
    row = page.locator("table.edit-events tr", has_text="LiNK at Stanford")
    row.locator("select[name=day]").select_option("2027-03-10")
    row.locator("button", has_text="Move").click()
    expect(page.locator("table.changes tbody tr")).to_have_count(1)
    assert "MOVED" in page.inner_text("table.changes")  # text-transform: uppercase
    plan.screenshot(path=os.path.join(artifacts_dir, "review-timeline-moved.png"))

    publish_through_the_preview(page, 1)
    assert "Published version 2: 1 change" in page.inner_text(".flashes")
    page.screenshot(path=os.path.join(artifacts_dir, "versions.png"), full_page=True)

    [notice] = outbox(app)
    body = notice.get_content()
    assert notice["To"] == "chapter2-1@example.edu"
    assert notice["Subject"] == "Your event has moved: Wednesday, March 10, 2027"
    assert "Wednesday, March 10, 2027, 7:00\u202fPM Pacific Time" in body
    assert "Speaker:    Ha-eun" in body
    assert f"{base}/feeds/chapter/" in body and f"{base}/r/" in body

    page.goto(f"{base}/coordinator/tours/{slug}/review")
    east = page.locator("table.timeline").nth(1)
    east.locator("a.event", has_text="LiNK at Georgetown").drag_to(
        east.locator("td[data-date='2027-03-15']")
    )
    georgetown = page.locator("table.edit-events tr", has_text="LiNK at Georgetown")
    expect(georgetown.locator(".row-outcome")).to_contain_text(
        "Moved: LiNK at Georgetown on Mon, Mar 15, 2027"
    )
    expect(east.locator("td[data-date='2027-03-15'] a.event")).to_contain_text("Georgetown")

    page.goto(f"{base}/coordinator/tours/{slug}/itinerary?schedule=published")
    first = page.locator(".itinerary-speaker").first
    assert "LiNK at Stanford" in first.inner_text() and "Wed, Mar 10, 2027" in first.inner_text()
    page.emulate_media(media="print")
    page.screenshot(path=os.path.join(artifacts_dir, "itinerary-print.png"), full_page=True)


def test_move_pin_refusal_and_undo_happen_in_place_beside_the_row(
    live_server, page, artifacts_dir
):
    slug, west_id = build_tour(live_server.app)
    base = f"http://127.0.0.1:{live_server.server_port}"
    login(page, base)
    page.goto(f"{base}/coordinator/tours/{slug}/review")
    page.evaluate("window.stillTheSamePage = true")

    stanford = page.locator("table.edit-events tr", has_text="LiNK at Stanford")
    stanford.locator("select[name=day]").select_option("2027-03-10")
    stanford.get_by_role("button", name="Move LiNK at Stanford").click()
    moved = "Moved: LiNK at Stanford on Wed, Mar 10, 2027 with Ha-eun."
    expect(stanford.locator(".row-outcome")).to_have_text(re.compile(re.escape(moved)))
    expect(page.locator("#edit-announcer")).to_have_text(moved)
    west = page.locator(f"#plan-{west_id} table.timeline")
    expect(west.locator("td[data-date='2027-03-10'] a.event")).to_contain_text("Stanford")
    expect(west.locator("td[data-date='2027-03-09'] a.event")).to_have_count(0)

    stanford.get_by_role("button", name="Pin LiNK at Stanford").click()
    expect(stanford.locator(".row-outcome")).to_contain_text(
        "Pinned: LiNK at Stanford; the next solve keeps it where it is."
    )
    expect(stanford.locator(".badge", has_text="pinned")).to_have_count(1)

    austin = page.locator("table.unserved tr", has_text="LiNK at UT Austin")
    austin.locator("select[name=speaker]").select_option(label="Ha-eun")
    austin.get_by_role("button", name="Assign LiNK at UT Austin").click()
    refusal = austin.locator(".row-outcome-refused")
    expect(refusal).to_contain_text("Not changed: Ha-eun has 2 talks on Thu, Mar 4, 2027")
    assert "sp-" not in refusal.inner_text() and "H3" not in refusal.inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "review-refused-in-place.png"))

    stanford.get_by_role("button", name="Undo").click()
    expect(stanford.locator(".row-outcome")).to_contain_text(
        "Undone: Pinned: LiNK at Stanford"
    )
    expect(stanford.locator(".badge", has_text="pinned")).to_have_count(0)
    expect(page.locator("#undo-bar")).to_contain_text("No edit to undo.")
    assert page.evaluate("window.stillTheSamePage") is True

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(artifacts_dir, f"review-{width}.png"), full_page=True)
        page.locator("#edit-heading").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(artifacts_dir, f"review-{width}-edits.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width



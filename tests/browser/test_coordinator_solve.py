"""A coordinator sets up a tour in Chromium and solves it, watching the progress live."""

import os
import re
from datetime import date

from playwright.sync_api import expect

from bench.generate import generate_instance
from scheduler.extensions import db
from scheduler.models import SolveRun, SolveState, Speaker, Tour
from tests import factories

EMAIL, PASSWORD = "coord@example.org", "correct horse"


def add_requests_and_speakers(app, slug: str) -> int:
    """Chapters' requests (and two more speakers) as the request form would have stored them."""
    instance = generate_instance(120, 2, 8, 0, seed=5, name="unused")
    with app.app_context():
        tour = db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one()
        for entry in instance["speakers"]:
            factories.speaker(
                tour,
                display_name=entry["name"],
                home_city="",
                home_lat=entry["home"]["lat"],
                home_lon=entry["home"]["lon"],
                languages=entry["languages"],
            )
        for entry in instance["requests"]:
            factories.request(
                tour,
                dates=tuple(date.fromisoformat(d["date"]) for d in entry["dates"]),
                chapter_name=entry["chapter"],
                venue_name=entry["venue"]["name"],
                lat=entry["venue"]["lat"],
                lon=entry["venue"]["lon"],
                timezone=entry["venue"]["timezone"],
                priority=entry["priority"],
                language=entry["language"],
            )
        return len(instance["requests"])


def test_coordinator_creates_a_tour_adds_a_speaker_and_solves_it(live_server, page, artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        factories.coordinator(EMAIL, PASSWORD)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}")
        if r.status >= 400 and not r.url.endswith("/favicon.ico")
        else None,
    )

    page.goto(f"{base}/coordinator/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="New tour").click()
    page.get_by_label("Name", exact=True).fill("Jamadang Tour Spring 2027")
    page.get_by_label("First day").fill("2027-02-01")
    page.get_by_label("Last day").fill("2027-03-28")
    page.get_by_label("Last day").fill("2027-01-01")
    page.get_by_role("button", name="Create tour").click()
    expect(page.get_by_text("The last day must not be before the first day.")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "tour-form-error.png"), full_page=True)
    page.get_by_label("Last day").fill("2027-03-28")
    page.get_by_label("Home time zone").select_option("America/Los_Angeles")
    page.get_by_label("State").select_option("open")
    page.get_by_role("button", name="Create tour").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jamadang Tour Spring 2027")
    page.screenshot(path=os.path.join(artifacts_dir, "tour-overview.png"), full_page=True)

    page.get_by_role("link", name="Add the first speaker").click()
    page.get_by_label("Display name (public)").fill("Joseph")
    page.get_by_label("Full name (private)").fill("Kim Joseph")
    page.get_by_label("Home city (private)").fill("Los Angeles, California")
    page.get_by_label("Korean").check()
    page.get_by_label("Unavailable dates").fill("2027-02-14 family visit\n2027-02-15")
    page.screenshot(path=os.path.join(artifacts_dir, "speaker-form.png"), full_page=True)
    page.get_by_role("button", name="Add speaker").click()
    expect(page.get_by_role("cell", name="Joseph Kim Joseph")).to_be_visible()
    with live_server.app.app_context():
        joseph = db.session.scalars(db.select(Speaker).filter_by(display_name="Joseph")).one()
        assert round(joseph.home_lat, 1) == 34.1 and joseph.languages == ["en", "ko"]
        assert [d.isoformat() for d in joseph.unavailable_dates] == ["2027-02-14", "2027-02-15"]

    requests = add_requests_and_speakers(live_server.app, "jamadang-tour-spring-2027")
    page.get_by_role("link", name="Solve", exact=True).click()
    expect(page.get_by_text(f"{requests} submitted requests, 3 speakers.")).to_be_visible()
    page.get_by_label("Time limit (seconds)").fill("8")
    page.get_by_role("button", name="Solve", exact=True).click()

    bar = page.locator("progress#solve-progress")
    expect(bar).to_be_visible()
    served = page.locator('[data-field="served_weight"]').first
    expect(served).to_have_text(re.compile(r"^\d+$"), timeout=8000)
    first = float(bar.get_attribute("value"))
    # the script moves the bar on (3 s and more) without reloading the page
    expect(bar).to_have_attribute("value", re.compile(r"^([3-9]|\d\d)(\.\d+)?$"))
    assert float(bar.get_attribute("value")) > first
    page.screenshot(path=os.path.join(artifacts_dir, "solve-running.png"), full_page=True)

    expect(page.get_by_role("heading", name=re.compile("Last run"))).to_be_visible(timeout=30000)
    expect(page.get_by_text(re.compile(rf"\d+ of {requests} requests assigned"))).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "solve-finished.png"), full_page=True)
    with live_server.app.app_context():
        run = db.session.execute(db.select(SolveRun)).scalar_one()
        assert run.state == SolveState.SUCCEEDED and run.served_weight > 0
    assert errors == []

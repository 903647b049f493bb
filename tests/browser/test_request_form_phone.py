"""The request form on a 390 px phone, in Chromium with JavaScript: one choice open and the next
added in place, the city found by typing part of its name, a single date without range fields,
and an error summary that takes the focus and links each field. Nothing spills sideways."""

import os
from datetime import date

from tests import factories

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_request_form_on_a_phone_with_an_error_summary(live_server, browser, artifacts_dir):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        factories.tour(request_deadline=date(2027, 1, 31))
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()

    page.goto(base + "/tours/spring-2027/request")
    assert no_sideways_scroll(page)
    choices = page.locator("fieldset.choice")
    assert choices.nth(0).is_visible() and not choices.nth(1).is_visible()
    assert not page.get_by_label("Last date (for a range)").first.is_visible()
    assert not page.locator("fieldset.choice").nth(0).get_by_label("Mon").is_visible()
    page.locator("#choices-0-kind").select_option("range")
    assert page.locator("#choices-0-last_date").is_visible()
    page.locator("#choices-0-kind").select_option("date")
    assert not page.locator("#choices-0-last_date").is_visible()

    page.get_by_role("button", name="Add another choice").click()
    assert choices.nth(1).is_visible()
    assert page.evaluate("document.activeElement.id") == "choices-1-first_date"
    assert page.url.endswith("/request")  # revealed in place, nothing was posted

    city = page.get_by_label("City", exact=True)
    city.press_sequentially("Ithac", delay=30)
    page.locator("#city-suggestions option").first.wait_for(state="attached")
    assert page.locator("#city-suggestions option").first.get_attribute("value") == (
        "Ithaca, New York"
    )

    page.get_by_label("Your name").fill("Jo Student")
    page.get_by_label("Email").fill("jo@")
    page.locator("#choices-0-first_date").fill("2027-06-15")
    page.get_by_role("button", name="Send request").click()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    texts = [text.split(":")[0] for text in links.all_inner_texts()]
    assert texts == ["Chapter name", "Email", "Venue name", "City", "Choice 1, Date"]
    assert no_sideways_scroll(page)
    page.screenshot(path=os.path.join(artifacts_dir, "request-form-390-errors.png"),
                    full_page=True)

    summary.get_by_role("link", name="Venue name").click()
    assert page.evaluate("document.activeElement.id") == "venue_name"
    assert page.get_by_label("City", exact=True).input_value() == "Ithac"

    page.get_by_label("Chapter name").fill("LiNK at Cornell")
    page.get_by_label("Email").fill("jo@cornell.edu")
    page.get_by_label("Venue name").fill("Goldwin Smith Hall")
    page.locator("#choices-0-first_date").fill("2027-03-17")
    page.get_by_label("City", exact=True).fill("Ithaca")
    page.get_by_label("City", exact=True).press("Enter")  # sends the form, adds no choice
    assert page.get_by_role("heading", name="Thank you, your request is in").is_visible()
    assert "Ithaca, New York" in page.content()
    context.close()


def test_request_form_screenshots_at_desktop_and_phone_widths(
    live_server, browser, artifacts_dir
):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour(request_deadline=date(2027, 1, 31))
        factories.speaker(tour, display_name="Speaker Hope")
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(base + "/tours/spring-2027/request")
        assert no_sideways_scroll(page)
        page.screenshot(path=os.path.join(artifacts_dir, f"request-form-{width}.png"),
                        full_page=True)
        context.close()

"""A chapter president closes the tab and loses the private link; from the tour page they ask
for it again by email, without JavaScript and with CSRF on, and the emailed link opens their
request. A stranger typing another address gets the same answer and no mail."""

import os
import re

from tests import factories
from tests.mailbox import outbox


def test_a_chapter_that_lost_its_link_gets_it_again_by_email(
    live_server, browser, artifacts_dir
):
    base = f"http://127.0.0.1:{live_server.server_port}"
    with live_server.app.app_context():
        tour = factories.tour()
        factories.request(tour, contact_email="jo@cornell.edu", venue_name="Goldwin Smith Hall")
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()

    page.goto(base + "/tours/spring-2027")
    page.get_by_role("link", name="Lost your private link?").click()
    page.get_by_label("Your email address").fill("stranger@example.org")
    page.get_by_role("button", name="Email me my link").click()
    stranger_answer = page.locator("main").inner_text()
    assert outbox(live_server.app) == []

    page.goto(base + "/lost-link")
    page.get_by_label("Your email address").fill("jo@cornell.edu")
    page.get_by_role("button", name="Email me my link").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert page.locator("main").inner_text().replace("jo@cornell.edu", "@") == (
        stranger_answer.replace("stranger@example.org", "@")
    )
    page.screenshot(path=os.path.join(artifacts_dir, "lost-link-390.png"), full_page=True)

    [message] = outbox(live_server.app)
    assert message["To"] == "jo@cornell.edu"
    [link] = re.findall(r"http://\S+/r/\S+", message.get_content())
    page.goto(link)
    assert page.get_by_role("heading", name="Your request").first.is_visible()
    assert "Goldwin Smith Hall" in page.content()
    context.close()

"""axe-core (vendored from npm, tests/browser/vendor/) checks the main pages in Chromium at a
desktop and a phone width: no serious or critical violation, WCAG AA contrast included, and at
390 px no page scrolls sideways."""

import json
import os

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, Request, Speaker
from tests import factories
from tests.browser.test_coordinator_review import build_tour

AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + n.failureSummary),
  }));
}"""


@pytest.fixture
def site(live_server):
    """A solved tour with a Korean-speaking speaker, and the addresses of the main pages."""
    app = live_server.app
    slug, speaker_id = build_tour(app)
    with app.app_context():
        speaker = db.session.get(Speaker, speaker_id)
        speaker.locale = "ko"
        db.session.commit()
        request = db.session.execute(db.select(Request).limit(1)).scalar_one()
        factories.assignment(request, speaker, request.choices[0].first_date,
                             state=AssignmentState.CONFIRMED)
        factories.tour(name="Autumn Tour 2027", slug="autumn-2027")
        paths = {
            "home": "/",
            "tour page": "/tours/autumn-2027",
            "request form": "/tours/autumn-2027/request",
            "request view": f"/r/{request.token}",
            "lost link": "/lost-link",
            "coordinator login": "/coordinator/login",
            "dashboard": "/coordinator/",
            "review": f"/coordinator/tours/{slug}/review",
            "requests": f"/coordinator/tours/{slug}/requests",
            "speaker page in Korean": f"/speaker/{speaker.feed_token}",
        }
        other_pages = [
            f"/coordinator/tours/{slug}{section}"
            for section in ("", "/edit", "/speakers", f"/speakers/{speaker_id}/edit",
                            "/speakers/new", "/solve", "/versions", "/exports", "/itinerary",
                            "/feeds", "/audit")
        ] + ["/coordinator/tours/new", f"/speaker/{speaker.feed_token}/availability"]
    return f"http://127.0.0.1:{live_server.server_port}", paths, other_pages


def log_in(page, base):
    page.goto(f"{base}/coordinator/login")
    page.fill("#email", "coord@example.org")
    page.fill("#password", "correct horse")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_have_no_serious_accessibility_violation(site, browser, artifacts_dir, width):
    base, paths, _ = site
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
    page = context.new_page()
    failures = {}
    for name, path in paths.items():
        if name == "dashboard":
            log_in(page, base)
        page.goto(base + path)
        assert page.url.startswith(base + path.split("?")[0]), f"{name} redirected: {page.url}"
        page.add_script_tag(path=AXE)
        bad = [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
        if bad:
            failures[name] = bad
        if width == "phone":
            overflow = sideways_overflow(page)
            if overflow > 0:
                failures.setdefault(name, []).append(f"scrolls {overflow} px sideways")
        if name in ("speaker page in Korean", "review", "requests"):
            shot = f"a11y-{name.replace(' ', '-')}-{WIDTHS[width]['width']}.png"
            page.screenshot(path=os.path.join(artifacts_dir, shot), full_page=True)
    context.close()
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_every_other_page_fits_a_390_px_phone(site, browser):
    base, _, other_pages = site
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    log_in(page, base)
    overflowing = {}
    for path in other_pages:
        page.goto(base + path)
        assert page.url == base + path, f"{path} redirected: {page.url}"
        if sideways_overflow(page) > 0:
            overflowing[path] = sideways_overflow(page)
    context.close()
    assert overflowing == {}

"""The demo tour under way fills the screens after the date: advances, reports, results."""

from datetime import date

from scheduler.demo import load_demo
from scheduler.demo_in_progress import load_in_progress_demo
from scheduler.services import achievements, advance

TODAY = date(2026, 11, 26)


def test_past_events_have_reports_and_upcoming_ones_advances_done_and_not(app):
    tour = load_in_progress_demo(TODAY)
    rows = advance.overview(tour)
    past = [row for row in rows if row.assignment.date < TODAY]
    coming = [row for row in rows if row.assignment.date >= TODAY]
    assert past and coming
    assert all(row.complete for row in past)
    assert {row.complete for row in coming} == {True, False}
    assert sum(row.report is not None for row in past) >= len(past) // 2
    assert any(row.report is None for row in past)  # a report still to come
    assert all(row.report is None for row in coming)

    results = achievements.tour_results(tour)
    assert results.total.held >= 5 and results.total.attendance > 0
    assert results.rescues >= 1
    assert all(row.talks_given > 0 and row.km_driven > 0 for row in results.speakers)


def test_the_main_demos_request_list_shows_the_chapters_history(app, client, auth):
    load_in_progress_demo(date.today())
    tour = load_demo(date.today())
    auth.login()
    page = client.get(f"/coordinator/tours/{tour.slug}/requests").get_data(as_text=True)
    assert "Before this tour:" in page and "No visit before this tour" in page
    results = client.get(f"/coordinator/tours/{tour.slug}/results")
    assert results.status_code == 200


def test_the_tour_under_way_has_published_the_schedule_its_chapters_see(app, client, auth):
    tour = load_in_progress_demo(date.today())
    auth.login()
    page = client.get(f"/coordinator/tours/{tour.slug}/versions").get_data(as_text=True)
    assert "Nothing published yet" not in page
    assert "Version 1" in page
    overview = client.get(f"/coordinator/tours/{tour.slug}").get_data(as_text=True)
    assert "Nothing published yet" not in overview
    preview = client.get(f"/coordinator/tours/{tour.slug}/publish").get_data(as_text=True)
    assert "Nothing to publish: the proposal is the published schedule." in preview

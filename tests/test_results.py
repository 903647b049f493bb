"""What a tour achieved: totals from the reports, rescues at the tour's cost, by state, by week,
per speaker, the chart and its table, the CSV, and each chapter's history on the request list."""

import csv
import io
from datetime import date

from scheduler.extensions import db
from scheduler.models import EventReport
from scheduler.services import achievements
from scheduler.solver.geo import haversine_km

LA = {"city": "Los Angeles, California", "lat": 34.07, "lon": -118.44,
      "timezone": "America/Los_Angeles"}
SF = {"city": "San Francisco, California", "lat": 37.77, "lon": -122.42,
      "timezone": "America/Los_Angeles"}
NYC = {"city": "New York, New York", "lat": 40.71, "lon": -74.0, "timezone": "America/New_York"}


def _report(request, outcome, attendance=0, dollars=0, signups=0, note=""):
    db.session.add(EventReport(request=request, outcome=outcome, attendance=attendance,
                               funds_cents=dollars * 100, signups=signups, note=note))
    db.session.commit()


def _tour_with_reports(make):
    tour = make.tour()
    hana = make.speaker(tour, display_name="Hana", home_lat=34.05, home_lon=-118.24)
    min_ = make.speaker(tour, display_name="Min", home_lat=40.0, home_lon=-75.0)
    la = make.request(tour, chapter_name="LiNK at UCLA", **LA)
    sf = make.request(tour, chapter_name="LiNK at SF State", **SF)
    nyc = make.request(tour, chapter_name="LiNK at NYU", **NYC)
    lost = make.request(tour, chapter_name="LiNK at Lost", **NYC)
    waiting = make.request(tour, chapter_name="LiNK at Later", **NYC)
    make.assignment(la, hana, date(2027, 3, 1))  # Monday, week of Mar 1
    make.assignment(sf, hana, date(2027, 3, 3))
    make.assignment(nyc, min_, date(2027, 3, 9))  # week of Mar 8
    make.assignment(lost, min_, date(2027, 3, 10))
    make.assignment(waiting, min_, date(2027, 3, 11))
    _report(la, "held", attendance=150, dollars=4000, signups=30)
    _report(sf, "cancelled", dollars=500)
    _report(nyc, "held", attendance=90, dollars=2100, signups=12, note="=HYPERLINK(\"x\")")
    _report(lost, "speaker-did-not-arrive", attendance=40)
    return tour, hana, min_


def test_totals_and_the_rescues_they_pay_for(app, make):
    tour, hana, min_ = _tour_with_reports(make)
    results = achievements.tour_results(tour)
    total = results.total
    assert (total.reported, total.held, total.attendance, total.signups) == (4, 2, 240, 42)
    assert total.funds_cents == 660000
    assert results.rescues == 2  # $6,600 at $3,000 a rescue
    assert results.awaiting_reports == 1
    tour.cost_per_rescue_usd = 2000
    assert achievements.tour_results(tour).rescues == 3

    by_state = {state: tally for state, tally in results.by_state}
    assert by_state["California"].funds_cents == 450000
    assert by_state["California"].attendance == 150
    assert by_state["New York"].attendance == 90 and by_state["New York"].held == 1
    by_week = {monday: tally for monday, tally in results.by_week}
    assert by_week[date(2027, 3, 1)].attendance == 150
    assert by_week[date(2027, 3, 8)].attendance == 90

    speakers = {row.speaker.display_name: row for row in results.speakers}
    assert speakers["Hana"].talks_given == 1 and speakers["Min"].talks_given == 1
    # Hana went to Los Angeles and to San Francisco (cancelled there), and home again.
    hana_km = (haversine_km(34.05, -118.24, LA["lat"], LA["lon"])
               + haversine_km(LA["lat"], LA["lon"], SF["lat"], SF["lon"])
               + haversine_km(SF["lat"], SF["lon"], 34.05, -118.24))
    assert abs(speakers["Hana"].km_driven - hana_km) < 0.01
    # Min did not arrive in the second New York venue: only the first counts.
    min_km = 2 * haversine_km(40.0, -75.0, NYC["lat"], NYC["lon"])
    assert abs(speakers["Min"].km_driven - min_km) < 0.01


def test_the_results_page_shows_totals_chart_and_table_and_changes_with_a_report(
    client, auth, make
):
    tour, _, _ = _tour_with_reports(make)
    auth.login()
    page = client.get(f"/coordinator/tours/{tour.slug}/results").get_data(as_text=True)
    assert "<svg" in page and "Attendance by week" in page and "Funds by state" in page
    assert "Mon, Mar 8, 2027: 90 people</title>" in page
    assert "$6,600.00" in page and "<strong>2</strong>" in page
    assert "Los Angeles" not in page.split("Funds by state")[0]  # states, not cities
    event_map = page.split('class="attendance-map"')[1].split("</svg>")[0]
    assert event_map.count("<circle") == 2  # the two events held, not the cancelled ones
    assert "LiNK at UCLA, Los Angeles, California: 150 people" in event_map
    assert "<script" not in page

    later = tour.requests[-1]
    _report(later, "held", attendance=60, dollars=3000)
    page = client.get(f"/coordinator/tours/{tour.slug}/results").get_data(as_text=True)
    assert "$9,600.00" in page and "<strong>3</strong>" in page
    assert "Mon, Mar 8, 2027: 150 people</title>" in page  # the bar grew by 60


def test_the_rescue_cost_is_a_tour_setting_with_its_limits_stated(client, auth, make):
    tour, _, _ = _tour_with_reports(make)
    auth.login()
    bad = client.post(f"/coordinator/tours/{tour.slug}/results/rescue-cost", data={"cost": "0"})
    assert bad.status_code == 400
    assert "Give a whole number of US dollars from 1 to 1,000,000." in bad.get_data(as_text=True)
    client.post(f"/coordinator/tours/{tour.slug}/results/rescue-cost", data={"cost": "1500"})
    assert tour.cost_per_rescue_usd == 1500
    page = client.get(f"/coordinator/tours/{tour.slug}/results").get_data(as_text=True)
    assert "<strong>4</strong>" in page


def test_the_csv_has_every_reported_event_and_the_totals_and_runs_no_formula(client, auth, make):
    tour, _, _ = _tour_with_reports(make)
    auth.login()
    response = client.get(f"/coordinator/tours/{tour.slug}/results.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["date", "chapter", "venue"]
    assert [row[1] for row in rows[1:-1]] == [
        "LiNK at UCLA", "LiNK at SF State", "LiNK at NYU", "LiNK at Lost"]
    nyu = rows[3]
    assert nyu[4] == "New York" and nyu[7:10] == ["90", "2100.00", "12"]
    assert nyu[10] == "'=HYPERLINK(\"x\")"
    assert rows[-1][0] == "total" and rows[-1][7:9] == ["240", "6600.00"]
    assert "2 rescues at $3,000 each" in rows[-1][10]


def test_the_request_list_shows_each_chapters_history_before_this_tour(client, auth, make):
    past = make.tour(slug="spring-2026", name="Spring 2026", start=date(2026, 3, 1),
                     end=date(2026, 4, 25))
    speaker = make.speaker(past)
    visited = make.request(past, chapter_name="LiNK at UCLA", **LA)
    make.assignment(visited, speaker, date(2026, 3, 12))
    _report(visited, "held", attendance=75, dollars=1200)
    tour = make.tour()
    make.request(tour, chapter_name="LiNK at  ucla", **LA)
    make.request(tour, chapter_name="LiNK at NYU", **NYC)
    auth.login()
    page = " ".join(client.get(f"/coordinator/tours/{tour.slug}/requests").get_data(
        as_text=True).split())
    assert "Before this tour: 1 visit, 75 people, $1,200, last Thu, Mar 12, 2026" in page
    assert "No visit before this tour" in page

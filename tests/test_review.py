"""The review page (timeline, map, unserved requests, summary, changes, warnings); exports."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, time

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, SolveRun, SolveState, SpeakerUnavailability
from scheduler.services import editing
from scheduler.services.proposal import tour_instance
from scheduler.solver.checker import check_solution, haversine_km
from scheduler.solving import runs
from scheduler.solving.execute import run_solve

LA = {"lat": 34.0729, "lon": -118.4422, "city": "Los Angeles, California"}
BERKELEY = {"lat": 37.8719, "lon": -122.2585, "city": "Berkeley, California"}


@pytest.fixture
def scene(app, auth, make):
    """A tour with one published event, one proposed event and one unserved request."""
    auth.login()
    tour = make.tour()
    ana = make.speaker(tour, display_name="Ana", full_name="Private Name")
    ucla = make.request(tour, chapter_name="LiNK at UCLA", dates=(date(2027, 3, 10),), **LA)
    cal = make.request(
        tour, chapter_name="LiNK at Cal", dates=(date(2027, 3, 11), date(2027, 3, 13)), **BERKELEY
    )
    lonely = make.request(tour, chapter_name="Far Away Club", dates=(date(2027, 3, 12),))
    make.assignment(ucla, ana, date(2027, 3, 10))
    make.assignment(cal, ana, date(2027, 3, 11), state=AssignmentState.PROPOSED)
    run = SolveRun(
        tour=tour,
        state=SolveState.SUCCEEDED,
        gap=0.125,
        result={"unassigned": [{"request": lonely.format_id, "reason": "H3: Ana is busy"}]},
    )
    db.session.add(run)
    db.session.commit()
    return {"tour": tour, "ana": ana, "ucla": ucla, "cal": cal, "lonely": lonely}


def review_page(client, tour) -> str:
    response = client.get(f"/coordinator/tours/{tour.slug}/review")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_review_requires_a_logged_in_coordinator(client, make, app):
    tour = make.tour()
    response = client.get(f"/coordinator/tours/{tour.slug}/review")
    assert response.status_code == 302
    assert "/coordinator/login" in response.headers["Location"]


def test_timeline_shows_each_event_with_chapter_city_and_km_from_the_previous(client, scene):
    page = review_page(client, scene["tour"])

    timeline = page[
        page.index('<table class="timeline"') : page.index(
            "</table>", page.index('<table class="timeline"')
        )
    ]
    assert "LiNK at UCLA" in timeline and "Los Angeles, California" in timeline
    assert "LiNK at Cal" in timeline and "Berkeley, California" in timeline
    assert "km from home" in timeline  # the first talk's leg starts at the speaker's home
    km = haversine_km(LA["lat"], LA["lon"], BERKELEY["lat"], BERKELEY["lon"])
    assert f"{km:,.0f} km" in timeline  # Los Angeles to Berkeley, about 544 km
    assert timeline.count("<tr>") == 1 + 8  # header and the 8 weeks of 1 March..25 April


def test_review_draws_a_route_map_per_speaker_through_their_events(client, scene):
    page = review_page(client, scene["tour"])

    start = page.index("<svg")
    root = ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    svg = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{svg}title").text == "Route of Ana"
    assert [
        g.find(f"{svg}title").text for g in root.iter(f"{svg}g") if g.get("class") == "stop"
    ] == ["1. LiNK at UCLA", "2. LiNK at Cal"]


def test_review_lists_unserved_requests_with_the_solver_reason_and_summary(client, scene):
    page = review_page(client, scene["tour"])

    assert "Far Away Club" in page
    assert "talks on one day: how many, how far apart and fitting the clock: Ana is busy" in page
    assert "67%" in page  # 2 of 3 requests served
    assert "12.5%" in page  # the gap of the latest run
    assert "Private Name" not in page


def test_review_shows_the_difference_from_the_published_schedule(client, scene):
    editing.unassign(scene["ucla"])

    page = review_page(client, scene["tour"])

    changes = page[page.index('id="changes-heading"') : page.index('class="speaker-plan"')]
    assert "change-added" in changes and "LiNK at Cal" in changes
    assert "change-cancelled" in changes and "LiNK at UCLA" in changes
    assert "Preview and publish" in page


def test_review_warns_of_assignments_broken_by_later_unavailability(client, scene, make):
    db.session.add(SpeakerUnavailability(speaker=scene["ana"], date=date(2027, 3, 10)))
    db.session.commit()

    page = review_page(client, scene["tour"])

    assert "Assignments broken by later changes" in page
    assert "Ana cannot do Wed, Mar 10, 2027" in page


def test_a_published_event_a_later_change_broke_is_shown_moved_because_of_that_change(
    client, app, auth, make
):
    """Issue 19: after publication Ana marks the day of a confirmed talk unavailable; the next
    solve moves it, and the changes say why in plain words. A move by hand carries no reason."""
    auth.login()
    tour = make.tour()
    ana = make.speaker(tour, display_name="Ana")
    ucla = make.request(
        tour, chapter_name="LiNK at UCLA", dates=(date(2027, 3, 10), date(2027, 3, 11)), **LA
    )
    cal = make.request(
        tour, chapter_name="LiNK at Cal", dates=(date(2027, 3, 15), date(2027, 3, 16)), **BERKELEY
    )
    make.assignment(ucla, ana, date(2027, 3, 10))
    make.assignment(cal, ana, date(2027, 3, 15))
    db.session.add(SpeakerUnavailability(speaker=ana, date=date(2027, 3, 10), marked_by="speaker"))
    db.session.commit()

    run = run_solve(runs.start(tour, 10, "coord@example.org").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    db.session.expire_all()
    editing.move(cal, ana, date(2027, 3, 16))

    page = review_page(client, tour)
    changes = page[page.index('id="changes-heading"') : page.index('class="speaker-plan"')]
    assert "Moved: Ana marked Wed, Mar 10, 2027 unavailable" in changes
    assert changes.count("Moved:") == 1  # LiNK at Cal was moved by hand, nothing broke it
    assert ana.format_id not in changes and ucla.format_id not in changes


def test_later_pages_show_the_next_timelines_and_unassigned_requests_with_their_reasons(
    client, auth, make
):
    """Timelines come four speakers a page and unassigned requests fifty a page; each page draws
    its own speakers and words its own requests' reasons."""
    auth.login()
    tour = make.tour()
    speakers = [make.speaker(tour, display_name=f"Speaker {n}") for n in range(1, 6)]
    requests = [make.request(tour, chapter_name=f"Club {n:02d}") for n in range(1, 52)]
    reasons = [
        {"request": r.format_id, "reason": f"H2: {speakers[0].format_id} is away"}
        for r in requests
    ]
    db.session.add(SolveRun(tour=tour, state=SolveState.SUCCEEDED, result={"unassigned": reasons}))
    db.session.commit()
    url = f"/coordinator/tours/{tour.slug}/review"

    second = client.get(f"{url}?plans_page=2&unserved_page=2").get_data(as_text=True)
    first = client.get(url).get_data(as_text=True)

    assert 'aria-label="Timeline of Speaker 5"' in second
    assert 'aria-label="Timeline of Speaker 1"' not in second
    assert 'aria-label="Timeline of Speaker 4"' in first
    assert 'aria-label="Timeline of Speaker 5"' not in first
    unassigned = second[second.index('id="unserved-heading"') :]
    assert "Club 51" in unassigned and "Club 50" not in unassigned
    assert "Speaker 1 is away" in unassigned and speakers[0].format_id not in unassigned


def test_schedule_csv_quotes_cells_that_a_spreadsheet_would_run(client, app, make, auth):
    auth.login()
    tour = make.tour()
    speaker = make.speaker(tour, display_name="=cmd|' /C calc'!A0")
    request = make.request(tour, chapter_name='=HYPERLINK("http://evil")', city="+1 City")
    make.assignment(request, speaker, date(2027, 3, 10))

    response = client.get(f"/coordinator/tours/{tour.slug}/exports/schedule.csv?schedule=published")

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert rows[0]["chapter"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["speaker"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["city"] == "'+1 City"
    assert rows[0]["date"] == "2027-03-10"


def test_solution_json_is_the_proposal_in_the_tour_format_and_passes_the_checker(client, scene):

    response = client.get(f"/coordinator/tours/{scene['tour'].slug}/exports/solution.json")

    solution = json.loads(response.get_data(as_text=True))
    assert solution["format"] == "speaker-tour-solution/2"
    assert sorted(a["date"] for a in solution["assignments"]) == ["2027-03-10", "2027-03-11"]
    assert solution["unassigned"] == [
        {"request": scene["lonely"].format_id, "reason": "H3: Ana is busy"}
    ]
    assert check_solution(tour_instance(scene["tour"]), solution) == []


def test_itinerary_is_a_printable_page_per_speaker(client, scene):
    tour = scene["tour"]
    page = client.get(f"/coordinator/tours/{tour.slug}/itinerary?schedule=proposal")
    text = page.get_data(as_text=True)

    assert "itinerary-speaker" in text and "Wed, Mar 10, 2027" in text
    assert text.index("LiNK at UCLA") < text.index("LiNK at Cal")
    assert "jo@example.edu" in text  # the chapter contact the speaker meets
    assert "DRAFT, not published" in text
    published = client.get(f"/coordinator/tours/{tour.slug}/itinerary?schedule=published")
    assert "LiNK at Cal" not in published.get_data(as_text=True)
    assert client.get(f"/coordinator/tours/{tour.slug}/exports").status_code == 200


CHICAGO = {"home_city": "Chicago, Illinois", "home_lat": 41.8781, "home_lon": -87.6298}
BOSTON = {"city": "Boston, Massachusetts", "timezone": "America/New_York"}


def test_each_timeline_shows_the_legs_from_and_back_home_and_km_a_week_against_the_cap(
    client, app, auth, make
):
    auth.login()
    tour = make.tour(max_km_per_week=2000.0)
    ana = make.speaker(tour, display_name="Ana", **CHICAGO)
    ucla = make.request(tour, chapter_name="LiNK at UCLA", dates=(date(2027, 3, 10),), **LA)
    cal = make.request(tour, chapter_name="LiNK at Cal", dates=(date(2027, 3, 11),), **BERKELEY)
    make.assignment(ucla, ana, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    make.assignment(cal, ana, date(2027, 3, 11), state=AssignmentState.PROPOSED)

    page = review_page(client, tour)

    from_home = haversine_km(CHICAGO["home_lat"], CHICAGO["home_lon"], LA["lat"], LA["lon"])
    back_home = haversine_km(
        BERKELEY["lat"], BERKELEY["lon"], CHICAGO["home_lat"], CHICAGO["home_lon"]
    )
    between = haversine_km(LA["lat"], LA["lon"], BERKELEY["lat"], BERKELEY["lon"])
    assert (
        f"from home to the first talk (LiNK at UCLA, Wed, Mar 10, 2027): {from_home:,.0f} km"
        in page
    )
    assert (
        f"back home after the last talk (LiNK at Cal, Thu, Mar 11, 2027): {back_home:,.0f} km"
        in page
    )
    assert f"{from_home + between + back_home:,.0f} km with the legs from and back home" in page
    assert f"{between:,.0f} of 2,000 km" in page  # the week of 8 March, against the cap
    assert "over the cap" not in page
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    route = ET.fromstring(svg).find(".//{http://www.w3.org/2000/svg}polyline")
    points = route.get("points").split()
    assert len(points) == 4 and points[0] == points[-1]  # home, UCLA, Cal, home
    assert "Home: Chicago, Illinois" in svg


def test_a_day_with_several_talks_lists_them_in_time_order(client, app, auth, make):
    auth.login()
    tour = make.tour(max_events_per_day=3)
    ana = make.speaker(tour, display_name="Ana")
    evening = make.request(
        tour, chapter_name="Evening Club", dates=(date(2027, 3, 10),), start_time=time(19, 0), **LA
    )
    noon = make.request(
        tour, chapter_name="Noon Club", dates=(date(2027, 3, 10),), start_time=time(12, 0), **LA
    )
    for request in (evening, noon):
        make.assignment(request, ana, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    page = review_page(client, tour)

    day = page[page.index('data-date="2027-03-10"') : page.index('data-date="2027-03-11"')]
    assert day.index("12:00\u202fPM Pacific Time") < day.index("<strong>Noon Club</strong>")
    assert day.index("<strong>Noon Club</strong>") < day.index("7:00\u202fPM Pacific Time")
    assert day.index("7:00\u202fPM Pacific Time") < day.index("<strong>Evening Club</strong>")
    stops = page[page.index("<ol>", page.index('class="route"')) :]
    assert "<li>Wed, Mar 10, 2027, 12:00\u202fPM Pacific Time · Noon Club" in stops


def refusal(client, tour, request, speaker, day: str) -> str:
    response = client.post(
        f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/place",
        data={"day": day, "speaker": speaker.id},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_talk_that_does_not_fit_the_clock_is_refused_in_words(client, auth, make):
    auth.login()
    tour = make.tour(max_events_per_day=2)
    grace = make.speaker(tour, display_name="Grace")
    first = make.request(tour, chapter_name="UCLA", dates=(date(2027, 3, 10),), **LA)
    second = make.request(  # also 19:00, 15 km away: two talks that start together never fit
        tour, chapter_name="USC", dates=(date(2027, 3, 10),), lat=34.0224, lon=-118.2851
    )
    make.assignment(first, grace, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    page = refusal(client, tour, second, grace, "2027-03-10")

    assert (
        "Not changed: Grace has UCLA (Royce Hall) and USC (Royce Hall) on Wed, Mar 10, 2027"
        in page
    )
    assert "at the same time" in page and "H3" not in page
    assert editing.placed_row(second) is None


def test_a_first_talk_beyond_a_days_drive_from_home_is_refused_in_words(client, auth, make):
    auth.login()
    tour = make.tour()  # starts 1 March; the speaker lives in Los Angeles
    grace = make.speaker(tour, display_name="Grace")
    boston = make.request(
        tour, chapter_name="BU", dates=(date(2027, 3, 1),), lat=42.3601, lon=-71.0589, **BOSTON
    )

    page = refusal(client, tour, boston, grace, "2027-03-01")

    assert "Not changed: Grace&#39;s home is 4,169 km from BU (Royce Hall)" in page
    assert "not reachable by Mon, Mar 1, 2027" in page and "H9" not in page
    assert editing.placed_row(boston) is None


def test_a_week_over_the_driving_cap_is_refused_in_words(client, auth, make):
    auth.login()
    tour = make.tour(max_km_per_week=500.0)
    grace = make.speaker(tour, display_name="Grace")
    ucla = make.request(tour, chapter_name="UCLA", dates=(date(2027, 3, 10),), **LA)
    cal = make.request(tour, chapter_name="Cal", dates=(date(2027, 3, 11),), **BERKELEY)
    make.assignment(ucla, grace, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    page = refusal(client, tour, cal, grace, "2027-03-11")  # 544 km in the week of 8 March

    assert "Not changed: Grace drives 544 km in the week of Mon, Mar 8, 2027" in page
    assert "at most 500 km a week" in page and "H10" not in page
    assert editing.placed_row(cal) is None


def test_the_printable_itinerary_shows_the_leg_from_home_and_the_leg_home(client, scene):
    tour, ana = scene["tour"], scene["ana"]
    page = client.get(f"/coordinator/tours/{tour.slug}/itinerary?schedule=proposal")
    text = page.get_data(as_text=True)

    from_home = haversine_km(ana.home_lat, ana.home_lon, LA["lat"], LA["lon"])
    back = haversine_km(BERKELEY["lat"], BERKELEY["lon"], ana.home_lat, ana.home_lon)
    assert f"{from_home:,.0f} km from home (Los Angeles)" in text
    assert "Back home to Los Angeles after the last talk" in text
    assert f"{back:,.0f} km" in text

"""The review page (timeline, map, unserved requests, summary, changes, warnings); exports."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, SolveRun, SolveState, SpeakerUnavailability
from scheduler.services import editing
from scheduler.solver.checker import check_solution, haversine_km

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
    assert "first stop" in timeline
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

    assert "Far Away Club" in page and "events per day: Ana is busy" in page
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
    assert "Ana cannot do 2027-03-10" in page


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
    from scheduler.tour_format import export_tour

    response = client.get(f"/coordinator/tours/{scene['tour'].slug}/exports/solution.json")

    solution = json.loads(response.get_data(as_text=True))
    assert solution["format"] == "speaker-tour-solution/1"
    assert sorted(a["date"] for a in solution["assignments"]) == ["2027-03-10", "2027-03-11"]
    assert solution["unassigned"] == [
        {"request": scene["lonely"].format_id, "reason": "H3: Ana is busy"}
    ]
    assert check_solution(export_tour(scene["tour"]), solution) == []


def test_itinerary_is_a_printable_page_per_speaker(client, scene):
    tour = scene["tour"]
    page = client.get(f"/coordinator/tours/{tour.slug}/itinerary?schedule=proposal")
    text = page.get_data(as_text=True)

    assert "itinerary-speaker" in text and "Wed 10 Mar 2027" in text
    assert text.index("LiNK at UCLA") < text.index("LiNK at Cal")
    assert "jo@example.edu" in text  # the chapter contact the speaker meets
    assert "DRAFT, not published" in text
    published = client.get(f"/coordinator/tours/{tour.slug}/itinerary?schedule=published")
    assert "LiNK at Cal" not in published.get_data(as_text=True)
    assert client.get(f"/coordinator/tours/{tour.slug}/exports").status_code == 200

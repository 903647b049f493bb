"""Edits on the review page answer beside the edited row, as a fragment for the page's script or
as the page itself without JavaScript; the last edit of a tour can be undone (one level)."""

import re
from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState
from scheduler.services import proposal, publishing

LA = {"lat": 34.0729, "lon": -118.4422, "city": "Los Angeles, California"}
BOSTON = {"lat": 42.3601, "lon": -71.0589, "city": "Boston, Massachusetts",
          "timezone": "America/New_York"}
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def tour(app, make, auth):
    auth.login()
    return make.tour()


def row_html(page: str, request_id: int) -> str:
    match = re.search(rf'<tr id="event-{request_id}".*?</tr>', page, re.S)
    assert match, f"no row for request {request_id}"
    return match.group(0)


def test_a_move_by_script_answers_with_the_row_its_outcome_and_the_timeline(client, make, tour):
    speaker = make.speaker(tour, display_name="Grace")
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    response = client.post(
        f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/place",
        data={"day": "2027-03-12", "speaker": speaker.id},
        headers=FETCH,
    )

    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    row = row_html(fragment, request.id)
    assert "Moved: LiNK at UCLA on Fri, Mar 12, 2027 with Grace." in row
    assert 'class="row-outcome row-outcome-ok" role="status"' in row
    assert f'id="plan-{speaker.id}"' in fragment and 'data-date="2027-03-12"' in fragment
    assert '<html' not in fragment
    assert proposal.placed_row(request).date == date(2027, 3, 12)


def test_without_script_a_refused_move_returns_to_the_row_with_the_reason_beside_it(
    client, make, tour
):
    speaker = make.speaker(tour, display_name="Grace")
    ucla = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    boston = make.request(tour, dates=(date(2027, 3, 11),), chapter_name="BU", **BOSTON)
    make.assignment(ucla, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    url = f"/coordinator/tours/{tour.slug}/review/requests/{boston.id}/place"

    response = client.post(url, data={"day": "2027-03-11", "speaker": speaker.id})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/review#event-{boston.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    row = row_html(page, boston.id)
    assert "row-outcome-refused" in row and "Not changed: Grace cannot drive from UCLA" in row
    assert 'class="flashes"' not in page
    assert proposal.placed_row(boston) is None
    assert "Not changed" not in client.get(f"/coordinator/tours/{tour.slug}/review").get_data(
        as_text=True
    )


def test_undo_puts_back_the_last_move_once(client, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    client.post(
        f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/place",
        data={"day": "2027-03-12", "speaker": speaker.id},
    )
    page = client.get(f"/coordinator/tours/{tour.slug}/review").get_data(as_text=True)
    assert "Last edit: Moved: LiNK at UCLA on Fri, Mar 12, 2027" in page

    response = client.post(f"/coordinator/tours/{tour.slug}/review/undo", headers=FETCH)

    assert "Undone: Moved: LiNK at UCLA on Fri, Mar 12, 2027" in row_html(
        response.get_data(as_text=True), request.id
    )
    db.session.expire_all()
    assert proposal.placed_row(request).date == date(2027, 3, 10)
    again = client.post(f"/coordinator/tours/{tour.slug}/review/undo", follow_redirects=True)
    assert "There is no edit to undo." in again.get_data(as_text=True)


def test_undo_of_an_unassign_restores_the_published_event(client, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, **LA)
    make.assignment(request, speaker, date(2027, 3, 10))
    client.post(f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/unassign")
    assert proposal.placed_row(request) is None

    client.post(f"/coordinator/tours/{tour.slug}/review/undo")

    db.session.expire_all()
    assert proposal.placed_row(request).state == AssignmentState.CONFIRMED
    assert publishing.preview(tour).nothing_to_publish


def test_undo_refuses_when_the_event_changed_since(client, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    client.post(f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/pin/on")
    publishing.publish(tour, "coord@example.org")

    response = client.post(f"/coordinator/tours/{tour.slug}/review/undo", follow_redirects=True)

    assert "Not undone: LiNK at UCLA has changed since" in response.get_data(as_text=True)
    db.session.expire_all()
    assert proposal.placed_row(request).state == AssignmentState.CONFIRMED
    assert proposal.placed_row(request).pinned

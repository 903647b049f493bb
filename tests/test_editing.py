"""Hand edits of a proposal: every edit is checked against the hard rules, refusals name them."""

from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState
from scheduler.services import editing, proposal

LA = {"lat": 34.0729, "lon": -118.4422, "city": "Los Angeles, California"}
BERKELEY = {"lat": 37.8719, "lon": -122.2585, "city": "Berkeley, California"}
BOSTON = {
    "lat": 42.3601,
    "lon": -71.0589,
    "city": "Boston, Massachusetts",
    "timezone": "America/New_York",
}


@pytest.fixture
def tour(app, make):
    return make.tour()


def rules_of(refused: pytest.ExceptionInfo) -> set[str]:
    return {v.rule for v in refused.value.violations}


def test_move_to_a_date_too_far_to_travel_is_refused_naming_h4(make, tour):
    speaker = make.speaker(tour)
    ucla = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    boston = make.request(
        tour, dates=(date(2027, 3, 11), date(2027, 3, 20)), chapter_name="BU", **BOSTON
    )
    make.assignment(ucla, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    make.assignment(boston, speaker, date(2027, 3, 20), state=AssignmentState.PROPOSED)

    with pytest.raises(editing.EditRefused) as refused:
        editing.move(boston, speaker, date(2027, 3, 11))

    assert rules_of(refused) == {"H4"}
    assert "km" in refused.value.violations[0].message
    db.session.refresh(boston)
    assert proposal.placed_row(boston).date == date(2027, 3, 20)


def test_second_event_on_the_same_day_is_refused_naming_h3(make, tour):
    speaker = make.speaker(tour)
    ucla = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    other = make.request(
        tour,
        dates=(date(2027, 3, 10),),
        chapter_name="USC",
        lat=34.0224,
        lon=-118.2851,
        city="Los Angeles",
    )
    make.assignment(ucla, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    with pytest.raises(editing.EditRefused) as refused:
        editing.move(other, speaker, date(2027, 3, 10))

    assert rules_of(refused) == {"H3"}
    assert proposal.placed_row(other) is None


def test_assigning_a_speaker_on_an_unavailable_day_is_refused_naming_h2(make, tour):
    speaker = make.speaker(tour, unavailable=(date(2027, 3, 12),))
    request = make.request(tour, dates=(date(2027, 3, 12),), **LA)

    with pytest.raises(editing.EditRefused) as refused:
        editing.move(request, speaker, date(2027, 3, 12))

    assert rules_of(refused) == {"H2"}
    assert "unavailable" in refused.value.violations[0].message


def test_a_date_the_chapter_did_not_offer_is_refused_naming_h1(make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 12),), **LA)

    with pytest.raises(editing.EditRefused) as refused:
        editing.move(request, speaker, date(2027, 3, 13))

    assert rules_of(refused) == {"H1"}


def test_moving_a_published_event_drafts_a_proposed_row_and_keeps_the_confirmed_one(make, tour):
    speaker = make.speaker(tour)
    other = make.speaker(tour, display_name="Speaker B")
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    confirmed = make.assignment(request, speaker, date(2027, 3, 10))

    editing.move(request, other, date(2027, 3, 12))

    proposed = request.assignment_in(AssignmentState.PROPOSED)
    assert (proposed.speaker, proposed.date) == (other, date(2027, 3, 12))
    assert proposal.placed_row(request) is proposed
    assert (confirmed.state, confirmed.date, confirmed.speaker) == (
        AssignmentState.CONFIRMED,
        date(2027, 3, 10),
        speaker,
    )


def test_assigning_an_unserved_request_by_hand_places_it(make, tour):
    speaker = make.speaker(tour)
    near = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    berkeley = make.request(tour, dates=(date(2027, 3, 11),), chapter_name="Cal", **BERKELEY)
    make.assignment(near, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    editing.move(berkeley, speaker, date(2027, 3, 11))

    assert proposal.placed_row(berkeley).date == date(2027, 3, 11)
    assert editing.hard_violations(tour, editing.current_placements(tour)) == []


def test_an_edit_is_not_blocked_by_a_violation_it_did_not_cause(make, tour):
    """A speaker fell ill after drafting: other events can still be edited one at a time."""
    ill = make.speaker(tour, unavailable=(date(2027, 3, 10),))
    well = make.speaker(tour, display_name="Speaker B")
    broken = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    make.assignment(broken, ill, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    boston = make.request(tour, dates=(date(2027, 3, 20),), chapter_name="BU", **BOSTON)

    editing.move(boston, well, date(2027, 3, 20))

    assert proposal.placed_row(boston).speaker == well


def test_unassigning_a_published_event_leaves_it_published_until_publish(make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, **LA)
    confirmed = make.assignment(request, speaker, date(2027, 3, 10))

    editing.unassign(request)

    assert proposal.placed_row(request) is None
    assert confirmed.state == AssignmentState.CONFIRMED
    assert proposal.draft(tour) == {request: None}


def test_moving_an_unassigned_published_event_back_restores_it(make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, **LA)
    make.assignment(request, speaker, date(2027, 3, 10))
    editing.unassign(request)

    editing.move(request, speaker, date(2027, 3, 10))

    assert request.assignment_in(AssignmentState.DROPPED) is None
    assert proposal.placed_row(request).date == date(2027, 3, 10)


def test_pin_follows_its_event_when_moved_and_can_be_removed(make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    editing.set_pinned(request, True)
    editing.move(request, speaker, date(2027, 3, 12))
    assert proposal.placed_row(request).pinned

    editing.set_pinned(request, False)
    assert not proposal.placed_row(request).pinned


def test_refused_move_shows_the_rule_and_names_people_not_ids(client, auth, make, tour):
    auth.login()
    speaker = make.speaker(tour, display_name="Grace")
    ucla = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="UCLA", **LA)
    boston = make.request(tour, dates=(date(2027, 3, 11),), chapter_name="BU", **BOSTON)
    make.assignment(ucla, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    response = client.post(
        f"/coordinator/tours/{tour.slug}/review/requests/{boston.id}/place",
        data={"day": "2027-03-11", "speaker": speaker.id},
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert (
        "Not changed: Grace cannot drive from UCLA (Royce Hall) on Wed, Mar 10, 2027 "
        "to BU (Royce Hall) on Thu, Mar 11, 2027: 4,185 km, at most 650 km in 1 day." in page
    )
    assert "H4" not in page and "rq-" not in page and "sp-" not in page
    assert proposal.placed_row(boston) is None


def test_move_form_accepts_a_valid_move(client, auth, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    response = client.post(
        f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/place",
        data={"day": "2027-03-12", "speaker": speaker.id},
        follow_redirects=True,
    )

    assert "Moved: LiNK at UCLA on Fri, Mar 12, 2027" in response.get_data(as_text=True)
    db.session.expire_all()
    assert proposal.placed_row(request).date == date(2027, 3, 12)


def test_pin_and_unassign_buttons_change_the_proposal(client, auth, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    request = make.request(tour, **LA)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    base = f"/coordinator/tours/{tour.slug}/review/requests/{request.id}"

    client.post(f"{base}/pin/on")
    db.session.expire_all()
    assert proposal.placed_row(request).pinned

    client.post(f"{base}/unassign")
    db.session.expire_all()
    assert proposal.placed_row(request) is None

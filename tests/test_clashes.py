"""Assignments that later changes break are flagged for coordinators, and a speaker's new
unavailable date reaches the tour export, so the next solve avoids it."""

from datetime import date, time

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, RequestChoice, RequestState, SpeakerUnavailability
from scheduler.services.clashes import clashing_assignments
from scheduler.services.event_checks import (
    DATE_NOT_OFFERED,
    HOME,
    LANGUAGE,
    OUTSIDE_TOUR,
    SAME_DAY,
    UNAVAILABLE,
    WEEKLY_KM,
    WITHDRAWN,
)
from scheduler.services.proposal import tour_instance

MARCH_10 = date(2027, 3, 10)
MARCH_11 = date(2027, 3, 11)


def rules(tour) -> list[tuple[int, str]]:
    db.session.expire_all()
    return [(clash.assignment.id, clash.rule) for clash in clashing_assignments(tour)]


@pytest.fixture
def tour(app, make):
    return make.tour()


def test_assignments_that_still_fit_the_data_are_not_flagged(make, tour):
    speaker = make.speaker(tour)
    make.assignment(make.request(tour, dates=(MARCH_10,)), speaker, MARCH_10)

    assert rules(tour) == []


def test_a_day_the_speaker_cannot_do_flags_confirmed_and_proposed_assignments(make, tour):
    speaker = make.speaker(tour)
    confirmed = make.assignment(make.request(tour, dates=(MARCH_10,)), speaker, MARCH_10)
    proposed = make.assignment(make.request(tour, dates=(MARCH_10,)), speaker, MARCH_10,
                               state=AssignmentState.PROPOSED)
    make.assignment(make.request(tour, dates=(MARCH_10,)), speaker, MARCH_10,
                    state=AssignmentState.CANCELLED)
    db.session.add(SpeakerUnavailability(speaker=speaker, date=MARCH_10, note="Doctor",
                                         marked_by="speaker"))
    db.session.commit()

    clashes = [c for c in clashing_assignments(tour) if c.rule == UNAVAILABLE]

    assert [(c.assignment.id, c.rule) for c in clashes] == [
        (confirmed.id, UNAVAILABLE), (proposed.id, UNAVAILABLE)]
    assert clashes[0].reason == (
        'Speaker A cannot do Wed, Mar 10, 2027: marked by the speaker (note: "Doctor").')


def test_a_withdrawn_request_flags_its_assignment(make, tour):
    request = make.request(tour, dates=(MARCH_10,), chapter_name="LiNK at UCLA")
    assignment = make.assignment(request, make.speaker(tour), MARCH_10)
    request.state = RequestState.WITHDRAWN
    db.session.commit()

    (clash,) = clashing_assignments(tour)

    assert (clash.assignment.id, clash.rule) == (assignment.id, WITHDRAWN)
    assert clash.reason == "LiNK at UCLA withdrew this request."


def test_a_date_the_request_no_longer_offers_flags_its_assignment(make, tour):
    request = make.request(tour, dates=(MARCH_10,))
    assignment = make.assignment(request, make.speaker(tour), MARCH_10)
    request.choices = [RequestChoice(rank=1, first_date=MARCH_11, last_date=MARCH_11)]
    db.session.commit()

    assert rules(tour) == [(assignment.id, DATE_NOT_OFFERED)]


def test_a_date_outside_a_changed_tour_window_is_flagged(make, tour):
    request = make.request(tour, dates=(MARCH_10,))
    assignment = make.assignment(request, make.speaker(tour), MARCH_10)
    tour.start = MARCH_11
    db.session.commit()

    assert (assignment.id, OUTSIDE_TOUR) in rules(tour)
    (clash,) = [c for c in clashing_assignments(tour) if c.rule == OUTSIDE_TOUR]
    assert clash.reason == (
        "LiNK at UCLA on Wed, Mar 10, 2027 lies outside the tour "
        "(Thu, Mar 11, 2027 to Sun, Apr 25, 2027)."
    )


def test_a_language_the_speaker_no_longer_speaks_flags_the_assignment(make, tour):
    speaker = make.speaker(tour, languages=["en", "ko"])
    assignment = make.assignment(make.request(tour, language="ko"), speaker, MARCH_10)
    speaker.languages = ["en"]
    db.session.commit()

    (clash,) = clashing_assignments(tour)

    assert (clash.assignment.id, clash.rule) == (assignment.id, LANGUAGE)
    assert clash.reason == "Speaker A does not speak the talk's language (Korean)."


def test_each_broken_rule_of_one_assignment_is_listed(make, tour):
    speaker = make.speaker(tour, unavailable=(MARCH_10,), languages=["en"])
    request = make.request(tour, dates=(MARCH_11,), language="ko")
    assignment = make.assignment(request, speaker, MARCH_10)

    assert rules(tour) == [
        (assignment.id, UNAVAILABLE), (assignment.id, DATE_NOT_OFFERED), (assignment.id, LANGUAGE)]


def test_other_tours_are_not_checked(make, tour):
    other = make.tour(slug="other-tour", name="Other tour")
    speaker = make.speaker(other, unavailable=(MARCH_10,))
    make.assignment(make.request(other, dates=(MARCH_10,)), speaker, MARCH_10)

    assert rules(tour) == []
    assert len(rules(other)) == 1


def test_a_date_marked_on_the_speaker_page_flags_the_clash_and_reaches_the_export(
    client, make, tour
):
    speaker = make.speaker(tour)
    assignment = make.assignment(make.request(tour, dates=(MARCH_10,)), speaker, MARCH_10,
                                 state=AssignmentState.PROPOSED)
    assert rules(tour) == []

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-10", "note": "Family wedding"})

    assert response.status_code == 302
    assert rules(tour) == [(assignment.id, UNAVAILABLE)]
    (exported,) = tour_instance(tour)["speakers"]
    assert exported["id"] == speaker.format_id
    assert exported["unavailable"] == ["2027-03-10"]
    assert "Family wedding" not in str(tour_instance(tour))


def test_the_next_solve_avoids_a_date_marked_on_the_speaker_page(client, make, tour):
    """Offered its first choice, the request goes there, until the speaker cannot do it."""
    from scheduler.solver import parse_instance, solve

    speaker = make.speaker(tour)
    request = make.request(tour, dates=(MARCH_10, MARCH_11))

    def solved_dates() -> list[str]:
        db.session.expire_all()
        solution = solve(parse_instance(tour_instance(tour)), time_limit=10, workers=1).to_dict()
        return [(a["request"], a["speaker"], a["date"]) for a in solution["assignments"]]

    assert solved_dates() == [(request.format_id, speaker.format_id, "2027-03-10")]

    client.post(f"/speaker/{speaker.feed_token}/availability", data={"day": "2027-03-10"})

    assert solved_dates() == [(request.format_id, speaker.format_id, "2027-03-11")]


def test_a_published_talk_on_a_day_the_speaker_now_cannot_do_is_moved_by_the_next_solve(
    client, make, tour
):
    """Pinning it would make every solve INFEASIBLE; unpinned, the solver finds another day."""
    from scheduler.solver import parse_instance, solve

    speaker = make.speaker(tour)
    request = make.request(tour, dates=(MARCH_10, date(2027, 3, 11)))
    make.assignment(request, speaker, MARCH_10, state=AssignmentState.CONFIRMED)
    assert tour_instance(tour)["pinned"] == [
        {"request": request.format_id, "speaker": speaker.format_id, "date": "2027-03-10"}
    ]

    client.post(f"/speaker/{speaker.feed_token}/availability", data={"day": "2027-03-10"})
    db.session.expire_all()

    assert tour_instance(tour)["pinned"] == []
    solution = solve(parse_instance(tour_instance(tour)), time_limit=10, workers=1).to_dict()
    assert solution["status"] == "OPTIMAL"
    assert [a["date"] for a in solution["assignments"]] == ["2027-03-11"]


def test_a_home_moved_out_of_reach_of_the_first_talk_is_flagged_in_plain_words(make, tour):
    """The tour starts 1 March; from Los Angeles, UCLA on 10 March is easy, from Boston not."""
    speaker = make.speaker(tour, display_name="Grace")
    request = make.request(tour, dates=(date(2027, 3, 2),), chapter_name="LiNK at UCLA")
    assignment = make.assignment(request, speaker, date(2027, 3, 2))
    assert rules(tour) == []

    speaker.home_city, speaker.home_lat, speaker.home_lon = "Boston", 42.3601, -71.0589
    db.session.commit()

    (clash,) = clashing_assignments(tour)
    assert (clash.assignment.id, clash.rule) == (assignment.id, HOME)
    assert "Grace" in clash.reason and "LiNK at UCLA" in clash.reason
    assert "km" in clash.reason and "H9" not in clash.reason


def test_a_talk_moved_to_the_same_hour_as_another_that_day_is_flagged(make, tour):
    tour.max_events_per_day = 2
    speaker = make.speaker(tour, display_name="Grace")
    noon = make.request(tour, dates=(MARCH_10,), chapter_name="Noon Club", start_time=time(12))
    evening = make.request(tour, dates=(MARCH_10,), chapter_name="Evening Club")
    make.assignment(noon, speaker, MARCH_10)
    moved = make.assignment(evening, speaker, MARCH_10)
    assert rules(tour) == []

    evening.start_time = time(12, 30)  # the chapter changed its time
    db.session.commit()

    (clash,) = clashing_assignments(tour)
    assert (clash.assignment.id, clash.rule) == (moved.id, SAME_DAY)
    assert "Grace" in clash.reason and "Noon Club" in clash.reason
    assert "Evening Club" in clash.reason


def test_a_week_over_a_lowered_driving_cap_is_flagged(make, tour):
    speaker = make.speaker(tour, display_name="Grace")
    ucla = make.request(tour, dates=(MARCH_10,), chapter_name="UCLA")
    cal = make.request(
        tour, dates=(MARCH_11,), chapter_name="Cal", lat=37.8719, lon=-122.2585, city="Berkeley"
    )
    make.assignment(ucla, speaker, MARCH_10)
    later = make.assignment(cal, speaker, MARCH_11)
    assert rules(tour) == []

    speaker.max_km_per_week = 300.0  # her own pace: 544 km that week is too much
    db.session.commit()

    (clash,) = clashing_assignments(tour)
    assert (clash.assignment.id, clash.rule) == (later.id, WEEKLY_KM)
    assert "Grace" in clash.reason and "300" in clash.reason

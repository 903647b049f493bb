"""What a coordinator reads about a broken rule or a solver's reason: names, dates, plain words."""

from datetime import date, time

import pytest

from scheduler.services import wording
from scheduler.solver.checker import Violation


@pytest.fixture
def tour(app, make):
    tour = make.tour()
    make.speaker(tour, display_name="Grace", unavailable=(date(2027, 2, 8),))
    make.request(tour, chapter_name="LiNK at UCLA", dates=(date(2027, 2, 8),))
    return tour


def test_an_unavailable_speaker_is_named_with_the_date(tour):
    speaker, request = tour.speakers[0], tour.requests[0]
    broken = Violation(
        "H2",
        f"H2 unavailable: {speaker.format_id} is unavailable on 2027-02-08 "
        f"but assigned {request.format_id}",
    )

    assert wording.violation(tour, broken) == "Grace is unavailable on Mon, Feb 8, 2027."


def test_a_language_mismatch_names_the_languages(tour):
    speaker, request = tour.speakers[0], tour.requests[0]
    broken = Violation(
        "H2", f"H2 language: {request.format_id} needs 'ko' but {speaker.format_id} speaks en"
    )

    assert wording.violation(tour, broken) == (
        "LiNK at UCLA (Royce Hall, Los Angeles) asks for a talk in Korean; Grace speaks English."
    )


def test_a_solver_pin_conflict_reads_with_chapter_speaker_and_date(tour):
    speaker, request = tour.speakers[0], tour.requests[0]
    message = (
        f"H2 (speaker available and speaking the language): pinned {request.format_id} -> "
        f"{speaker.format_id} on 2027-02-08: {speaker.format_id} is unavailable that day"
    )

    assert wording.plain(tour, message) == (
        "the speaker's availability and language: LiNK at UCLA (Royce Hall, Los Angeles) "
        "pinned to Grace on Mon, Feb 8, 2027: Grace is unavailable that day"
    )


def test_a_reason_names_each_rule_once_in_words(tour):
    message = "capacity: each of the 2 speaker-date pairs is blocked by H4 travel per day (2 of 2)"

    assert wording.plain(tour, message) == (
        "capacity: each of the 2 speaker-date pairs is blocked by travel between events (2 of 2)"
    )


def test_time_zones_are_named_as_people_say_them(app):
    with app.test_request_context():
        assert wording.zone("America/New_York") == "Eastern Time"
        assert wording.event_time(date(2027, 3, 10), time(19, 0), "America/Los_Angeles") == (
            "7:00\u202fPM Pacific Time"
        )

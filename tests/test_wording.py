"""What a coordinator reads about a broken rule or a solver's reason: names, dates, plain words."""

from datetime import date, datetime, time

import pytest

from scheduler.services import editing, wording


@pytest.fixture
def tour(app, make):
    tour = make.tour()
    make.speaker(tour, display_name="Grace", unavailable=(date(2027, 3, 8),))
    make.request(tour, chapter_name="LiNK at UCLA", dates=(date(2027, 3, 8),))
    return tour


def refusals(tour, day=date(2027, 3, 8)) -> list[str]:
    """What a coordinator reads when placing the tour's request with its speaker on ``day``:
    the checker's own violations, worded for a person."""
    speaker, request = tour.speakers[0], tour.requests[0]
    found = editing.check_edit(tour, request, editing.Placement(speaker, day))
    return [wording.violation(tour, broken) for broken in found]


def assert_no_codes_or_ids(text: str) -> None:
    assert "sp-" not in text and "rq-" not in text
    assert not any(f"H{n}" in text for n in range(1, 11))


def test_an_unavailable_speaker_is_named_with_the_date(tour):
    (text,) = refusals(tour)
    assert text.startswith("Grace is unavailable on ")
    assert "LiNK at UCLA" in text and text.endswith(".")
    assert_no_codes_or_ids(text)


def test_a_language_mismatch_names_the_speaker_and_the_chapter(tour):
    tour.requests[0].language = "ko"
    tour.speakers[0].languages = ["en"]
    tour.speakers[0].unavailability.clear()
    (text,) = refusals(tour)
    assert "LiNK at UCLA" in text and "Grace" in text
    assert_no_codes_or_ids(text)


def test_a_solver_pin_conflict_reads_without_its_rule_code(tour):
    message = (
        "LiNK at UCLA (Royce Hall) is pinned to Grace on 8 Feb 2027, but Grace is unavailable "
        "that day (speaker available and speaking the language (H2))"
    )
    text = wording.plain(tour, message)
    assert text.endswith("(speaker available and speaking the language)")
    assert_no_codes_or_ids(text)


def test_a_bare_rule_code_in_a_reason_reads_in_words(tour):
    message = "capacity: each of the 2 speaker-date pairs is blocked by H4 (2 of 2)"
    assert wording.plain(tour, message) == (
        "capacity: each of the 2 speaker-date pairs is blocked by driving between days (2 of 2)"
    )


def test_time_zones_are_named_as_people_say_them(app):
    with app.test_request_context():
        assert wording.zone("America/New_York") == "Eastern Time"
        assert wording.zone("America/Indiana/Indianapolis") == "Eastern Time"
        assert wording.zone("America/Kentucky/Louisville") == "Eastern Time"
        assert wording.event_time(date(2027, 3, 10), time(19, 0), "America/Los_Angeles") == (
            "7:00\u202fPM Pacific Time"
        )


def test_when_something_was_done_is_written_the_locale_way(app):
    with app.test_request_context():
        assert wording.stamp(datetime(2026, 11, 26, 15, 19)) == "Nov 26, 2026, 3:19\u202fPM"

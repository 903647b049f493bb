"""The chapter's advance before its confirmed event; the coordinators' view of what is missing."""

from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, EventAdvance
from scheduler.services import advance

COMPLETE = {
    "host_name": "Jo Host",
    "host_phone": "+1 310 555 0100",
    "building": "Royce Hall",
    "room": "Room 314",
    "arrival_time": "17:30",
    "setup_time": "18:00",
    "projector": "y",
    "microphone": "y",
    "parking": "Lot 4, level 2; unload at the east door",
    "accessibility": "Step-free entrance on the north side",
    "interpreter": "no",
    "lodging": "host-housing",
    "meals": "Dinner with the chapter after the talk",
    "expected_audience": "120",
    "consent_acknowledged": "y",
}


def _event(make, **request_fields):
    tour = make.tour()
    speaker = make.speaker(tour, photo_consent="no-faces")
    chapter_request = make.request(tour, **request_fields)
    make.assignment(chapter_request, speaker, date(2027, 3, 10))
    return tour, chapter_request


def test_an_advance_not_started_lists_what_it_needs_once(client, make):
    _, chapter_request = _event(make)
    page = client.get(f"/r/{chapter_request.token}/advance").get_data(as_text=True)
    assert "Not started. The advance is complete once" in page
    assert page.count("the host&#39;s mobile number") == 1


def test_a_draft_saves_whatever_is_in_and_says_what_is_still_missing(client, make):
    _, chapter_request = _event(make)
    response = client.post(f"/r/{chapter_request.token}/advance",
                           data={"host_name": "Jo Host", "room": "Room 314"})
    assert response.status_code == 303
    page = client.get(f"/r/{chapter_request.token}/advance").get_data(as_text=True)
    assert "Draft: still to fill" in page
    assert "the host&#39;s mobile number" in page and "lodging" in page
    assert 'value="Jo Host"' in page and 'value="Room 314"' in page
    saved = advance.advance_of(chapter_request)
    assert saved.host_name == "Jo Host" and saved.building == ""
    assert "the host's name" not in advance.missing(saved)


def test_the_advance_is_complete_once_the_required_items_are_in(client, make):
    _, chapter_request = _event(make)
    page = client.get(f"/r/{chapter_request.token}/advance").get_data(as_text=True)
    assert "Photos only without the speaker" in page  # the rules the chapter acknowledges
    for name in advance.REQUIRED:
        data = {key: value for key, value in COMPLETE.items() if key != name}
        client.post(f"/r/{chapter_request.token}/advance", data=data)
        assert advance.missing(advance.advance_of(chapter_request)) == [advance.REQUIRED[name]]
    client.post(f"/r/{chapter_request.token}/advance", data=COMPLETE)
    saved = advance.advance_of(chapter_request)
    assert advance.missing(saved) == []
    assert saved.lodging == "host-housing" and saved.interpreter == "no"
    assert saved.expected_audience == 120 and saved.projector and not saved.captions
    page = client.get(f"/r/{chapter_request.token}/advance").get_data(as_text=True)
    assert "Complete." in page


def test_bad_input_is_refused_beside_the_field_and_the_input_kept(client, make):
    _, chapter_request = _event(make)
    data = {**COMPLETE, "host_phone": "call me", "expected_audience": "-3",
            "room": "x" * 101, "building": "Hall\x00B"}
    response = client.post(f"/r/{chapter_request.token}/advance", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a phone number of digits" in page
    assert "Enter a whole number from 0 to 100,000." in page
    assert "Use at most 100 characters (this has 101)." in page
    assert "Use a single line, without line breaks or control characters." in page
    assert 'value="call me"' in page and "Lot 4, level 2" in page
    assert db.session.scalar(db.select(EventAdvance)) is None


def test_hostile_text_is_stored_exactly_and_shown_inert(client, auth, make):
    tour, chapter_request = _event(make)
    hostile = '<script>alert("x")</script> =HYPERLINK("evil")'
    client.post(f"/r/{chapter_request.token}/advance", data={**COMPLETE, "host_name": hostile})
    assert advance.advance_of(chapter_request).host_name == hostile
    for page in (
        client.get(f"/r/{chapter_request.token}/advance"),
        (auth.login(), client.get(f"/coordinator/tours/{tour.slug}/advance"))[1],
    ):
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text


def test_there_is_no_advance_before_the_event_is_confirmed_or_after_a_withdrawal(client, make):
    tour = make.tour()
    waiting = make.request(tour)
    assert client.get(f"/r/{waiting.token}/advance").status_code == 404
    withdrawn = make.request(tour, chapter_name="LiNK at B", state="withdrawn")
    make.assignment(withdrawn, make.speaker(tour, display_name="Other"), date(2027, 3, 12))
    assert client.get(f"/r/{withdrawn.token}/advance").status_code == 404
    proposed = make.request(tour, chapter_name="LiNK at C")
    make.assignment(proposed, tour.speakers[0], date(2027, 3, 14),
                    state=AssignmentState.PROPOSED)
    assert client.post(f"/r/{proposed.token}/advance", data=COMPLETE).status_code == 404


def test_coordinators_see_each_events_advance_complete_or_what_is_missing(client, auth, make):
    tour, done = _event(make, chapter_name="LiNK at Done", venue_name="Done Hall")
    started = make.request(tour, chapter_name="LiNK at Started", venue_name="Started Hall")
    make.assignment(started, tour.speakers[0], date(2027, 3, 12))
    client.post(f"/r/{done.token}/advance", data=COMPLETE)
    client.post(f"/r/{started.token}/advance", data={"host_name": "Sam", "building": "Gym"})
    auth.login()

    every = client.get(f"/coordinator/tours/{tour.slug}/advance").get_data(as_text=True)
    assert "LiNK at Done" in every and "LiNK at Started" in every
    assert ("Missing: the host&#39;s mobile number, the room, the speaker&#39;s arrival time"
            in every)
    assert every.count(">Complete<") == 1

    incomplete = client.get(f"/coordinator/tours/{tour.slug}/advance?show=incomplete")
    text = incomplete.get_data(as_text=True)
    assert "LiNK at Started" in text and "LiNK at Done" not in text
    complete = client.get(f"/coordinator/tours/{tour.slug}/advance?show=complete")
    text = complete.get_data(as_text=True)
    assert "LiNK at Done" in text and "LiNK at Started" not in text
    assert "+1 310 555 0100" in text  # the host's number, tap to call
    assert 'href="tel:+13105550100"' in text


def test_a_chapter_reads_and_changes_only_its_own_advance(client, make):
    tour, mine = _event(make, chapter_name="LiNK at A")
    other = make.request(tour, chapter_name="LiNK at B")
    make.assignment(other, tour.speakers[0], date(2027, 3, 12))
    client.post(f"/r/{other.token}/advance", data={**COMPLETE, "host_name": "Bea Other"})
    page = client.get(f"/r/{mine.token}/advance").get_data(as_text=True)
    assert "Bea Other" not in page
    client.post(f"/r/{mine.token}/advance", data={**COMPLETE, "host_name": "Ann Mine"})
    assert advance.advance_of(other).host_name == "Bea Other"


@pytest.mark.parametrize("page", ["advance", "report"])
def test_the_event_pages_keep_their_token_out_of_referers_indexes_and_caches(client, make, page):
    tour, chapter_request = _event(make)
    response = client.get(f"/r/{chapter_request.token}/{page}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"

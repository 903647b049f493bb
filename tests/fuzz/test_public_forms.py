"""Hostile input on the chapters' forms: the new request, its edit and its withdrawal.

Whatever is typed, the answer is a saved request holding exactly what was typed (shown escaped,
and escaped in the chapter's calendar feed so no second event can be smuggled in), or a refusal
that names the problem and saves nothing. Never a server error; a refused edit changes nothing.
"""

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vText

from scheduler import gazetteer
from scheduler.extensions import db
from scheduler.models import Request, RequestState
from tests.fuzz.checks import assert_inert, assert_refused_with_message, html_of, path_part, send
from tests.fuzz.strategies import (
    FUZZ,
    ICAL_INJECTION,
    IMG,
    MEGABYTE,
    SCRIPT,
    SQL,
    bad_number,
    hostile_text,
    malformed_date,
    oversized_text,
)
from tests.test_request_form import FORM_URL, form_data

# Text kept exactly as typed (the city is matched to the gazetteer, the email checked as one).
STORED_AS_TYPED = {
    "chapter_name": lambda r: r.chapter.name,
    "school": lambda r: r.chapter.school,
    "contact_name": lambda r: r.chapter.contact_name,
    "contact_phone": lambda r: r.chapter.contact_phone,
    "venue_name": lambda r: r.venue_name,
    "venue_address": lambda r: r.venue_address,
    "notes": lambda r: r.notes,
    "contact_email": lambda r: r.chapter.contact_email,
}
TEXT_FIELDS = [*STORED_AS_TYPED, "city"]
NUMBER_FIELDS = ["lat", "lon", "duration_minutes", "expected_audience", "start_time"]
DATE_FIELDS = [f"choices-{row}-{part}" for row in (0, 1) for part in ("first_date", "last_date")]


@pytest.fixture
def tour(make):
    return make.tour(start=date(2027, 3, 1), end=date(2027, 4, 25))


@pytest.fixture
def speaker(make, tour):
    return make.speaker(tour)


@pytest.fixture
def existing(make, tour):
    """A chapter's saved request, whose edit link the hostile edits go to."""
    return make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 17)), notes="Keep me")


def request_count() -> int:
    return db.session.scalar(db.select(db.func.count(Request.id)))


def saved_request(response) -> Request:
    token = response.headers["Location"].split("/")[2]
    db.session.expire_all()
    return db.session.execute(db.select(Request).filter_by(token=token)).scalar_one()


def snapshot(request: Request) -> dict:
    """Everything a chapter can change, read fresh from the database."""
    db.session.expire_all()
    chapter = request.chapter
    return {
        "chapter": (chapter.name, chapter.school, chapter.contact_name, chapter.contact_email,
                    chapter.contact_phone),
        "venue": (request.venue_name, request.venue_address, request.city, request.lat,
                  request.lon, request.timezone),
        "event": (request.start_time, request.duration_minutes, request.expected_audience,
                  request.language, request.notes, request.state),
        "choices": [(c.rank, c.first_date, c.last_date, c.weekdays) for c in request.choices],
        "preferred": [s.id for s in request.preferred_speakers],
    }


def assert_saved_exactly_and_shown_inert(client, stored: Request, field: str, text: str) -> None:
    """Text fields hold what was typed; the city is always one of the gazetteer's."""
    assert gazetteer.lookup(stored.city) is not None
    if field in STORED_AS_TYPED:
        assert STORED_AS_TYPED[field](stored) == text
        assert_inert(html_of(send(client, "GET", f"/r/{stored.token}")), text)


@settings(FUZZ, max_examples=30)
@given(field=st.sampled_from(TEXT_FIELDS), text=hostile_text())
@example(field="chapter_name", text=ICAL_INJECTION)
@example(field="venue_name", text=SCRIPT)
@example(field="chapter_name", text=IMG)
@example(field="notes", text=SQL)
@example(field="notes", text="nul\x00byte")
@example(field="city", text=SQL)
def test_hostile_text_in_a_new_request_is_saved_exactly_or_refused_with_a_message(
    client, tour, field, text
):
    before = request_count()
    response = send(client, "POST", FORM_URL, data=form_data(**{field: text}))
    if response.status_code == 303:
        assert_saved_exactly_and_shown_inert(client, saved_request(response), field, text)
    else:
        html = assert_refused_with_message(response, statuses=(400,))
        assert_inert(html, text)  # what was typed is offered again, as text
        assert request_count() == before


@settings(FUZZ, max_examples=4)
@given(field=st.sampled_from(TEXT_FIELDS), text=oversized_text())
@example(field="notes", text=MEGABYTE)
def test_a_megabyte_in_any_field_is_refused_with_a_message(client, tour, field, text):
    before = request_count()
    response = send(client, "POST", FORM_URL, data=form_data(**{field: text}))
    assert_refused_with_message(response, statuses=(400,))
    assert request_count() == before


@settings(FUZZ, max_examples=20)
@given(field=st.sampled_from(DATE_FIELDS), value=malformed_date(),
       kind=st.sampled_from(["date", "week", "range", "", "fortnight", SCRIPT]))
@example(field="choices-0-first_date", value="2027-02-30", kind="date")
@example(field="choices-0-first_date", value="0000-00-00", kind="date")
@example(field="choices-0-last_date", value="9" * 40, kind="range")
def test_a_malformed_date_is_refused_beside_its_choice(client, tour, field, value, kind):
    before = request_count()
    row = field.split("-")[1]
    response = send(client, "POST", FORM_URL,
                    data=form_data(**{field: value, f"choices-{row}-kind": kind}))
    if response.status_code == 303:
        for choice in saved_request(response).choices:
            assert tour.start <= choice.first_date <= choice.last_date <= tour.end
    else:
        assert_refused_with_message(response, statuses=(400,))
        assert request_count() == before


@settings(FUZZ, max_examples=25)
@given(field=st.sampled_from(NUMBER_FIELDS), value=bad_number(), other=bad_number())
@example(field="lat", value="nan", other="nan")
@example(field="lon", value="inf", other="-inf")
@example(field="duration_minutes", value="9" * 50, other="")
@example(field="expected_audience", value="-" + "9" * 50, other="")
@example(field="start_time", value="25:61", other="")
def test_numbers_out_of_range_nan_and_infinity_are_refused(client, tour, field, value, other):
    """``other`` goes into the partner coordinate, so lat and lon are tried together too."""
    partner = {"lat": "lon", "lon": "lat"}.get(field)
    overrides = {field: value} | ({partner: other} if partner else {})
    before = request_count()
    response = send(client, "POST", FORM_URL, data=form_data(**overrides))
    if response.status_code == 303:
        stored = saved_request(response)
        assert -90 <= stored.lat <= 90 and -180 <= stored.lon <= 180
        assert 15 <= stored.duration_minutes <= 480
        assert stored.expected_audience is None or 1 <= stored.expected_audience <= 100_000
    else:
        assert_refused_with_message(response, statuses=(400,))
        assert request_count() == before


@settings(FUZZ, max_examples=25)
@given(
    extra=st.dictionaries(st.text(max_size=12), hostile_text(), max_size=4),
    missing=st.sets(st.sampled_from(["chapter_name", "contact_email", "city", "venue_name",
                                     "choices-0-first_date", "language", "start_time"])),
    repeated=st.sampled_from(["chapter_name", "language", "choices-0-first_date", "lat"]),
)
def test_missing_duplicated_and_unknown_keys_never_break_the_form(
    client, tour, extra, missing, repeated
):
    """Fields left out, sent twice with different values, or never heard of."""
    data = form_data(**{name: None for name in missing}) | extra
    data[repeated] = [data.get(repeated) or "", "<b>second</b>"]
    before = request_count()
    response = send(client, "POST", FORM_URL, data=data)
    if response.status_code != 303:
        assert_refused_with_message(response, statuses=(400,))
        assert request_count() == before


@settings(FUZZ, max_examples=20)
@given(field=st.sampled_from(TEXT_FIELDS + NUMBER_FIELDS + DATE_FIELDS),
       value=st.one_of(hostile_text(), bad_number(), malformed_date()))
@example(field="chapter_name", value="x" * 201)
@example(field="choices-0-first_date", value="2027-02-30")
@example(field="lat", value="nan")
@example(field="chapter_name", value=ICAL_INJECTION)
def test_a_refused_edit_leaves_the_saved_request_as_it_was(client, existing, field, value):
    before = snapshot(existing)
    response = send(client, "POST", f"/r/{existing.token}/edit",
                    data=form_data(**{field: value}))
    if response.status_code == 303:
        assert_saved_exactly_and_shown_inert(client, existing, field, value)
    else:
        assert_refused_with_message(response, statuses=(400,))
        assert snapshot(existing) == before


@settings(FUZZ, max_examples=20)
@given(chapter=hostile_text(), venue=hostile_text())
@example(chapter=ICAL_INJECTION, venue=ICAL_INJECTION)
@example(chapter="Chapter; with, commas\\ and BEGIN:VEVENT", venue="END:VCALENDAR")
def test_a_saved_hostile_name_stays_one_escaped_event_in_the_chapter_feed(
    client, make, tour, speaker, chapter, venue
):
    response = send(client, "POST", FORM_URL, data=form_data(chapter_name=chapter,
                                                             venue_name=venue))
    if response.status_code != 303:
        assert_refused_with_message(response, statuses=(400,))
        return
    stored = saved_request(response)
    make.assignment(stored, speaker, stored.choices[0].first_date)
    calendar = Calendar.from_ical(send(client, "GET", f"/feeds/chapter/{stored.token}.ics").data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert calendar["NAME"].to_ical() == vText(f"{tour.name}: {chapter}").to_ical()
    assert venue in str(events[0]["SUMMARY"])
    assert str(events[0]["LOCATION"]).startswith(venue)


@settings(FUZZ, max_examples=15)
@given(extra=st.dictionaries(st.sampled_from(["submit", "state", "token", "csrf_token", "x"]),
                             hostile_text(), max_size=3))
def test_withdrawing_with_junk_in_the_form_withdraws_exactly_that_request(
    client, make, tour, extra
):
    mine = make.request(tour)
    other = make.request(tour, chapter_name="Another chapter")
    response = send(client, "POST", f"/r/{mine.token}/withdraw", data=extra)
    assert response.status_code == 303
    db.session.expire_all()
    assert mine.state == RequestState.WITHDRAWN
    assert other.state == RequestState.SUBMITTED


@settings(FUZZ, max_examples=30)
@given(token=st.one_of(hostile_text(), oversized_text().map(lambda t: t[:5000])).filter(bool),
       suffix=st.sampled_from(["", "/edit", "/withdraw", "/created"]),
       method=st.sampled_from(["GET", "POST"]))
@example(token=SQL, suffix="/edit", method="POST")
@example(token="' OR '1'='1", suffix="", method="GET")
def test_a_hostile_token_finds_no_request(client, existing, token, suffix, method):
    """No token but the request's own opens it: SQL, wildcards and junk all answer 404."""
    before = snapshot(existing)
    response = send(client, method, f"/r/{path_part(token)}{suffix}", data=form_data())
    assert response.status_code in (404, 405)
    assert snapshot(existing) == before


@settings(FUZZ, max_examples=20)
@given(slug=hostile_text().filter(bool))
@example(slug="spring-2027' --")
@example(slug="%")
def test_a_hostile_tour_slug_finds_no_form(client, tour, slug):
    response = send(client, "POST", f"/tours/{path_part(slug)}/request", data=form_data())
    assert response.status_code in (404, 405) or slug == tour.slug

"""Hostile input on the coordinators' forms: login, tour and speaker setup, request priority,
the review's hand edits and the solve form.

Coordinators are trusted, but what they type still must not break a page, a feed or the solver:
each value is saved as typed (shown escaped) or refused with a message, and a refused change
leaves the stored row as it was. Never a server error.
"""

import re
from datetime import date
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.coordinator.forms import SLUG_PATTERN
from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, SolveRun, Speaker, Tour
from scheduler.solving.executors import EXTENSION_KEY
from tests.fuzz.checks import (
    assert_inert,
    assert_refused_with_message,
    html_of,
    path_part,
    send,
    shows_an_error,
)
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
from tests.test_tour_setup import SPEAKER_FORM, TOUR_FORM

TOUR_TEXT = ["name", "slug", "description", "timezone_other"]
TOUR_NUMBERS = ["max_km_per_day", "max_events_per_day", "max_events_per_week",
                "max_consecutive_days"]
TOUR_DATES = ["start", "end", "request_deadline"]
TOUR_CHOICES = ["timezone_choice", "state"]
SPEAKER_TEXT = ["display_name", "full_name", "home_city", "contact_email", "contact_phone"]
SPEAKER_NUMBERS = ["home_lat", "home_lon", "max_events"]
SPEAKER_CHOICES = ["languages", "locale"]
OFF_SITE = ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/",
            "/\r\nSet-Cookie: pwned=1", "\\\\evil.example", "javascript:alert(1)", "/%0d%0aX: 1"]


@pytest.fixture
def logged_in(auth):
    auth.login()


@pytest.fixture
def tour(make):
    return make.tour(start=date(2027, 3, 1), end=date(2027, 4, 25))


@pytest.fixture
def speaker(make, tour):
    return make.speaker(tour, display_name="Speaker A")


@pytest.fixture
def placed(make, tour, speaker):
    """A request with a proposed event on its first date: what the review edits act on."""
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 17)), priority=3)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    return request


def tour_row(tour_id: int) -> dict:
    db.session.expire_all()
    tour = db.session.get(Tour, tour_id)
    return {c.key: getattr(tour, c.key) for c in Tour.__table__.columns}


def speaker_row(speaker: Speaker) -> dict:
    db.session.expire_all()
    row = {c.key: getattr(speaker, c.key) for c in Speaker.__table__.columns}
    return row | {"unavailable": [(u.date, u.note) for u in speaker.unavailability]}


def assignments_of(request) -> list[tuple]:
    db.session.expire_all()
    return [(a.speaker_id, a.date, a.state, a.pinned) for a in request.assignments]


# --- Login ---------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=15)
@given(email=st.one_of(hostile_text(), oversized_text()), password=hostile_text())
@example(email="coord@example.org' --", password=SQL)
@example(email="coord@example.org", password="' OR '1'='1")
@example(email="coord@example.org\x00", password="correct horse")
def test_a_hostile_login_is_refused_with_a_message_and_logs_nobody_in(client, make, email,
                                                                      password):
    make.coordinator()
    response = send(client, "POST", "/coordinator/login", data={"email": email,
                                                                "password": password})
    assert_refused_with_message(response, statuses=(200,))
    assert send(client, "GET", "/coordinator/").status_code == 302


@settings(FUZZ, max_examples=12)
@given(target=st.one_of(st.sampled_from(OFF_SITE), hostile_text().map(lambda t: "/" + t)))
@example(target="/\\evil.example")
@example(target="/\r\nSet-Cookie: pwned=1")
@example(target="/\t/evil.example")
def test_login_never_redirects_off_site_or_into_a_header(client, make, target):
    make.coordinator()
    response = send(client, "POST", "/coordinator/login",
                    query_string={"next": target},
                    data={"email": "coord@example.org", "password": "correct horse"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.isprintable() and "\\" not in location
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost") and not location.startswith("//")
    assert "pwned" not in str(response.headers)


# --- Tours ---------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=35)
@given(
    field=st.sampled_from(TOUR_TEXT + TOUR_NUMBERS + TOUR_DATES + TOUR_CHOICES),
    value=st.one_of(hostile_text(), bad_number(), malformed_date()),
)
@example(field="max_km_per_day", value="nan")
@example(field="timezone_other", value="America")
@example(field="timezone_other", value="../../etc/passwd")
@example(field="name", value=ICAL_INJECTION)
@example(field="description", value=SCRIPT)
@example(field="start", value="2027-02-30")
@example(field="state", value="published")
@example(field="description", value=MEGABYTE)
@example(field="name", value="x" * 100_000)
@example(field="slug", value="2027-03-10\n")
def test_a_hostile_new_tour_is_saved_as_typed_or_refused(client, logged_in, field, value):
    data = {**TOUR_FORM, "timezone_choice": "other", "timezone_other": "America/Chicago"}
    data[field] = value
    db.session.execute(db.delete(Tour))  # each example starts from no tours (slugs are free)
    db.session.commit()
    response = send(client, "POST", "/coordinator/tours/new", data=data)
    if response.status_code == 302:
        slug = unquote(response.headers["Location"].rstrip("/").split("/")[-1])
        assert re.fullmatch(SLUG_PATTERN, slug)
        db.session.expire_all()
        tour = db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one()
        assert_valid_tour(tour)
        if field in ("name", "description"):
            assert getattr(tour, field) == (value.strip() if field == "name" else value)
        assert_inert(html_of(send(client, "GET", f"/coordinator/tours/{slug}")), tour.name)
    else:
        assert_refused_with_message(response, statuses=(200,))
        assert db.session.scalar(db.select(db.func.count(Tour.id))) == 0


def assert_valid_tour(tour: Tour) -> None:
    """What the solver and the pages rely on: finite rules in range, a real window and zone."""
    assert 1 <= tour.max_km_per_day <= 5000
    assert 1 <= tour.max_events_per_day <= 10 and 1 <= tour.max_events_per_week <= 70
    assert 1 <= tour.max_consecutive_days <= 366
    assert tour.start <= tour.end
    assert tour.state in ("draft", "open", "closed", "published")
    assert tour.name.strip() and tour.slug


@settings(FUZZ, max_examples=30)
@given(
    field=st.sampled_from(TOUR_TEXT + TOUR_NUMBERS + TOUR_DATES + TOUR_CHOICES),
    value=st.one_of(hostile_text(), bad_number(), malformed_date()),
)
@example(field="max_km_per_day", value="nan")
@example(field="timezone_other", value="Etc")
@example(field="end", value="0000-00-00")
def test_a_refused_tour_edit_changes_nothing(client, logged_in, tour, field, value):
    data = {**TOUR_FORM, "slug": tour.slug, "timezone_choice": "other",
            "timezone_other": "America/Chicago", field: value}
    before = tour_row(tour.id)
    response = send(client, "POST", f"/coordinator/tours/{tour.slug}/edit", data=data)
    if response.status_code == 302:
        db.session.expire_all()
        assert_valid_tour(db.session.get(Tour, tour.id))
    else:
        assert_refused_with_message(response, statuses=(200,))
        assert tour_row(tour.id) == before


# --- Speakers ------------------------------------------------------------------------------------


def unavailable_lines() -> st.SearchStrategy[str]:
    line = st.one_of(malformed_date(), hostile_text(),
                     malformed_date().map(lambda d: f"{d} {SCRIPT}"))
    return st.lists(line, min_size=1, max_size=4).map("\r\n".join)


@settings(FUZZ, max_examples=25)
@given(
    field=st.sampled_from(SPEAKER_TEXT + SPEAKER_NUMBERS + SPEAKER_CHOICES + ["unavailable"]),
    value=st.one_of(hostile_text(), bad_number(), unavailable_lines()),
)
@example(field="home_lat", value="nan")
@example(field="home_lon", value="inf")
@example(field="unavailable", value="2027-02-30\r\n27/3/2027\r\n0000-00-00")
@example(field="display_name", value=ICAL_INJECTION)
@example(field="languages", value=SCRIPT)
def test_a_hostile_new_speaker_is_saved_as_typed_or_refused(client, logged_in, tour, field,
                                                            value):
    data = {**SPEAKER_FORM, field: value}
    if field in ("home_lat", "home_lon"):
        data |= {"home_lat": "40.0", "home_lon": "-75.0", field: value}
    before = db.session.scalar(db.select(db.func.count(Speaker.id)))
    response = send(client, "POST", f"/coordinator/tours/{tour.slug}/speakers/new", data=data)
    if response.status_code == 302:
        db.session.expire_all()
        speaker = db.session.scalars(db.select(Speaker).order_by(Speaker.id.desc())).first()
        assert -90 <= speaker.home_lat <= 90 and -180 <= speaker.home_lon <= 180
        assert set(speaker.languages) <= {"en", "ko"} and speaker.locale in ("en", "ko")
        if field in ("display_name", "full_name", "contact_phone"):
            assert getattr(speaker, field) == value.strip()
        html = html_of(send(client, "GET", f"/coordinator/tours/{tour.slug}/speakers"))
        assert_inert(html, speaker.display_name)
    else:
        assert_refused_with_message(response, statuses=(200,))
        assert db.session.scalar(db.select(db.func.count(Speaker.id))) == before


@settings(FUZZ, max_examples=30)
@given(
    field=st.sampled_from(SPEAKER_TEXT + SPEAKER_NUMBERS + SPEAKER_CHOICES + ["unavailable"]),
    value=st.one_of(hostile_text(), bad_number(), unavailable_lines(), oversized_text()),
)
@example(field="home_lat", value="nan")
@example(field="unavailable", value="2027-03-05 ok\n2027-02-30 bad")
def test_a_refused_speaker_edit_changes_nothing(client, logged_in, tour, speaker, field, value):
    data = {**SPEAKER_FORM, field: value}
    if field in ("home_lat", "home_lon"):
        data |= {"home_lat": "40.0", "home_lon": "-75.0", field: value}
    before = speaker_row(speaker)
    url = f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/edit"
    response = send(client, "POST", url, data=data)
    if response.status_code == 302:
        db.session.expire_all()
        assert -90 <= speaker.home_lat <= 90 and -180 <= speaker.home_lon <= 180
    else:
        assert_refused_with_message(response, statuses=(200,))
        assert speaker_row(speaker) == before


# --- Request list: priority ----------------------------------------------------------------------


@settings(FUZZ, max_examples=30)
@given(value=bad_number())
@example(value="nan")
@example(value="9" * 50)
@example(value="3; DROP TABLE request")
def test_a_hostile_priority_is_refused_with_a_message_and_keeps_the_old_one(
    client, logged_in, tour, placed, value
):
    url = f"/coordinator/tours/{tour.slug}/requests/priorities"
    response = send(client, "POST", url, data={f"priority-{placed.id}": value})
    db.session.expire_all()
    if response.status_code == 302:
        assert placed.priority == int(value)
    else:
        assert_refused_with_message(response, statuses=(400,))
        assert placed.priority == 3


# --- Review: hand edits --------------------------------------------------------------------------


def as_int(text: str) -> int | None:
    """What the form's ``coerce=int`` reads (Python's int() takes " 1 ", "+1", "0_1", "١")."""
    try:
        return int(text)
    except ValueError:
        return None


@settings(FUZZ, max_examples=25)
@given(day=st.one_of(malformed_date(), hostile_text()), speaker_id=bad_number())
@example(day="2027-02-30", speaker_id="1")
@example(day="2027-03-17", speaker_id="nan")
@example(day="2027-03-17", speaker_id="9" * 50)
@example(day="2027-03-12", speaker_id="1")
def test_a_hostile_place_edit_is_refused_with_a_message_and_moves_nothing(
    client, logged_in, tour, speaker, placed, day, speaker_id
):
    before = assignments_of(placed)
    url = f"/coordinator/tours/{tour.slug}/review/requests/{placed.id}/place"
    response = send(client, "POST", url, data={"day": day, "speaker": speaker_id})
    assert response.status_code == 302
    if day in ("2027-03-10", "2027-03-17") and as_int(speaker_id) == speaker.id:
        proposed = [a for a in assignments_of(placed) if a[2] == AssignmentState.PROPOSED]
        assert [(a[0], a[1]) for a in proposed] == [(speaker.id, date.fromisoformat(day))]
    else:
        assert assignments_of(placed) == before
        review = send(client, "GET", f"/coordinator/tours/{tour.slug}/review")
        assert shows_an_error(html_of(review))


@settings(FUZZ, max_examples=15)
@given(
    action=st.sampled_from(["unassign", "pin/on", "pin/off"]),
    junk=st.dictionaries(st.sampled_from(["day", "speaker", "state", "pinned", "x"]),
                         hostile_text(), max_size=3),
)
def test_unassign_and_pin_ignore_junk_fields(client, logged_in, make, tour, speaker, placed,
                                             action, junk):
    db.session.execute(db.delete(Assignment).where(Assignment.request_id == placed.id))
    db.session.commit()
    make.assignment(placed, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    url = f"/coordinator/tours/{tour.slug}/review/requests/{placed.id}/{action}"
    assert send(client, "POST", url, data=junk).status_code == 302
    rows = [a for a in assignments_of(placed) if a[2] == AssignmentState.PROPOSED]
    if action == "unassign":
        assert rows == []
    else:
        assert [pinned for *_, pinned in rows] == [action == "pin/on"]


@settings(FUZZ, max_examples=20)
@given(request_id=hostile_text().filter(bool), state=hostile_text().filter(bool),
       action=st.sampled_from(["place", "unassign", "pin/{state}"]))
@example(request_id="1 OR 1=1", state="on", action="unassign")
@example(request_id="1", state="on' --", action="pin/{state}")
def test_hostile_ids_in_review_links_find_nothing(client, logged_in, tour, placed, request_id,
                                                  state, action):
    before = assignments_of(placed)
    path = action.format(state=path_part(state))
    url = f"/coordinator/tours/{tour.slug}/review/requests/{path_part(request_id)}/{path}"
    response = send(client, "POST", url, data={"day": "2027-03-17", "speaker": "1"})
    assert response.status_code in (404, 405) or request_id == str(placed.id)
    if request_id != str(placed.id):
        assert assignments_of(placed) == before


# --- Solve ---------------------------------------------------------------------------------------


class RecordingExecutor:
    """Stands in for the worker thread: these tests check the form, not the solver."""

    def __init__(self):
        self.submitted: list[int] = []

    def submit(self, run_id: int) -> str:
        self.submitted.append(run_id)
        return f"recorded-{run_id}"


@settings(FUZZ, max_examples=30)
@given(value=bad_number())
@example(value="nan")
@example(value="inf")
@example(value="1e309")
@example(value="-1")
def test_a_hostile_time_limit_is_refused_with_a_message_and_starts_nothing(
    app, client, logged_in, tour, value
):
    app.extensions[EXTENSION_KEY] = RecordingExecutor()
    db.session.execute(db.delete(SolveRun))
    db.session.commit()
    response = send(client, "POST", f"/coordinator/tours/{tour.slug}/solve",
                    data={"time_limit": value})
    runs = db.session.scalars(db.select(SolveRun)).all()
    if response.status_code == 302:
        assert [run.id for run in runs] == app.extensions[EXTENSION_KEY].submitted
        assert len(runs) == 1 and 1 <= runs[0].time_limit <= 3600
    else:
        assert_refused_with_message(response, statuses=(200,))
        assert runs == []


def test_solve_and_feeds_still_work_after_a_hostile_speaker_name(client, logged_in, tour,
                                                                 placed, speaker):
    """A display name holding markup and an iCal injection reaches the review page escaped."""
    url = f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/edit"
    name = f"{IMG}{ICAL_INJECTION}"[:100]
    response = send(client, "POST", url, data={**SPEAKER_FORM, "display_name": name})
    if response.status_code == 302:
        html = html_of(send(client, "GET", f"/coordinator/tours/{tour.slug}/review"))
        assert_inert(html, name.strip())
        assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 1
    else:
        assert_refused_with_message(response, statuses=(200,))

"""Hostile input on the chapter's advance and report forms and the coordinators' report form.

Whatever is typed, the answer is a saved value holding exactly what was typed (shown escaped),
or a refusal that names the problem and changes nothing. Never a server error.
"""

from datetime import timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.extensions import db
from scheduler.services import advance, event_reports
from scheduler.services.consent import venue_today
from tests.fuzz.checks import assert_inert, assert_refused_with_message, html_of, send
from tests.fuzz.strategies import FUZZ, IMG, SCRIPT, bad_number, hostile_text, oversized_text

TEXT_FIELDS = ["host_name", "host_phone", "building", "room", "parking", "accessibility",
               "meals"]
NUMBER_FIELDS = ["expected_audience", "arrival_time", "setup_time"]
REPORT = {"outcome": "held", "attendance": "10", "funds": "100", "signups": "1", "note": ""}


@pytest.fixture
def event(make):
    tour = make.tour()
    chapter_request = make.request(tour, timezone="America/Los_Angeles")
    make.assignment(chapter_request, make.speaker(tour),
                    venue_today("America/Los_Angeles") - timedelta(days=1))
    return chapter_request


def _refused(response) -> None:
    """A field past werkzeug's in-memory cap (scheduler/web/request_bounds.py) is a 413 before
    any view runs; anything else refused says why beside the field."""
    if response.status_code == 413:
        return
    assert_refused_with_message(response)


def _stored_advance(chapter_request) -> dict:
    db.session.expire_all()
    return advance.values_of(advance.advance_of(chapter_request))


def _stored_report(chapter_request) -> dict:
    db.session.expire_all()
    return event_reports.values_of(event_reports.report_of(chapter_request))


@settings(FUZZ, max_examples=30)
@given(field=st.sampled_from(TEXT_FIELDS), text=st.one_of(hostile_text(), oversized_text()))
@example(field="host_name", text=SCRIPT)
@example(field="meals", text=IMG)
def test_advance_text_is_kept_exactly_or_refused(client, event, field, text):
    before = _stored_advance(event)
    response = send(client, "POST", f"/r/{event.token}/advance", data={field: text})
    if response.status_code == 303:
        assert _stored_advance(event)[field] == text
        assert_inert(html_of(send(client, "GET", f"/r/{event.token}/advance")), text)
    else:
        _refused(response)
        assert _stored_advance(event) == before


@settings(FUZZ, max_examples=30)
@given(field=st.sampled_from(NUMBER_FIELDS), value=bad_number())
def test_advance_numbers_and_times_are_sane_or_refused(client, event, field, value):
    before = _stored_advance(event)
    response = send(client, "POST", f"/r/{event.token}/advance", data={field: value})
    if response.status_code == 303:
        stored = _stored_advance(event)[field]
        if field == "expected_audience":
            assert stored is None or 0 <= stored <= event_reports.MAX_ATTENDANCE
    else:
        _refused(response)
        assert _stored_advance(event) == before


@settings(FUZZ, max_examples=40)
@given(field=st.sampled_from(["attendance", "funds", "signups", "outcome", "note"]),
       value=st.one_of(bad_number(), oversized_text()))
@example(field="funds", value="NaN")
@example(field="funds", value="1e400")
@example(field="note", value=SCRIPT)
def test_report_fields_are_sane_or_refused(client, auth, event, field, value):
    before = _stored_report(event)
    response = send(client, "POST", f"/r/{event.token}/report", data={**REPORT, field: value})
    if response.status_code == 303:
        stored = _stored_report(event)
        assert 0 <= stored["attendance"] <= event_reports.MAX_ATTENDANCE
        assert 0 <= stored["funds_cents"] <= event_reports.MAX_FUNDS_USD * 100
        assert stored["outcome"] in event_reports.OUTCOMES
        if field == "note":
            assert stored["note"] == value
    else:
        _refused(response)
        assert _stored_report(event) == before

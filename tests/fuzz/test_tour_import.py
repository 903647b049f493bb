"""Hostile tour files: ``scheduler.tour_format.import_tour`` and ``flask --app wsgi tour import``.

Every file either becomes a draft tour that holds exactly what the file said (and exports to an
instance the solver accepts), or is refused with a message naming the bad field and leaves no
rows behind. Names holding line breaks are escaped in the chapter's calendar feed, so they cannot
add an event. The command never shows a traceback: exit 0 with the slug, or 2 with the reason.
"""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vText

from scheduler.extensions import db
from scheduler.models import Request, Tour
from scheduler.services.proposal import tour_instance
from scheduler.solver import parse_instance
from scheduler.tour_format import TourFormatError, import_tour
from tests.fuzz.checks import send
from tests.fuzz.instances import VALID, VALID_V2, broken_instances, changed
from tests.fuzz.strategies import (
    FUZZ,
    ICAL_INJECTION,
    MEGABYTE,
    SCRIPT,
    SQL,
    hostile_text,
    malformed_date,
)

PATH_PREFIX = r"^(\(top level\)|format|tour|rules|speakers|requests|pinned)"
NAMES = [("tour", "name"), ("requests", 1, "chapter"), ("requests", 1, "venue", "name"),
         ("speakers", 0, "name")]


def tour_count() -> int:
    return db.session.scalar(db.select(db.func.count(Tour.id)))


def imported_or_refused(data) -> Tour | None:
    before = tour_count()
    try:
        tour = import_tour(data)
    except TourFormatError as error:
        assert error.errors and all(line.strip() for line in error.errors)
        assert str(error).split("\n")[0].split(":")[0].split(".")[0].split("[")[0] in (
            "(top level)", "format", "tour", "rules", "speakers", "requests", "pinned"
        ), str(error)
        assert tour_count() == before
        return None
    assert tour_count() == before + 1
    return tour


@settings(FUZZ, max_examples=40)
@given(data=broken_instances())
@example(data=changed(("tour", "timezone"), "America"))
@example(data=changed(("rules", "max_km_per_day"), float("nan")))
@example(data=changed(("requests", 0, "dates", 0, "rank"), 10**30))
@example(data=changed(("requests", 0, "start_time"), "19:00\n"))
@example(data=changed(("speakers", 0, "unavailable"), ["2027-02-30"]))
@example(data=changed(("speakers", 1, "id"), "sp-1"))
@example(data=changed(("pinned", 0, "date"), "0000-00-00"))
@example(data=[VALID])
@example(data=VALID_V2)
def test_a_broken_tour_file_is_refused_naming_the_field_or_imported_whole(app, data):
    tour = imported_or_refused(data)
    if tour is not None:
        exported = tour_instance(tour)
        parse_instance(exported)
        assert len(exported["requests"]) == len(data["requests"])
        assert len(exported["speakers"]) == len(data["speakers"])


@settings(FUZZ, max_examples=30)
@given(where=st.sampled_from(NAMES), text=st.one_of(hostile_text(), st.just(MEGABYTE)))
@example(where=("requests", 1, "chapter"), text=ICAL_INJECTION)
@example(where=("requests", 1, "venue", "name"), text=ICAL_INJECTION)
@example(where=("speakers", 0, "name"), text=ICAL_INJECTION)
@example(where=("tour", "name"), text=SCRIPT)
@example(where=("requests", 1, "chapter"), text=SQL)
def test_hostile_names_are_stored_exactly_and_stay_one_event_in_the_chapter_feed(
    app, client, where, text
):
    tour = imported_or_refused(changed(where, text))
    if tour is None:
        return
    db.session.expire_all()
    request = db.session.execute(
        db.select(Request).filter_by(tour_id=tour.id, external_id="rq-2")
    ).scalar_one()
    speaker = request.assignments[0].speaker
    stored = {("tour", "name"): tour.name, ("requests", 1, "chapter"): request.chapter.name,
              ("requests", 1, "venue", "name"): request.venue_name,
              ("speakers", 0, "name"): speaker.display_name}
    assert stored[where] == text

    calendar = Calendar.from_ical(send(client, "GET", f"/feeds/chapter/{request.token}.ics").data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert calendar["NAME"].to_ical() == vText(f"{tour.name}: {request.chapter.name}").to_ical()
    as_ical_text = f"{speaker.display_name} speaks at {request.venue_name}"
    assert str(events[0]["SUMMARY"]) == as_ical_text.replace("\r\n", "\n").replace("\r", "\n")


# --- The command ---------------------------------------------------------------------------------

RAW_FILES = [
    b"",
    b"null",
    b"[]",
    b'"speaker-tour/1"',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"tour": ' * 50_000 + b"1" + b"}" * 50_000,
    b'{"format": "speaker-tour/1", "rules": {"max_km_per_day": ' + b"9" * 5000 + b"}}",
    b'{"format": "speaker-tour/1", "rules": {"max_km_per_day": NaN}}',
    b'{"format": "speaker-tour/1", "rules": {"max_km_per_day": Infinity}}',
    b"\xff\xfe{\x00}\x00",
    b'{"tour": "\xc3\x28"}',
    b'{"a": "\\ud800"}',
    json.dumps(VALID).encode("utf-16"),
]


def duplicated_keys(key: str, value) -> bytes:
    """VALID's text with ``key`` given twice at the top level, the second time as ``value``."""
    text = json.dumps(VALID)
    return (text[:-1] + f", {json.dumps(key)}: {json.dumps(value)}" + "}").encode()


def assert_clean_exit(result, path: str) -> None:
    """0 and the new slug, or 2 and a message that names the file; never a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 0:
        assert len(result.stdout.strip().splitlines()) == 1
    else:
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{path}: ")


@settings(FUZZ, max_examples=30)
@given(
    content=st.one_of(
        st.sampled_from(RAW_FILES),
        broken_instances().map(lambda d: json.dumps(d).encode()),
        st.builds(duplicated_keys, st.sampled_from(["format", "tour", "requests", "pinned"]),
                  st.one_of(malformed_date(), st.just([]), st.just({}))),
        st.binary(max_size=200),
    )
)
@example(content=RAW_FILES[4])
@example(content=RAW_FILES[6])
@example(content=b"\xef\xbb\xbf" + json.dumps(VALID).encode())
def test_the_import_command_exits_0_or_2_never_with_a_traceback(runner, file_with, content):
    path = file_with(content)
    before = tour_count()
    result = runner.invoke(args=["tour", "import", path])
    assert_clean_exit(result, path)
    assert tour_count() == before + (result.exit_code == 0)

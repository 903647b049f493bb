"""The VCALENDAR bytes themselves: what every calendar app parses before anything else."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar.parser.property import unescape_backslash

from scheduler.services.calendar import CalendarEvent, build_calendar

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
HOSTILE = (
    'Kim, "Jr."; back\\slash\nnew line 한국어 강연 '
    + "very long name " * 12
    + "\r\nBEGIN:VEVENT\r\nUID:evil@example.org\r\nEND:VEVENT"
)


def event(uid="e1@example.org", start=datetime(2027, 3, 14, 19, tzinfo=NEW_YORK), **fields):
    fields.setdefault("summary", "Talk at Royce Hall")
    fields.setdefault("location", "Royce Hall, 340 Royce Dr, Los Angeles")
    fields.setdefault("description", "Chapter: LiNK at UCLA")
    fields.setdefault("url", "https://tour.example.org/r/abc")
    fields.setdefault("sequence", 0)
    fields.setdefault("modified", datetime(2026, 11, 1, 12, 0))
    fields.setdefault("cancelled", False)
    return CalendarEvent(
        uid=uid,
        start=start,
        end=start + timedelta(minutes=90),
        geo=(34.07, -118.44),
        **fields,
    )


def text(value) -> str:
    """icalendar parses NAME and X-WR-CALNAME as unknown types: unescape them as TEXT."""
    return unescape_backslash(value.to_ical().decode())


def build(events, name="Spring tour: Speaker A"):
    return build_calendar(uid="cal@example.org", name=name, description="Talks", events=events)


def test_calendar_carries_the_properties_subscribing_apps_read():
    parsed = Calendar.from_ical(build([event()]))

    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"]
    assert parsed["CALSCALE"] == "GREGORIAN"
    assert parsed["METHOD"] == "PUBLISH"
    assert text(parsed["NAME"]) == text(parsed["X-WR-CALNAME"]) == "Spring tour: Speaker A"
    assert parsed["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert parsed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert parsed["X-PUBLISHED-TTL"].to_ical() == b"PT1H"


def test_event_carries_every_property_with_its_value():
    parsed = Calendar.from_ical(build([event(sequence=3)]))
    (vevent,) = parsed.events

    assert vevent["UID"] == "e1@example.org"
    assert vevent["SUMMARY"] == "Talk at Royce Hall"
    assert vevent["LOCATION"] == "Royce Hall, 340 Royce Dr, Los Angeles"
    assert vevent["DESCRIPTION"] == "Chapter: LiNK at UCLA"
    assert vevent["URL"] == "https://tour.example.org/r/abc"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (34.07, -118.44)
    assert vevent["SEQUENCE"] == 3
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["DTSTAMP"].dt == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert vevent["LAST-MODIFIED"].dt == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_cancelled_event_says_so():
    (vevent,) = Calendar.from_ical(build([event(cancelled=True, sequence=2)])).events
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 2


def test_times_are_venue_local_with_tzid_on_both_sides_of_the_march_dst_switch():
    before = event("before@x", datetime(2027, 3, 13, 19, tzinfo=NEW_YORK))
    after = event("after@x", datetime(2027, 3, 14, 19, tzinfo=NEW_YORK))
    raw = build([before, after])
    parsed = {e["UID"]: e for e in Calendar.from_ical(raw).events}

    assert b"DTSTART;TZID=America/New_York:20270313T190000" in raw
    assert b"DTSTART;TZID=America/New_York:20270314T190000" in raw
    # 19:00 EST is 00:00 UTC the next day; 19:00 EDT is 23:00 UTC the same day.
    assert parsed["before@x"].start.astimezone(UTC) == datetime(2027, 3, 14, 0, tzinfo=UTC)
    assert parsed["after@x"].start.astimezone(UTC) == datetime(2027, 3, 14, 23, tzinfo=UTC)
    assert parsed["after@x"].end.astimezone(UTC) == datetime(2027, 3, 15, 0, 30, tzinfo=UTC)


def test_each_zone_used_gets_one_vtimezone_and_instants_stay_right():
    east = event("east@x", datetime(2027, 3, 20, 19, tzinfo=NEW_YORK))
    west = event("west@x", datetime(2027, 3, 20, 19, tzinfo=LOS_ANGELES))
    west_again = event("west2@x", datetime(2027, 3, 21, 19, tzinfo=LOS_ANGELES))
    parsed = Calendar.from_ical(build([east, west, west_again]))
    starts = {e["UID"]: e.start.astimezone(UTC) for e in parsed.events}

    assert sorted(tz.tz_name for tz in parsed.timezones) == [
        "America/Los_Angeles",
        "America/New_York",
    ]
    assert parsed.get_missing_tzids() == set()
    assert starts["east@x"] == datetime(2027, 3, 20, 23, tzinfo=UTC)
    assert starts["west@x"] == datetime(2027, 3, 21, 2, tzinfo=UTC)
    assert starts["west2@x"] == datetime(2027, 3, 22, 2, tzinfo=UTC)


def test_vtimezone_describes_the_dst_switch_for_apps_without_a_zone_database():
    parsed = Calendar.from_ical(build([event()]))
    (zone,) = parsed.timezones
    offsets = {(part.name, part["TZOFFSETTO"].td) for part in zone.subcomponents}
    assert ("STANDARD", timedelta(hours=-5)) in offsets
    assert ("DAYLIGHT", timedelta(hours=-4)) in offsets


def test_hostile_text_is_escaped_folded_and_cannot_inject_an_event():
    raw = build(
        [event("one@x", summary=HOSTILE, location=HOSTILE, description=HOSTILE), event("two@x")],
        name=HOSTILE,
    )

    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75, line
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == 2
    assert not [line for line in lines if line.startswith(b"UID:evil")]
    assert b'Kim\\, "Jr."\\; back\\\\slash\\nnew' in raw.replace(b"\r\n ", b"")

    parsed = Calendar.from_ical(raw)
    expected = HOSTILE.replace("\r\n", "\n")
    (first,) = [e for e in parsed.events if e["UID"] == "one@x"]
    assert [e["UID"] for e in parsed.events] == ["one@x", "two@x"]
    assert first["SUMMARY"] == first["LOCATION"] == first["DESCRIPTION"] == expected
    assert text(parsed["NAME"]) == text(parsed["X-WR-CALNAME"]) == expected


def test_folding_never_splits_a_korean_character():
    raw = build([event(summary="한국어 강연 " * 30)])
    for line in raw.split(b"\r\n"):
        line.decode("utf-8")  # a split multi-byte character would raise here
    (vevent,) = Calendar.from_ical(raw).events
    assert vevent["SUMMARY"] == "한국어 강연 " * 30


def test_same_input_gives_the_same_bytes():
    """ETags and caches rely on a feed not changing when its data did not."""
    assert build([event()]) == build([event()])


def test_empty_feed_is_still_a_valid_calendar():
    parsed = Calendar.from_ical(build([]))
    assert parsed.events == []
    assert parsed["METHOD"] == "PUBLISH"

"""iCalendar bytes for a feed, built with ``icalendar`` only.

Nothing here knows the database or who reads the feed: callers pass finished texts
(``CalendarEvent``), so escaping, folding at 75 octets, CRLF line ends and VTIMEZONE
components are all the library's job and cannot be bypassed by hand-written lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration, vText

PRODID = "-//Speaker Tour Scheduler//Feeds 1.0//EN"
# How often calendar apps should poll: Apple reads X-PUBLISHED-TTL, RFC 7986 REFRESH-INTERVAL.
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT, already worded for its reader. ``start``/``end`` carry the venue's ZoneInfo."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    geo: tuple[float, float]
    description: str
    url: str | None
    sequence: int
    modified: datetime
    cancelled: bool


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """Generating a VTIMEZONE walks the zone's transitions, so each zone and span is made once."""
    return Timezone.from_tzinfo(
        ZoneInfo(tzid),
        tzid=tzid,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


def _utc(moment: datetime) -> datetime:
    """Database times are naive UTC; iCal needs them marked as UTC (``...Z``)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _vevent(item: CalendarEvent) -> Event:
    event = Event.new(
        uid=item.uid,
        stamp=_utc(item.modified),
        last_modified=_utc(item.modified),
        start=item.start,
        end=item.end,
        summary=item.summary,
        location=item.location,
        description=item.description,
        url=item.url,
        sequence=item.sequence,
        status="CANCELLED" if item.cancelled else "CONFIRMED",
    )
    event.add("geo", item.geo)
    return event


def build_calendar(*, uid: str, name: str, description: str, events: list[CalendarEvent]) -> bytes:
    """A VCALENDAR with one VTIMEZONE per zone used, then the events in start order."""
    calendar = Calendar.new(
        prodid=PRODID, uid=uid, method="PUBLISH", calscale="GREGORIAN", refresh_interval=REFRESH
    )
    # icalendar types these as "unknown" and would write them unescaped: make them TEXT.
    for key, text in (
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("DESCRIPTION", description),
        ("X-WR-CALDESC", description),
    ):
        calendar.add(key, vText(text))
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("x-published-ttl", vDuration(REFRESH))

    if events:
        first_year = min(item.start.year for item in events)
        last_year = max(item.end.year for item in events)
        for tzid in sorted({item.start.tzinfo.key for item in events}):
            calendar.add_component(_vtimezone(tzid, first_year, last_year))
    for item in sorted(events, key=lambda item: (item.start.astimezone(UTC), item.uid)):
        calendar.add_component(_vevent(item))
    return calendar.to_ical()

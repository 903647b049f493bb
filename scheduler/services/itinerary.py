"""A speaker's itinerary: their events in time order with every leg, the one read model behind
the review timelines, the printable itineraries, the speaker's own page and the feeds.

Times are the venue's wall clock in the venue's zone: a speaker driving from Los Angeles to
Boston must read "7:00 PM EST" for Boston, never a time converted to where they are now. Events
are ordered as the tour format orders them (date, then start instant), and the legs are those of
its travel objective: from home to the first event, between consecutive events, and from the last
event back home. The km a week are the format's H10 measure (km between consecutive events of one
ISO week; the legs into a week's first event and the legs home are not counted), so the figure a
coordinator reads against the cap is the one the checker enforces.

The speaker's home is private: only coordinators and the speaker's own page may show these legs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request, Speaker
from scheduler.solver.geo import haversine_km


def venue_times(request: Request, day: date) -> tuple[datetime, datetime]:
    """Start on the venue's clock; the end is added on the UTC axis so DST cannot skew it."""
    zone = ZoneInfo(request.timezone)
    start = datetime.combine(day, request.start_time, tzinfo=zone)
    end = (start.astimezone(UTC) + timedelta(minutes=request.duration_minutes)).astimezone(zone)
    return start, end


@dataclass(frozen=True)
class Stop:
    """One event. ``km_from_previous`` is the leg into it: from home for the first event, else
    from the previous event; ``days_since_previous`` is None for the first event."""

    assignment: Assignment
    start: datetime
    end: datetime
    km_from_previous: float
    days_since_previous: int | None

    @property
    def request(self) -> Request:
        return self.assignment.request

    @property
    def chapter(self):
        return self.assignment.request.chapter

    @property
    def date(self) -> date:
        return self.assignment.date

    @property
    def from_home(self) -> bool:
        return self.days_since_previous is None


@dataclass(frozen=True)
class WeekDriving:
    """The km between a speaker's consecutive events in one ISO week, against their cap."""

    monday: date
    km: float
    cap: float | None

    @property
    def over(self) -> bool:
        return self.cap is not None and self.km > self.cap

    @property
    def share(self) -> float | None:
        """Share of the cap used, for a bar; None without a cap."""
        return None if not self.cap else self.km / self.cap


@dataclass(frozen=True)
class Itinerary:
    speaker: Speaker
    stops: list[Stop]
    km_home: float | None  # the last event back home; None without events
    weeks: list[WeekDriving]

    @property
    def km(self) -> float:
        """Every km driven: from home, between events, back home."""
        return sum(stop.km_from_previous for stop in self.stops) + (self.km_home or 0.0)

    @property
    def weekly_cap(self) -> float | None:
        return self.speaker.weekly_km_cap


def _sort_key(row: Assignment) -> tuple:
    start, _ = venue_times(row.request, row.date)
    return row.date, start.astimezone(UTC), row.request_id, row.id


def _weeks(stops: list[Stop], cap: float | None) -> list[WeekDriving]:
    """Every ISO week with an event; the leg into the week's first event is not counted (H10)."""
    driving: dict[date, float] = {}
    previous_week = None
    for stop in stops:
        monday = stop.date - timedelta(days=stop.date.weekday())
        if monday == previous_week:
            driving[monday] += stop.km_from_previous
        else:
            driving[monday] = 0.0
        previous_week = monday
    return [WeekDriving(monday, km, cap) for monday, km in sorted(driving.items())]


def build(speaker: Speaker, rows: Iterable[Assignment]) -> Itinerary:
    """The itinerary of ``speaker`` through ``rows`` (their assignments in one schedule)."""
    ordered = sorted(rows, key=_sort_key)
    stops: list[Stop] = []
    lat, lon, previous_day = speaker.home_lat, speaker.home_lon, None
    for row in ordered:
        request = row.request
        start, end = venue_times(request, row.date)
        gap = None if previous_day is None else (row.date - previous_day).days
        km = haversine_km(lat, lon, request.lat, request.lon)
        stops.append(Stop(row, start, end, km_from_previous=km, days_since_previous=gap))
        lat, lon, previous_day = request.lat, request.lon, row.date
    km_home = haversine_km(lat, lon, speaker.home_lat, speaker.home_lon) if stops else None
    return Itinerary(speaker, stops, km_home, _weeks(stops, speaker.weekly_km_cap))


def confirmed(speaker: Speaker) -> Itinerary:
    """The published itinerary: the speaker's confirmed events."""
    rows = db.session.execute(
        db.select(Assignment)
        .filter_by(speaker_id=speaker.id, state=AssignmentState.CONFIRMED)
        .options(selectinload(Assignment.request).selectinload(Request.chapter))
    ).scalars()
    return build(speaker, rows)


def by_speaker(speakers: Iterable[Speaker], rows: Iterable[Assignment]) -> list[Itinerary]:
    """One itinerary per speaker (in the given order) through the rows of one schedule."""
    own: dict[int, list[Assignment]] = {}
    for row in rows:
        own.setdefault(row.speaker_id, []).append(row)
    return [build(speaker, own.get(speaker.id, [])) for speaker in speakers]


def upcoming(stops: list[Stop], today: date, days: int = 7) -> list[Stop]:
    """The events of the ``days`` days starting today: the speaker's week at a glance."""
    last = today + timedelta(days=days - 1)
    return [stop for stop in stops if today <= stop.date <= last]


def next_after(stops: list[Stop], day: date) -> Stop | None:
    return next((stop for stop in stops if stop.date > day), None)

"""A speaker's confirmed events in the order they travel them, with the legs between them.

Times are the venue's wall clock in the venue's zone: a speaker flying from Los Angeles to
Boston must read "7:00 PM EST" for Boston, never a time converted to where they are now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request, Speaker

EARTH_RADIUS_KM = 6371.0  # as the tour format prescribes for every distance


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Stop:
    """One event of the itinerary. ``days_since_previous`` is None for the first event."""

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


def venue_times(request: Request, day: date) -> tuple[datetime, datetime]:
    """Start on the venue's clock; the end is added on the UTC axis so DST cannot skew it."""
    zone = ZoneInfo(request.timezone)
    start = datetime.combine(day, request.start_time, tzinfo=zone)
    end = (start.astimezone(UTC) + timedelta(minutes=request.duration_minutes)).astimezone(zone)
    return start, end


def confirmed_assignments(speaker: Speaker) -> list[Assignment]:
    return list(
        db.session.execute(
            db.select(Assignment)
            .filter_by(speaker_id=speaker.id, state=AssignmentState.CONFIRMED)
            .options(selectinload(Assignment.request).selectinload(Request.chapter))
        ).scalars()
    )


def itinerary(speaker: Speaker) -> list[Stop]:
    """Confirmed events in the order they happen; the first leg starts at the speaker's home."""
    timed = []
    for assignment in confirmed_assignments(speaker):
        start, end = venue_times(assignment.request, assignment.date)
        timed.append((start.astimezone(UTC), assignment.id, assignment, start, end))
    timed.sort(key=lambda item: item[:2])

    stops: list[Stop] = []
    lat, lon, previous_day = speaker.home_lat, speaker.home_lon, None
    for _, _, assignment, start, end in timed:
        request = assignment.request
        stops.append(
            Stop(
                assignment=assignment,
                start=start,
                end=end,
                km_from_previous=haversine_km(lat, lon, request.lat, request.lon),
                days_since_previous=(
                    None if previous_day is None else (assignment.date - previous_day).days
                ),
            )
        )
        lat, lon, previous_day = request.lat, request.lon, assignment.date
    return stops


def upcoming(stops: list[Stop], today: date, days: int = 7) -> list[Stop]:
    """The events of the ``days`` days starting today: the speaker's week at a glance."""
    last = today + timedelta(days=days - 1)
    return [stop for stop in stops if today <= stop.assignment.date <= last]


def next_after(stops: list[Stop], day: date) -> Stop | None:
    return next((stop for stop in stops if stop.assignment.date > day), None)

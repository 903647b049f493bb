"""The speaker's day sheets: per day of talks, where and when, the drive from last night's place,
and what the chapter's advance says (host and mobile, room, arrival, lodging, meals).

Built from the speaker's own itinerary only (``itinerary.confirmed``), so a sheet never holds
another speaker's event or another chapter's host. Drive times are the km at the tour's stated
speed (``Tour.same_day_speed_kmh``), the speed the solver plans with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.extensions import db
from scheduler.models import EventAdvance, Speaker
from scheduler.services import itinerary


@dataclass(frozen=True)
class Talk:
    stop: itinerary.Stop
    advance: EventAdvance | None


@dataclass(frozen=True)
class DaySheet:
    day: date
    talks: list[Talk]
    # The drive into the day's first talk: from home on the first day, else from the last
    # talk before it (where the speaker spent the night).
    km_in: float
    from_home: bool
    # The drive home after the tour's last talk; None on every other day.
    km_home: float | None


def hours(km: float, speed_kmh: float) -> float:
    return km / speed_kmh if speed_kmh > 0 else 0.0


def sheets(speaker: Speaker) -> list[DaySheet]:
    plan = itinerary.confirmed(speaker)
    ids = [stop.assignment.request_id for stop in plan.stops]
    advances = {
        row.request_id: row
        for row in db.session.execute(
            db.select(EventAdvance).filter(EventAdvance.request_id.in_(ids))
        ).scalars()
    }
    by_day: dict[date, list[itinerary.Stop]] = {}
    for stop in plan.stops:
        by_day.setdefault(stop.date, []).append(stop)
    last_day = plan.stops[-1].date if plan.stops else None
    return [
        DaySheet(
            day=day,
            talks=[Talk(stop, advances.get(stop.assignment.request_id)) for stop in stops],
            km_in=stops[0].km_from_previous,
            from_home=stops[0].from_home,
            km_home=plan.km_home if day == last_day else None,
        )
        for day, stops in by_day.items()
    ]

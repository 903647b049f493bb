"""What the Review page reads: each speaker's timeline, weekly driving and route map, the
summary figures, the whole tour loaded in a few queries, and the coordinator's filters (speaker,
week, state, kind of change, search) and pages over its long lists.

A 500-request tour has some 300 events and 200 unserved requests; drawn all at once the page
was megabytes. The filters narrow every list on the page alike; what remains is shown a page of
``PAGE_SIZE`` rows at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil

from markupsafe import Markup
from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request, Speaker, Tour
from scheduler.services import editing
from scheduler.services.event_checks import broken_by
from scheduler.services.itinerary import Itinerary, Stop, WeekDriving, by_speaker
from scheduler.services.route_map import RouteStop, render_route_svg
from scheduler.services.versions import KIND_ORDER, Change

PAGE_SIZE = 50
# Timelines are the heaviest part of the page: four speakers a page, or one in the speaker view.
PLANS_PER_PAGE = 4
STATES = {
    "placed": "placed",
    "unserved": "not placed",
    "pinned": "pinned",
    "changed": "changed since publication",
}


def preload(tour: Tour) -> list:
    """Load the tour's requests (chapter, choices, preferred speakers, rows and their speakers)
    and speakers (with their unavailable days) in a handful of queries instead of several per
    request: the page and the checker's export of the tour read all of them.

    The session holds rows weakly: keep the returned list for as long as the rows are read.
    """
    loaded = db.session.execute(
        db.select(Tour)
        .filter_by(id=tour.id)
        .options(
            selectinload(Tour.requests).selectinload(Request.chapter),
            selectinload(Tour.requests).selectinload(Request.choices),
            selectinload(Tour.requests).selectinload(Request.preferred_speakers),
            selectinload(Tour.requests)
            .selectinload(Request.assignments)
            .selectinload(Assignment.speaker),
            selectinload(Tour.speakers).selectinload(Speaker.unavailability),
        )
        .execution_options(populate_existing=True)
    ).scalar_one()
    return [loaded, *loaded.requests, *loaded.speakers]


@dataclass(frozen=True)
class Filters:
    """The coordinator's choice of what to see; empty values show everything."""

    speaker: int | None = None
    week: date | None = None
    state: str = ""
    change: str = ""
    search: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        """From a query string; values that mean nothing are ignored, never an error."""
        week = None
        try:
            week = date.fromisoformat(args.get("week", ""))
            week -= timedelta(days=week.weekday())
        except ValueError:
            pass
        state = args.get("state", "")
        change = args.get("change", "")
        return cls(
            speaker=args.get("speaker", type=int),
            week=week,
            state=state if state in STATES else "",
            change=change if change in KIND_ORDER else "",
            search=args.get("q", "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.speaker or self.week or self.state or self.change or self.search)

    def query(self) -> dict:
        """The filters as query arguments, to keep them in links and after edits."""
        values = {
            "speaker": self.speaker,
            "week": self.week.isoformat() if self.week else None,
            "state": self.state,
            "change": self.change,
            "q": self.search,
        }
        return {key: value for key, value in values.items() if value}

    def keeps(
        self, request: Request, row: Assignment | None, change: str | None, on: date | None
    ) -> bool:
        """Whether one request (placed by ``row`` on ``on``, or not) passes every filter."""
        if self.speaker and (row is None or row.speaker_id != self.speaker):
            return False
        if self.week and (on is None or not self.week <= on < self.week + timedelta(days=7)):
            return False
        if self.state == "placed" and row is None:
            return False
        if self.state == "unserved" and row is not None:
            return False
        if self.state == "pinned" and (row is None or not row.pinned):
            return False
        if self.state == "changed" and change is None:
            return False
        if self.change and change != self.change:
            return False
        if self.search:
            needle = self.search.casefold()
            haystack = f"{request.chapter.name} {request.city} {request.venue_name}".casefold()
            if needle not in haystack:
                return False
        return True


    def keeps_change(self, change: Change) -> bool:
        """Whether a change from the published schedule passes the filters."""
        entries = [e for e in (change.before, change.after) if e is not None]
        if self.change and change.kind != self.change:
            return False
        if self.state in ("unserved", "pinned"):
            return False
        if self.speaker and self.speaker not in {e["speaker_id"] for e in entries}:
            return False
        if self.week and not any(
            self.week <= date.fromisoformat(e["date"]) < self.week + timedelta(days=7)
            for e in entries
        ):
            return False
        if self.search:
            current = change.current
            haystack = f"{current['chapter']} {current['city']} {current['venue']}"
            return self.search.casefold() in haystack.casefold()
        return True


@dataclass(frozen=True)
class Paged:
    """One page of a long list: ``items`` of ``total``, page ``number`` of ``pages``."""

    items: Sequence
    number: int
    pages: int
    total: int


def page_of(items: Sequence, number: int | None, size: int = PAGE_SIZE) -> Paged:
    pages = max(1, ceil(len(items) / size))
    number = min(max(number or 1, 1), pages)
    return Paged(items[(number - 1) * size : number * size], number, pages, len(items))


def page_holding(items: Sequence, wanted, size: int = PAGE_SIZE) -> int:
    """The page number on which ``wanted`` is listed (the first when it is not)."""
    for index, item in enumerate(items):
        if item == wanted:
            return index // size + 1
    return 1


def tour_weeks(tour: Tour) -> list[date]:
    """The Mondays of the tour's weeks, for the week filter."""
    monday = tour.start - timedelta(days=tour.start.weekday())
    weeks = []
    while monday <= tour.end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@dataclass
class TimelineEvent:
    stop: Stop
    change: str | None

    @property
    def request(self) -> Request:
        return self.stop.request

    @property
    def row(self) -> Assignment:
        return self.stop.assignment


@dataclass
class Day:
    date: date
    in_tour: bool
    unavailable: bool
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class Week:
    days: list[Day]
    driving: WeekDriving | None  # None: no event that week


@dataclass
class SpeakerPlan:
    itinerary: Itinerary
    events: list[TimelineEvent]
    weeks: list[Week]
    route_map: Markup

    @property
    def speaker(self) -> Speaker:
        return self.itinerary.speaker

    @property
    def km(self) -> float:
        return self.itinerary.km


def _weeks(tour: Tour, plan: Itinerary, events: list[TimelineEvent]) -> list[Week]:
    """Monday-to-Sunday rows covering the tour window; a day's events in time order."""
    speaker = plan.speaker
    driving = {week.monday: week for week in plan.weeks}
    unavailable = set(speaker.unavailable_dates)
    by_day: dict[date, list[TimelineEvent]] = {}
    for event in events:
        by_day.setdefault(event.row.date, []).append(event)
    day = tour.start - timedelta(days=tour.start.weekday())
    weeks = []
    while day <= tour.end:
        monday, days = day, []
        for _ in range(7):
            days.append(
                Day(day, tour.start <= day <= tour.end, day in unavailable, by_day.get(day, []))
            )
            day += timedelta(days=1)
        weeks.append(Week(days, driving.get(monday)))
    return weeks


def speaker_plans(
    tour: Tour, placed: dict, changes: dict[int, str], speakers: Sequence[Speaker]
) -> list[SpeakerPlan]:
    """The proposal of each of ``speakers``: timeline, weekly driving and route map, from the
    itinerary. Only the speakers a page or an edit shows are drawn: a route map and a timeline
    of the whole tour are the costliest part of the page."""
    wanted = {speaker.id for speaker in speakers}
    rows = [row for row in placed.values() if row is not None and row.speaker_id in wanted]
    plans = []
    for plan in by_speaker(speakers, rows):
        speaker = plan.speaker
        events = [TimelineEvent(stop, changes.get(stop.request.id)) for stop in plan.stops]
        stops = [RouteStop(e.request.chapter.name, e.request.lat, e.request.lon) for e in events]
        home = RouteStop(f"Home: {speaker.home_city or speaker.display_name}",
                         speaker.home_lat, speaker.home_lon)
        plans.append(
            SpeakerPlan(
                plan,
                events,
                _weeks(tour, plan, events),
                render_route_svg(stops, title=f"Route of {speaker.display_name}", home=home),
            )
        )
    return plans


def change_causes(tour: Tour, changes: Sequence[Change]) -> dict[int, str]:
    """Why a published event changes, where later data broke it (the speaker marked the day
    unavailable, the chapter no longer offers the date or withdrew, the language no longer
    matches): a re-solve is free to move such an event (``services.proposal.kept``), and the
    coordinator reads "Moved: Ana marked Wed, Mar 10, 2027 unavailable" beside it. By request id.
    """
    requests = {request.id: request for request in tour.requests}
    causes = {}
    for change in changes:
        if change.before is None:
            continue
        published = requests[change.request_id].assignment_in(AssignmentState.CONFIRMED)
        broken = broken_by(published) if published is not None else []
        if broken:
            label = change.kind[0].upper() + change.kind[1:]
            causes[change.request_id] = f"{label}: " + "; ".join(c.cause for c in broken)
    return causes


def summary(tour: Tour, placed: dict) -> dict:
    served = [r for r, row in placed.items() if row is not None]
    total_weight = sum(r.priority for r in placed)
    run = editing.latest_successful_run(tour)
    return {
        "requests": len(placed),
        "served": len(served),
        "served_pct": 100.0 * len(served) / len(placed) if placed else 0.0,
        "weight": sum(r.priority for r in served),
        "total_weight": total_weight,
        "run": run,
    }

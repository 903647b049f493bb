"""What a tour achieved, from its event reports: events held, attendance, funds raised and the
rescues those funds pay for; by state, by week and per speaker; and each chapter's history
across tours, so the next tour can weigh its requests.

Counted from reports only: an event without a report adds nothing yet (the overview says how
many reports are still to come). Attendance and sign-ups count events held; funds count every
report, since a chapter may raise money even when the talk was cancelled.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    EventOutcome,
    EventReport,
    Request,
    RequestState,
    Speaker,
    Tour,
)
from scheduler.services import advance, itinerary

# Outcomes after which the speaker had travelled to the venue: their legs count as driven.
TRAVELLED = (EventOutcome.HELD, EventOutcome.CANCELLED)


def rescues(funds_cents: int, cost_per_rescue_usd: int) -> int:
    """Whole rescues the funds pay for (LiNK's figure: about $3,000 a rescue)."""
    return funds_cents // (cost_per_rescue_usd * 100)


def state_of(request: Request) -> str:
    """The state of the venue's city ("Los Angeles, California" -> "California")."""
    _, comma, state = request.city.rpartition(",")
    return state.strip() if comma and state.strip() else "State not given"


def week_of(day: date) -> date:
    """The Monday of the ISO week of ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass
class Tally:
    """Totals of a set of reported events."""

    reported: int = 0
    held: int = 0
    attendance: int = 0
    funds_cents: int = 0
    signups: int = 0

    def add(self, report: EventReport) -> None:
        self.reported += 1
        self.funds_cents += report.funds_cents
        if report.outcome == EventOutcome.HELD:
            self.held += 1
            self.attendance += report.attendance
            self.signups += report.signups


@dataclass
class SpeakerResult:
    speaker: Speaker
    talks_given: int
    km_driven: float


@dataclass
class TourResults:
    tour: Tour
    confirmed: int
    total: Tally
    by_state: list[tuple[str, Tally]]
    by_week: list[tuple[date, Tally]]
    speakers: list[SpeakerResult]
    reports: list[tuple[Assignment, EventReport]] = field(default_factory=list)

    @property
    def rescues(self) -> int:
        return rescues(self.total.funds_cents, self.tour.cost_per_rescue_usd)

    @property
    def awaiting_reports(self) -> int:
        return self.confirmed - self.total.reported


def _reports(ids: list[int]) -> dict[int, EventReport]:
    return {
        row.request_id: row
        for row in db.session.execute(
            db.select(EventReport).filter(EventReport.request_id.in_(ids))
        ).scalars()
    }


def tour_results(tour: Tour) -> TourResults:
    events = advance.confirmed_events(tour)
    reports = _reports([event.request_id for event in events])
    total = Tally()
    by_state: dict[str, Tally] = defaultdict(Tally)
    by_week: dict[date, Tally] = defaultdict(Tally)
    travelled: dict[int, list[Assignment]] = defaultdict(list)
    talks: dict[int, int] = defaultdict(int)
    reported = []
    for event in events:
        report = reports.get(event.request_id)
        if report is None:
            continue
        reported.append((event, report))
        for tally in (total, by_state[state_of(event.request)], by_week[week_of(event.date)]):
            tally.add(report)
        if report.outcome in TRAVELLED:
            travelled[event.speaker_id].append(event)
        if report.outcome == EventOutcome.HELD:
            talks[event.speaker_id] += 1
    speakers = [
        SpeakerResult(
            speaker,
            talks[speaker.id],
            itinerary.build(speaker, travelled[speaker.id]).km if travelled[speaker.id] else 0.0,
        )
        for speaker in tour.speakers
    ]
    return TourResults(
        tour=tour,
        confirmed=len(events),
        total=total,
        by_state=sorted(by_state.items(), key=lambda item: (-item[1].funds_cents, item[0])),
        by_week=sorted(by_week.items()),
        speakers=speakers,
        reports=reported,
    )


def chapter_key(name: str) -> str:
    """Chapters are rows per request; across tours one chapter is known by its name."""
    return " ".join(name.casefold().split())


@dataclass
class ChapterHistory:
    name: str
    visits: int = 0
    attendance: int = 0
    funds_cents: int = 0
    last_visit: date | None = None


def chapter_histories(before: date | None = None) -> dict[str, ChapterHistory]:
    """Each chapter's reported visits across every tour (by chapter name), optionally only
    those before ``before``: visits are events held, with their attendance and funds."""
    query = (
        db.select(Assignment, EventReport)
        .join(EventReport, EventReport.request_id == Assignment.request_id)
        .join(Assignment.request)
        .filter(
            Assignment.state == AssignmentState.CONFIRMED,
            Request.state == RequestState.SUBMITTED,
        )
    )
    if before is not None:
        query = query.filter(Assignment.date < before)
    histories: dict[str, ChapterHistory] = {}
    for event, report in db.session.execute(query):
        name = event.request.chapter.name
        history = histories.setdefault(chapter_key(name), ChapterHistory(name))
        history.funds_cents += report.funds_cents
        if report.outcome == EventOutcome.HELD:
            history.visits += 1
            history.attendance += report.attendance
            if history.last_visit is None or event.date > history.last_visit:
                history.last_visit = event.date
    return histories

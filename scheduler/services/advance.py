"""The advance: what a chapter tells the tour before its confirmed event, and whether it is done.

A chapter may save its advance as a draft at any time; it is complete once every item of
``REQUIRED`` is answered. ``missing`` is the one definition of "complete" that the chapter's page,
the coordinators' overview and the reminders all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    EventAdvance,
    EventReport,
    LodgingKind,
    Request,
    RequestState,
    Tour,
    utcnow,
)
from scheduler.services.consent import venue_today

LIMITS = {
    "host_name": 200,
    "host_phone": 50,
    "building": 200,
    "room": 100,
    "parking": 2000,
    "accessibility": 2000,
    "meals": 2000,
}
MULTILINE = {"parking", "accessibility", "meals"}
LODGING = {
    LodgingKind.HOST_HOUSING: "Host housing (a chapter member's home)",
    LodgingKind.HOTEL: "A hotel the chapter pays for",
    LodgingKind.NONE: "No lodging needed from the chapter",
}
INTERPRETER = {"yes": "Yes, we provide a Korean-English interpreter", "no": "No interpreter"}
# The items an advance needs before it is complete, in the form's order, in plain words.
REQUIRED = {
    "host_name": "the host's name",
    "host_phone": "the host's mobile number",
    "building": "the building",
    "room": "the room",
    "arrival_time": "the speaker's arrival time",
    "interpreter": "whether you provide an interpreter",
    "lodging": "lodging",
    "consent_acknowledged": "the speaker's rules acknowledged",
}
FIELDS = (
    "host_name", "host_phone", "building", "room", "arrival_time", "setup_time", "projector",
    "microphone", "captions", "parking", "accessibility", "interpreter", "lodging", "meals",
    "expected_audience", "consent_acknowledged",
)


def confirmed_event(request: Request) -> Assignment | None:
    """The chapter's confirmed event, if the request still stands; only then is there an advance."""
    if request.state != RequestState.SUBMITTED:
        return None
    return request.assignment_in(AssignmentState.CONFIRMED)


def advance_of(request: Request) -> EventAdvance | None:
    return db.session.execute(
        db.select(EventAdvance).filter_by(request_id=request.id)
    ).scalar_one_or_none()


def missing(advance: EventAdvance | None) -> list[str]:
    """The required items not answered yet, in plain words; empty when complete."""
    if advance is None:
        return list(REQUIRED.values())
    gaps = []
    for name, words in REQUIRED.items():
        value = getattr(advance, name)
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            gaps.append(words)
    return gaps


def save(request: Request, values: dict) -> EventAdvance:
    """Store the chapter's answers exactly as given (a draft or complete, either is kept)."""
    advance = advance_of(request) or EventAdvance(request=request)
    for name in FIELDS:
        setattr(advance, name, values[name])
    # The speaker's calendar event carries the host and arrival: a new version of the feed.
    request.updated_at = utcnow()
    db.session.add(advance)
    db.session.commit()
    return advance


def values_of(advance: EventAdvance | None) -> dict:
    """The saved answers as a dict, for filling the form again."""
    if advance is None:
        return {}
    return {name: getattr(advance, name) for name in FIELDS}


@dataclass(frozen=True)
class EventRow:
    """One confirmed event of a tour with its advance and report, for the coordinators."""

    assignment: Assignment
    advance: EventAdvance | None
    report: EventReport | None

    @property
    def request(self) -> Request:
        return self.assignment.request

    @property
    def missing(self) -> list[str]:
        return missing(self.advance)

    @property
    def complete(self) -> bool:
        return not self.missing


ADVANCE_FILTERS = {
    "all": "every event",
    "incomplete": "advance incomplete",
    "complete": "advance complete",
    "no-report": "past, no report yet",
}


def confirmed_events(tour: Tour) -> list[Assignment]:
    """The tour's confirmed events of standing requests, in date order."""
    rows = db.session.execute(
        db.select(Assignment)
        .join(Assignment.request)
        .filter(
            Request.tour_id == tour.id,
            Request.state == RequestState.SUBMITTED,
            Assignment.state == AssignmentState.CONFIRMED,
        )
        .options(selectinload(Assignment.request).selectinload(Request.chapter))
        .order_by(Assignment.date, Request.start_time, Assignment.id)
    ).scalars()
    return list(rows)


def overview(tour: Tour, show: str = "all", now: datetime | None = None) -> list[EventRow]:
    """Each confirmed event with its advance and report, filtered by ``show`` (ADVANCE_FILTERS)."""
    events = confirmed_events(tour)
    ids = [row.request_id for row in events]
    advances = {
        row.request_id: row
        for row in db.session.execute(
            db.select(EventAdvance).filter(EventAdvance.request_id.in_(ids))
        ).scalars()
    }
    reports = {
        row.request_id: row
        for row in db.session.execute(
            db.select(EventReport).filter(EventReport.request_id.in_(ids))
        ).scalars()
    }
    rows = [EventRow(row, advances.get(row.request_id), reports.get(row.request_id))
            for row in events]
    if show == "incomplete":
        return [row for row in rows if not row.complete]
    if show == "complete":
        return [row for row in rows if row.complete]
    if show == "no-report":
        return [
            row for row in rows
            if row.report is None and venue_today(row.request.timezone, now) > row.assignment.date
        ]
    return rows

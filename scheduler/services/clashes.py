"""Assignments that the current data breaks, so coordinators see them before anyone travels.

A schedule is drafted from the data of its day; afterwards a speaker marks a date they cannot
do, a chapter withdraws or changes its dates, a speaker's languages are edited. Nothing here
changes an assignment: the coordinator decides (re-solve, move, cancel), warned by these.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    Speaker,
    Tour,
)

UNAVAILABLE = "speaker-unavailable"
WITHDRAWN = "request-withdrawn"
DATE_NOT_OFFERED = "date-not-offered"
LANGUAGE = "language-not-spoken"


@dataclass(frozen=True)
class Clash:
    """``rule`` is a stable code to filter on; ``reason`` is the sentence a coordinator reads."""

    assignment: Assignment
    rule: str
    reason: str


def _unavailable(assignment: Assignment) -> Clash | None:
    speaker = assignment.speaker
    mark = next((m for m in speaker.unavailability if m.date == assignment.date), None)
    if mark is None:
        return None
    who = "the speaker" if mark.marked_by == "speaker" else "a coordinator"
    note = f' (note: "{mark.note}")' if mark.note else ""
    return Clash(
        assignment,
        UNAVAILABLE,
        f"{speaker.display_name} cannot do {assignment.date.isoformat()}: marked by {who}{note}.",
    )


def _withdrawn(assignment: Assignment) -> Clash | None:
    request = assignment.request
    if request.state != RequestState.WITHDRAWN:
        return None
    return Clash(assignment, WITHDRAWN, f"{request.chapter.name} withdrew this request.")


def _date_not_offered(assignment: Assignment) -> Clash | None:
    request = assignment.request
    if assignment.date in {day for day, _ in request.dates_in_tour}:
        return None
    return Clash(
        assignment,
        DATE_NOT_OFFERED,
        f"{request.chapter.name} no longer offers {assignment.date.isoformat()}.",
    )


def _language(assignment: Assignment) -> Clash | None:
    language, speaker = assignment.request.language, assignment.speaker
    if language in (speaker.languages or []):
        return None
    return Clash(
        assignment,
        LANGUAGE,
        f"{speaker.display_name} does not speak the talk's language ({language}).",
    )


CHECKS = (_unavailable, _withdrawn, _date_not_offered, _language)


def clashing_assignments(tour: Tour) -> list[Clash]:
    """Every broken rule of every confirmed or proposed assignment, in date order.

    One assignment may break several rules; each is listed, since each needs its own fix.
    """
    assignments = db.session.execute(
        db.select(Assignment)
        .join(Assignment.request)
        .where(
            Request.tour_id == tour.id,
            Assignment.state.in_((AssignmentState.CONFIRMED, AssignmentState.PROPOSED)),
        )
        .options(
            selectinload(Assignment.request).selectinload(Request.choices),
            selectinload(Assignment.request).selectinload(Request.chapter),
            selectinload(Assignment.speaker).selectinload(Speaker.unavailability),
        )
        .order_by(Assignment.date, Assignment.id)
    ).scalars()
    return [
        clash
        for assignment in assignments
        for check in CHECKS
        if (clash := check(assignment)) is not None
    ]


def breaks_rules(assignment: Assignment) -> bool:
    """True when today's data no longer allows this assignment (see ``CHECKS``)."""
    return any(check(assignment) is not None for check in CHECKS)

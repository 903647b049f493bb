"""Assignments that the current data breaks, so coordinators see them before anyone travels.

A schedule is drafted from the data of its day; afterwards a speaker marks a date they cannot
do, a chapter withdraws or changes its dates or its time, a speaker's languages or home are
edited, a tour's rules are tightened. Nothing here changes an assignment: the coordinator decides
(re-solve, move, cancel), warned by these.

The rules that span several events or the road (the same-day clock, home, the weekly driving cap)
are not restated here: the published schedule and the draft each go through the solver's
independent checker, whose sentences already name the speaker, the talks, the dates and the km.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from scheduler import tour_format
from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    Speaker,
    Tour,
)
from scheduler.solver.checker import SOLUTION_FORMAT, check_solution

UNAVAILABLE = "speaker-unavailable"
WITHDRAWN = "request-withdrawn"
DATE_NOT_OFFERED = "date-not-offered"
LANGUAGE = "language-not-spoken"
OUTSIDE_TOUR = "date-outside-tour"
SAME_DAY = "same-day-does-not-fit"
HOME = "home-out-of-reach"
WEEKLY_KM = "week-over-driving-cap"
# The checker's codes of the rules that only a whole schedule can break.
ROUTE_RULES = {"H3": SAME_DAY, "H9": HOME, "H10": WEEKLY_KM}


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
    request, tour = assignment.request, assignment.request.tour
    if assignment.date in {day for day, _ in request.dates_in_tour}:
        return None
    if not tour.start <= assignment.date <= tour.end:
        return Clash(
            assignment,
            OUTSIDE_TOUR,
            f"{request.chapter.name} on {assignment.date.isoformat()} lies outside the tour "
            f"({tour.start.isoformat()} to {tour.end.isoformat()}).",
        )
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


def _route_clashes(tour: Tour, rows: list[Assignment]) -> list[Clash]:
    """What the checker finds against the same-day clock, home and the weekly cap in one
    schedule (``rows``); each sentence is attached to the latest talk it names."""
    rows = [row for row in rows if row.request.state == RequestState.SUBMITTED]
    if not rows:
        return []
    instance = tour_format.export_tour(tour)
    instance["pinned"] = []
    by_id = {row.request.format_id: row for row in rows}
    solution = {
        "format": SOLUTION_FORMAT,
        "status": "FEASIBLE",
        "assignments": [
            {"request": ident, "speaker": row.speaker.format_id, "date": row.date.isoformat()}
            for ident, row in by_id.items()
        ],
        "unassigned": [],
    }
    clashes = []
    for violation in check_solution(instance, solution):
        named = [by_id[ident] for ident in violation.requests if ident in by_id]
        if violation.rule in ROUTE_RULES and named:
            clashes.append(Clash(named[-1], ROUTE_RULES[violation.rule], violation.message + "."))
    return clashes


def _schedules(tour: Tour, rows: list[Assignment]) -> list[list[Assignment]]:
    """The published schedule (confirmed rows) and the draft (the row placing each request),
    so two events are compared only when one schedule holds both."""
    # Imported here: tour_format still imports this module for its pins (the lead's move).
    from scheduler.services.editing import placed_row

    published = [row for row in rows if row.state == AssignmentState.CONFIRMED]
    draft = [row for row in (placed_row(r) for r in tour.requests) if row is not None]
    return [published, draft]


def clashing_assignments(tour: Tour) -> list[Clash]:
    """Every broken rule of every confirmed or proposed assignment, in date order.

    One assignment may break several rules; each is listed, since each needs its own fix. A
    clash of the road found in both the published schedule and the draft is listed once.
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
    ).scalars().all()
    found = [
        clash
        for assignment in assignments
        for check in CHECKS
        if (clash := check(assignment)) is not None
    ]
    seen: set[str] = set()
    for rows in _schedules(tour, list(assignments)):
        for clash in _route_clashes(tour, rows):
            if clash.reason not in seen:
                seen.add(clash.reason)
                found.append(clash)
    return sorted(found, key=lambda clash: (clash.assignment.date, clash.assignment.id))


def breaks_rules(assignment: Assignment) -> bool:
    """True when today's data no longer allows this assignment (see ``CHECKS``)."""
    return any(check(assignment) is not None for check in CHECKS)

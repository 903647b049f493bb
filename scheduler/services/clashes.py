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

from scheduler import tour_format
from scheduler.models import Assignment, AssignmentState, RequestState, Tour
from scheduler.services.event_checks import Clash, broken_by
from scheduler.services.proposal import placed_row
from scheduler.solver.checker import SOLUTION_FORMAT, check_solution

SAME_DAY = "same-day-does-not-fit"
HOME = "home-out-of-reach"
WEEKLY_KM = "week-over-driving-cap"
# The checker's codes of the rules that only a whole schedule can break.
ROUTE_RULES = {"H3": SAME_DAY, "H9": HOME, "H10": WEEKLY_KM}


def _route_clashes(instance: dict, rows: list[Assignment]) -> list[Clash]:
    """What the checker finds against the same-day clock, home and the weekly cap in one
    schedule (``rows``) of the tour's ``instance`` (no pins); each sentence is attached to the
    latest talk it names."""
    rows = [row for row in rows if row.request.state == RequestState.SUBMITTED]
    if not rows:
        return []
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
    published = [row for row in rows if row.state == AssignmentState.CONFIRMED]
    draft = [row for row in (placed_row(r) for r in tour.requests) if row is not None]
    return [published, draft]


def clashing_assignments(tour: Tour) -> list[Clash]:
    """Every broken rule of every confirmed or proposed assignment, in date order.

    One assignment may break several rules; each is listed, since each needs its own fix. A
    clash of the road found in both the published schedule and the draft is listed once.
    Reads the tour's requests and rows as loaded: a caller drawing a large tour loads them first
    in a few queries (``services.review.preload``), as the Review page does for everything else.
    """
    assignments = sorted(
        (
            row
            for request in tour.requests
            for row in request.assignments
            if row.state in (AssignmentState.CONFIRMED, AssignmentState.PROPOSED)
        ),
        key=lambda row: (row.date, row.id),
    )
    found = [clash for assignment in assignments for clash in broken_by(assignment)]
    seen: set[str] = set()
    instance = tour_format.export_tour(tour)  # once: both schedules are checked against it
    for rows in _schedules(tour, assignments):
        for clash in _route_clashes(instance, rows):
            if clash.reason not in seen:
                seen.add(clash.reason)
                found.append(clash)
    return sorted(found, key=lambda clash: (clash.assignment.date, clash.assignment.id))

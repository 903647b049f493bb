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
from scheduler.models import Assignment, AssignmentState, Tour
from scheduler.services.event_checks import Clash, broken_by, route_breaks
from scheduler.services.proposal import placed_row


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
        for broken in route_breaks(tour, rows, instance):
            if broken.reason not in seen:
                seen.add(broken.reason)
                found.append(Clash(broken.rows[-1], broken.code, broken.reason))
    return sorted(found, key=lambda clash: (clash.assignment.date, clash.assignment.id))

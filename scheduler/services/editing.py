"""A coordinator's hand edits to the draft (what the draft is: ``services.proposal``).

Every edit is checked before it is written: the tour-format instance and the
proposal with the edit applied go through the solver's independent checker, so a hand edit obeys
exactly the hard rules a solve does. Only violations the edit itself introduces refuse it, so a
proposal already broken elsewhere (a speaker fell ill) can still be repaired one event at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    SolveRun,
    SolveState,
    Speaker,
    Tour,
)
from scheduler.services.proposal import draft, drop_published, placed_row
from scheduler.solver.checker import SOLUTION_FORMAT, Violation, check_solution, compute_objective
from scheduler.tour_format import export_tour

HARD_RULES = ("H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10")
UNASSIGNED_BY_HAND = "unassigned by a coordinator"
NOT_SOLVED = "not placed yet: no solve run has placed it"


class EditRefused(Exception):
    """An edit that would break hard rules; ``violations`` name each rule and why."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__("; ".join(v.message for v in violations))


@dataclass(frozen=True)
class Placement:
    """Where the proposal puts a request: a speaker on a date, and whether that is pinned."""

    speaker: Speaker
    date: date
    pinned: bool = False


def latest_successful_run(tour: Tour) -> SolveRun | None:
    """The newest successful solve run: its result holds the unassigned requests' reasons.

    Newest first, one at a time: each run keeps its whole solution, and a tour solved thirty
    times would otherwise read all thirty on every Review and every edit.
    """
    succeeded = db.session.execute(
        db.select(SolveRun.id)
        .where(SolveRun.tour_id == tour.id, SolveRun.state == SolveState.SUCCEEDED)
        .order_by(SolveRun.id.desc())
    ).scalars().all()
    for run_id in succeeded:
        run = db.session.get(SolveRun, run_id)
        if run.result:
            return run
    return None


def unassigned_reasons(tour: Tour) -> dict[str, str]:
    """Reasons by request format id, from the latest solve run."""
    run = latest_successful_run(tour)
    if run is None:
        return {}
    return {u["request"]: u["reason"] for u in run.result.get("unassigned", []) if "request" in u}


def reason_for(request: Request, reasons: dict[str, str]) -> str:
    if request.format_id in reasons:
        return reasons[request.format_id]
    if request.assignment_in(AssignmentState.DROPPED) is not None:
        return UNASSIGNED_BY_HAND
    return NOT_SOLVED if not reasons else UNASSIGNED_BY_HAND


def solution_dict(
    tour: Tour,
    instance: dict,
    placements: dict[Request, Placement | None],
    status: str = "FEASIBLE",
) -> dict:
    """``placements`` as a speaker-tour-solution/1 document for ``instance``."""
    reasons = unassigned_reasons(tour)
    assignments, unassigned = [], []
    for request in sorted(placements, key=lambda r: r.id):
        place = placements[request]
        if place is None:
            reason = reason_for(request, reasons)
            unassigned.append({"request": request.format_id, "reason": reason})
        else:
            assignments.append(
                {
                    "request": request.format_id,
                    "speaker": place.speaker.format_id,
                    "date": place.date.isoformat(),
                }
            )
    return {
        "format": SOLUTION_FORMAT,
        "status": status,
        "assignments": assignments,
        "unassigned": unassigned,
        "objective": compute_objective(instance, assignments),
    }


def current_placements(tour: Tour) -> dict[Request, Placement | None]:
    return {
        request: None if row is None else Placement(row.speaker, row.date, row.pinned)
        for request, row in draft(tour).items()
    }


def proposal_instance(
    tour: Tour, placements: dict[Request, Placement | None], exported: dict | None = None
) -> dict:
    """The tour's instance (``exported``, when the caller has it already), pinned as the draft
    pins: a coordinator's edit may move a confirmed event (the export pins those for the
    solver), and a pin follows its event when moved."""
    instance = dict(exported if exported is not None else export_tour(tour))
    instance["pinned"] = [
        {"request": r.format_id, "speaker": p.speaker.format_id, "date": p.date.isoformat()}
        for r, p in placements.items()
        if p is not None and p.pinned
    ]
    return instance


def hard_violations(
    tour: Tour, placements: dict[Request, Placement | None], exported: dict | None = None
) -> list[Violation]:
    """Every hard rule the given placements break."""
    instance = proposal_instance(tour, placements, exported)
    found = check_solution(instance, solution_dict(tour, instance, placements))
    return [v for v in found if v.rule in HARD_RULES]


def check_edit(tour: Tour, request: Request, place: Placement | None) -> list[Violation]:
    """The hard-rule violations that placing ``request`` at ``place`` would add.

    No hard rule spans two speakers: an edit changes the schedules of the speaker it takes the
    event from and the one it gives it to, and nothing else. So only that part of the tour goes
    through the checker (those speakers' events and the edited request, all of the speakers'
    own rules), before and after; any other violation would be the same on both sides.
    """
    before = current_placements(tour)
    speakers = {p.speaker.id for p in (before.get(request), place) if p is not None}
    part = {
        r: p
        for r, p in before.items()
        if r is request or (p is not None and p.speaker.id in speakers)
    }
    exported = export_tour(tour, requests=part)  # once: only the pins differ before and after
    known = {v.message for v in hard_violations(tour, part, exported)}
    after = {**part, request: place}
    return [v for v in hard_violations(tour, after, exported) if v.message not in known]


def move(request: Request, speaker: Speaker, day: date) -> Assignment:
    """Put ``request`` on ``day`` with ``speaker`` in the proposal (also: assign by hand).

    Raises EditRefused, writing nothing, when a hard rule would break.
    """
    if request.state != RequestState.SUBMITTED:
        raise ValueError("a withdrawn request cannot be placed")
    if speaker.tour_id != request.tour_id:
        raise ValueError("the speaker belongs to another tour")
    current = placed_row(request)
    pinned = current.pinned if current is not None else False
    violations = check_edit(request.tour, request, Placement(speaker, day, pinned))
    if violations:
        raise EditRefused(violations)
    _drop_row(request, AssignmentState.DROPPED)
    row = request.assignment_in(AssignmentState.PROPOSED)
    if row is None:
        row = Assignment(request=request, state=AssignmentState.PROPOSED, pinned=pinned)
        db.session.add(row)
    row.speaker = speaker
    row.date = day
    db.session.commit()
    return row


def unassign(request: Request) -> None:
    """Leave ``request`` unserved in the proposal; a published event is cancelled on publish."""
    _drop_row(request, AssignmentState.PROPOSED)
    confirmed = request.assignment_in(AssignmentState.CONFIRMED)
    if confirmed is not None and request.assignment_in(AssignmentState.DROPPED) is None:
        drop_published(request)
    db.session.commit()


def set_pinned(request: Request, pinned: bool) -> Assignment:
    """Pin (the solver must keep it) or unpin the event that places ``request``."""
    row = placed_row(request)
    if row is None:
        raise ValueError("only a placed request can be pinned")
    row.pinned = pinned
    db.session.commit()
    return row


def _drop_row(request: Request, state: str) -> None:
    row = request.assignment_in(state)
    if row is not None:
        request.assignments.remove(row)

"""The draft of a tour: which row stands for each request, and what a re-solve keeps.

A request's place in the draft is its ``proposed`` row; without one its ``confirmed`` (published)
row stands, unless a ``dropped`` row says the draft takes that published event out. Withdrawn
requests have no place.

What a re-solve keeps (``kept``):
- every event a coordinator pinned by hand, even one that later data broke (the solver then
  answers INFEASIBLE and names the pin, so the coordinator decides);
- every published event where the draft has it now (confirmed, or moved by hand), unless later
  data broke it (the speaker marked the day unavailable, the chapter no longer offers the date,
  the language no longer matches; or, with the other kept events, the speaker's home moved out of
  reach, a changed time no longer fits the day's clock, a week went over the driving cap): such
  an event is free, so the next solve moves it and changes as little else as it can;
- requests a coordinator took out of the draft stay out.
Everything else is free; the current draft goes to the solver as ``previous`` so that it moves
as little as possible. A solve writes a ``proposed`` row only where its solution differs from the
published event, and deletes the ``proposed`` row where it agrees.
"""

from __future__ import annotations

from datetime import date

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request, RequestState, Tour
from scheduler.services.event_checks import breaks_rules, route_breaks
from scheduler.tour_format import export_tour

TAKEN_OUT_BY_HAND = "taken out of the schedule by a coordinator"


def placed_row(request: Request) -> Assignment | None:
    """The row that stands for ``request`` in the draft, or None when it is unserved."""
    if request.state != RequestState.SUBMITTED:
        return None
    proposed = request.assignment_in(AssignmentState.PROPOSED)
    if proposed is not None:
        return proposed
    if request.assignment_in(AssignmentState.DROPPED) is not None:
        return None
    return request.assignment_in(AssignmentState.CONFIRMED)


def draft(tour: Tour) -> dict[Request, Assignment | None]:
    """Every submitted request of the tour with the row that places it (None: unserved)."""
    return {r: placed_row(r) for r in tour.requests if r.state == RequestState.SUBMITTED}


def taken_out(request: Request) -> bool:
    """A published event the coordinator removed from the draft: a re-solve leaves it out.

    A ``dropped`` row that a solve wrote (it has the run) is not the coordinator's: the next
    solve may place the request again.
    """
    dropped = request.assignment_in(AssignmentState.DROPPED)
    return (
        dropped is not None
        and dropped.solve_run_id is None
        and request.assignment_in(AssignmentState.PROPOSED) is None
    )


def kept(request: Request, row: Assignment) -> bool:
    """Whether a re-solve must keep ``row``, the draft's place of ``request`` (module docstring)."""
    if row.pinned:
        return True
    published = request.assignment_in(AssignmentState.CONFIRMED) is not None
    return published and not breaks_rules(row)


def _submitted(tour: Tour) -> list[Request]:
    return [r for r in tour.requests if r.state == RequestState.SUBMITTED]


def kept_rows(tour: Tour) -> list[Assignment]:
    """The rows a re-solve keeps: the solver's pins.

    Of published events that together break a rule of the road, the latest that no coordinator
    pinned is freed, until none is left to free (hand pins stay, and the solver names them).
    """
    rows = []
    for request in _submitted(tour):
        row = None if taken_out(request) else placed_row(request)
        if row is not None and kept(request, row):
            rows.append(row)
    instance = export_tour(tour)
    while freed := {
        max(free, key=lambda row: (row.date, row.request.start_time))
        for broken in route_breaks(tour, rows, instance)
        if (free := [row for row in broken.rows if not row.pinned])
    }:
        rows = [row for row in rows if row not in freed]
    return rows


def tour_instance(tour: Tour) -> dict:
    """The tour as the solver gets it: the requests still in play, what a re-solve keeps pinned.

    The same document is the tour's file export, so a tour solved outside the app gets the pins
    a solve in the app would.
    """
    instance = export_tour(tour, pinned=kept_rows(tour))
    left_out = {r.format_id for r in _submitted(tour) if taken_out(r)}
    instance["requests"] = [r for r in instance["requests"] if r["id"] not in left_out]
    return instance


def previous_solution(tour: Tour) -> list[dict]:
    """The current draft as solution assignments: a re-solve moves as little of it as it can."""
    triples = []
    for request in _submitted(tour):
        row = None if taken_out(request) else placed_row(request)
        if row is not None:
            triples.append(
                {
                    "request": request.format_id,
                    "speaker": row.speaker.format_id,
                    "date": row.date.isoformat(),
                }
            )
    return triples


def left_out_reasons(tour: Tour) -> list[dict]:
    """The requests a re-solve leaves out, as unassigned entries with their reason."""
    return [
        {"request": ident, "reason": TAKEN_OUT_BY_HAND}
        for ident in sorted(r.format_id for r in _submitted(tour) if taken_out(r))
    ]


def take_solution(tour: Tour, run_id: int, solution: dict) -> None:
    """Make the draft say what ``solution`` says (no commit: the caller's transaction)."""
    speakers = {s.format_id: s for s in tour.speakers}
    placed = {
        a["request"]: (speakers[a["speaker"]], date.fromisoformat(a["date"]))
        for a in solution["assignments"]
    }
    for request in tour.requests:
        if request.state == RequestState.SUBMITTED and taken_out(request):
            continue
        target = placed.get(request.format_id) if request.state == RequestState.SUBMITTED else None
        proposed = request.assignment_in(AssignmentState.PROPOSED)
        confirmed = request.assignment_in(AssignmentState.CONFIRMED)
        _mark_dropped_by_solve(
            request,
            run_id,
            request.state == RequestState.SUBMITTED and confirmed is not None and target is None,
        )
        same_as_confirmed = confirmed is not None and (confirmed.speaker, confirmed.date) == target
        if target is None or same_as_confirmed:
            if proposed is not None:
                request.assignments.remove(proposed)
            continue
        if proposed is None:
            proposed = Assignment(request=request, state=AssignmentState.PROPOSED)
            db.session.add(proposed)
        if (proposed.speaker, proposed.date) != target:
            proposed.speaker, proposed.date = target
            proposed.solve_run_id = run_id


def drop_published(request: Request, run_id: int | None = None) -> None:
    """Take the request's published event out of the draft: a ``dropped`` row that copies it,
    written by the solve run ``run_id`` or (None) by a coordinator's hand (``taken_out``)."""
    confirmed = request.assignment_in(AssignmentState.CONFIRMED)
    db.session.add(
        Assignment(
            request=request,
            speaker=confirmed.speaker,
            date=confirmed.date,
            state=AssignmentState.DROPPED,
            solve_run_id=run_id,
        )
    )


def _mark_dropped_by_solve(request: Request, run_id: int, dropped: bool) -> None:
    """A published event that the solution leaves out (later data broke it and it fits nowhere)
    is taken out of the draft by a ``dropped`` row of the run, so publishing cancels it; a later
    solve that places the request again takes that row away."""
    row = request.assignment_in(AssignmentState.DROPPED)
    if dropped and row is None:
        drop_published(request, run_id)
    elif not dropped and row is not None and row.solve_run_id is not None:
        request.assignments.remove(row)

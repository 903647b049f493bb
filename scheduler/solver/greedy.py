"""A quick rule-keeping schedule: the CP-SAT hint, the answer when the search is stopped at once,
and the final repair that places any request still fitting after the search."""

from __future__ import annotations

from scheduler.solver.problem import Problem
from scheduler.solver.rules import Schedule


def pinned_schedule(prob: Problem) -> Schedule:
    """The schedule of the pinned assignments alone (assumed free of conflicts)."""
    sched = Schedule(prob)
    for pin in prob.inst.pinned:
        r = prob.req_index[pin.request]
        if r not in sched.placed:
            sched.add(prob.spk_index[pin.speaker], r, (pin.date - prob.start).days)
    return sched


def usable_options(prob: Problem) -> list[int]:
    """Options the pinned assignments leave open: a pinned request keeps only its pin, and no
    option may clash with a pinned event of its speaker under H3-H7."""
    pins = pinned_schedule(prob)
    # a speaker with no pinned event: whether an event fits the empty schedule depends on its
    # own caps alone, not on the event, so it is asked once (130,000 options on a big tour)
    free: dict[int, bool] = {}
    out = []
    for o in prob.options:
        placed = pins.placed.get(o.request)
        if placed is not None:
            if placed == (o.speaker, o.day):
                out.append(o.index)
        elif pins.count[o.speaker] == 0:
            if o.speaker not in free:
                free[o.speaker] = pins.fits(o.speaker, o.request, o.day)
            if free[o.speaker]:
                out.append(o.index)
        elif pins.fits(o.speaker, o.request, o.day):
            out.append(o.index)
    return out


def fill(prob: Problem, sched: Schedule, allowed: set[int] | None = None) -> Schedule:
    """Place every unplaced request that still fits: highest priority first, then the request
    with fewest options, each on its best-ranked date with a preferred speaker when possible."""
    order = sorted(
        (r for r in range(len(prob.inst.requests)) if r not in sched.placed),
        key=lambda r: (-prob.inst.requests[r].priority, len(prob.by_request[r]),
                       prob.inst.requests[r].id),
    )
    for r in order:
        candidates = [
            prob.options[o] for o in prob.by_request[r] if allowed is None or o in allowed
        ]
        candidates.sort(key=lambda o: (o.penalty, o.day, o.speaker))
        for o in candidates:
            if sched.fits(o.speaker, r, o.day):
                sched.add(o.speaker, r, o.day)
                break
    return sched


def greedy(prob: Problem, allowed: set[int], previous: list[int] | None = None) -> Schedule:
    """Pins first, then what the previous solution had (when it still fits), then ``fill``."""
    sched = pinned_schedule(prob)
    for o_i in previous or ():
        o = prob.options[o_i]
        if o.request not in sched.placed and o_i in allowed and sched.fits(o.speaker, o.request,
                                                                             o.day):
            sched.add(o.speaker, o.request, o.day)
    return fill(prob, sched, allowed)


def schedule_of(prob: Problem, chosen: list[int]) -> Schedule:
    sched = Schedule(prob)
    for o_i in chosen:
        o = prob.options[o_i]
        sched.add(o.speaker, o.request, o.day)
    return sched


def chosen_of(prob: Problem, sched: Schedule) -> list[int]:
    return sorted(prob.lookup[(r, s, d)] for r, (s, d) in sched.placed.items())

"""A quick upper bound on the served weight from a linear relaxation, solved with PDLP.

Why: on big tours CP-SAT's own LP never finishes, so its bound stays at the sum over servable
requests. This LP keeps every counting rule exactly (one option per request, H3's count of events
a day, H5 events a week and H6 days in a row with each speaker's own limits, H7 events per
speaker, pins; H9 too, as an option that breaks it does not exist). With one event a day it
keeps travel (H4) as a path per speaker over its options when the arcs fit a budget (medium),
else as at-most-one rows over an option and the options too far from it on the next day (large,
xl). It relaxes the rest: the rest of travel, H3's distance and clock between the talks of one
day, and H10 (km a week) entirely. A relaxation only widens the set of schedules: every schedule
is still a point of this LP, so its optimum bounds the served weight.

The bound is not the LP solver's objective: it is recomputed from its duals by weak duality
(any non-negative duals give a valid bound once positive reduced costs are added), so the
solver's tolerances cannot make it too low. A solve stopped by the time limit gives no duals
and no bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.solver.problem import Problem

# the LP solver (OR-Tools name): PDLP, first-order, duals need not be exact
LP_SOLVER = "PDLP"
# path windows (days) for H4, widest first; the widest under ARC_BUDGET is used
WINDOWS = (2, 1, 0)
ARC_BUDGET = 150_000  # most path arcs (count)
# days apart (count) that travel's at-most-one rows cover
CLIQUE_GAPS = 1
# PDLP settings: one thread, loose tolerances
ROWS_PER_CLOCK_CHECK = 1000  # rows or columns (count) built between two looks at the clock
PDLP_PARAMS = ("num_threads: 1 termination_criteria { simple_optimality_criteria { "
               "eps_optimal_absolute: 1e-2 eps_optimal_relative: 1e-4 } }")


@dataclass(frozen=True)
class RelaxationBound:
    bound: int | None  # None when the LP solver was stopped by its time limit (no duals)
    seconds: float
    rows: int


class _OutOfTime(Exception):
    """Building the LP took the whole time limit: there will be no bound."""


class _Lp:
    """The LP's columns and rows (``sum coef * var <= rhs`` or ``= rhs``), kept as flat arrays
    too, to recompute the bound from the duals. Building stops at ``deadline`` (monotonic
    seconds): on a big tour on a busy machine the rows alone can outlast the time limit."""

    def __init__(self, solver: pywraplp.Solver, deadline: float):
        self.solver = solver
        self.deadline = deadline
        self.vars: list = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.profit: list[float] = []
        self.cons: list = []
        self.rhs: list[float] = []
        self.equal: list[bool] = []
        self.row: list[int] = []
        self.col: list[int] = []
        self.coef: list[float] = []

    def var(self, lower: float, upper: float, profit: float) -> int:
        if len(self.vars) % ROWS_PER_CLOCK_CHECK == 0 and time.monotonic() > self.deadline:
            raise _OutOfTime
        self.vars.append(self.solver.NumVar(lower, upper, ""))
        self.lower.append(lower)
        self.upper.append(upper)
        self.profit.append(profit)
        return len(self.vars) - 1

    def add(self, idx: list[int], coefs: list[float], rhs: float, equal: bool = False) -> None:
        r = len(self.cons)
        if r % ROWS_PER_CLOCK_CHECK == 0 and time.monotonic() > self.deadline:
            raise _OutOfTime
        c = self.solver.Constraint(rhs if equal else -math.inf, rhs)
        for i, a in zip(idx, coefs, strict=True):
            c.SetCoefficient(self.vars[i], a)
        self.cons.append(c)
        self.rhs.append(rhs)
        self.equal.append(equal)
        self.row.extend([r] * len(idx))
        self.col.extend(idx)
        self.coef.extend(coefs)


def relaxation_bound(prob: Problem, allowed: list[int], pinned: set[int],
                     time_limit: float) -> RelaxationBound:
    """An upper bound on the served weight over the ``allowed`` options with ``pinned`` forced;
    ``time_limit`` covers building the LP and solving it."""
    t0 = time.monotonic()
    lp = _Lp(None, t0 + time_limit)
    try:
        return _relaxation_bound(prob, allowed, pinned, lp)
    except _OutOfTime:
        return RelaxationBound(None, time.monotonic() - t0, len(lp.cons))


def _relaxation_bound(prob: Problem, allowed: list[int], pinned: set[int],
                      lp: _Lp) -> RelaxationBound:
    t0 = time.monotonic()
    opts = prob.options
    rules = prob.rules
    solver = pywraplp.Solver.CreateSolver(LP_SOLVER)
    solver.SetSolverSpecificParametersAsString(PDLP_PARAMS)
    lp.solver = solver
    pos = {o: lp.var(1.0 if o in pinned else 0.0, 1.0,
                     float(prob.inst.requests[opts[o].request].priority)) for o in allowed}
    by_req: dict[int, list[int]] = defaultdict(list)
    by_spk_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    allowed_by_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for o in allowed:
        by_req[opts[o].request].append(pos[o])
        by_spk_day[(opts[o].speaker, opts[o].day)].append(pos[o])
        allowed_by_day[(opts[o].speaker, opts[o].day)].append(o)
    for lst in by_req.values():
        if len(lst) > 1:
            lp.add(lst, [1.0] * len(lst), 1.0)
    # "worked" on a (speaker, day): the day's sum itself with one event a day, else its own var
    worked: dict[tuple[int, int], list[int]] = {}
    for key, idx in by_spk_day.items():
        if rules.max_events_per_day == 1:
            if len(idx) > 1:
                lp.add(idx, [1.0] * len(idx), 1.0)
            worked[key] = idx
        else:
            if len(idx) > rules.max_events_per_day:
                lp.add(idx, [1.0] * len(idx), float(rules.max_events_per_day))
            w = lp.var(0.0, 1.0, 0.0)
            for i in idx:
                lp.add([i, w], [1.0, -1.0], 0.0)
            worked[key] = [w]
    by_week: dict[tuple[int, tuple[int, int]], list[int]] = defaultdict(list)
    by_spk: dict[int, list[int]] = defaultdict(list)
    for (s, d), idx in by_spk_day.items():
        by_week[(s, prob.week_of(d))].extend(idx)
        by_spk[s].extend(idx)
    for (s, _), lst in by_week.items():
        if len(lst) > prob.week_cap[s]:
            lp.add(lst, [1.0] * len(lst), float(prob.week_cap[s]))
    for s, lst in by_spk.items():
        k = prob.run_cap[s]
        cap = prob.inst.speakers[s].max_events
        if cap is not None and len(lst) > cap:
            lp.add(lst, [1.0] * len(lst), float(cap))
        for t in range(prob.days - k):
            span = [(s, d) for d in range(t, t + k + 1)]
            if all(key in worked for key in span):
                idx = [i for key in span for i in worked[key]]
                lp.add(idx, [1.0] * len(idx), float(k))
    if rules.max_events_per_day == 1:
        window = _window(allowed_by_day)
        jump = (_paths(prob, allowed_by_day, pos, lp, window) if window
                else dict.fromkeys(allowed, 1))
        _far_cliques(prob, allowed_by_day, pos, lp, jump)
    objective = solver.Objective()
    for v, c in zip(lp.vars, lp.profit, strict=True):
        objective.SetCoefficient(v, c)
    objective.SetMaximization()
    left = lp.deadline - time.monotonic()
    if left <= 0:
        raise _OutOfTime
    solver.SetTimeLimit(max(1, int(left * 1000)))
    status = solver.Solve()
    bound = None
    if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        bound = _dual_bound(lp)
    return RelaxationBound(bound, time.monotonic() - t0, len(lp.cons))


def _window(by_spk_day: dict[tuple[int, int], list[int]]) -> int:
    """The widest path window whose arcs (at most every pair of options that many days apart)
    fit ``ARC_BUDGET``."""
    for window in WINDOWS:
        arcs = sum(len(lst) * len(by_spk_day.get((s, d + g), ()))
                   for (s, d), lst in by_spk_day.items() for g in range(1, window + 1))
        if arcs <= ARC_BUDGET:
            return window
    return 0


def _paths(prob: Problem, by_spk_day: dict[tuple[int, int], list[int]], pos: dict[int, int],
           lp: _Lp, window: int) -> dict[int, int]:
    """H4 as a path per speaker (one event a day): a unit of flow from hub 0 to the last hub
    through the chosen options in date order, with direct arcs between options up to ``window``
    days apart that travel allows one after the other, and location-free hubs (one per day) for
    longer gaps. Any fractional point is then a mix of routes. Return, per option, the gap from
    which the path no longer checks travel (it may go through a hub)."""
    opts = prob.options
    km = prob.rules.max_km_per_day
    days = prob.days
    jump: dict[int, int] = {}
    by_spk: dict[int, list[int]] = defaultdict(list)
    for (s, _), lst in by_spk_day.items():
        by_spk[s].extend(lst)
    for s, own in by_spk.items():
        ins: dict[int, list[int]] = defaultdict(list)
        outs: dict[int, list[int]] = defaultdict(list)
        hub_in: dict[int, list[int]] = defaultdict(list)
        hub_out: dict[int, list[int]] = defaultdict(list)
        reqs = [opts[o].request for o in own]
        farthest = prob.dist[np.ix_(reqs, reqs)].max(axis=1)
        for o, far_km in zip(own, farthest, strict=True):
            oo = opts[o]
            row = prob.dist_rows[oo.request]
            # after this many days every option of the speaker is reachable: no arcs needed
            jump[o] = min(window + 1, int(far_km // km) + 1)
            for g in range(1, jump[o]):
                for p in by_spk_day.get((s, oo.day + g), ()):
                    if row[opts[p].request] <= km * g:
                        a = lp.var(0.0, 1.0, 0.0)
                        outs[o].append(a)
                        ins[p].append(a)
            a = lp.var(0.0, 1.0, 0.0)
            outs[o].append(a)
            hub_in[min(oo.day + jump[o], days)].append(a)
            a = lp.var(0.0, 1.0, 0.0)
            ins[o].append(a)
            hub_out[oo.day].append(a)
        for t in range(days):
            a = lp.var(0.0, 1.0, 0.0)
            hub_out[t].append(a)
            hub_in[t + 1].append(a)
        for o in own:
            lp.add([*ins[o], pos[o]], [1.0] * len(ins[o]) + [-1.0], 0.0, equal=True)
            lp.add([*outs[o], pos[o]], [1.0] * len(outs[o]) + [-1.0], 0.0, equal=True)
        lp.add(hub_out[0], [1.0] * len(hub_out[0]), 1.0, equal=True)
        for t in range(1, days):
            lp.add([*hub_in[t], *hub_out[t]],
                   [1.0] * len(hub_in[t]) + [-1.0] * len(hub_out[t]), 0.0, equal=True)
    return jump


def _far_cliques(prob: Problem, by_spk_day: dict[tuple[int, int], list[int]],
                 pos: dict[int, int], lp: _Lp, jump: dict[int, int]) -> None:
    """H4 for gaps of ``jump[o]`` to ``CLIQUE_GAPS`` days that the paths do not check: with one
    event a day, an option and every option too far from it on one later day are mutually
    exclusive. When most of that day is too far the row is written as x + T - (the near ones)
    <= 1 with T >= the day's sum, as strong and with fewer terms (with 650 km a day most venues
    of a continent are too far for the next day)."""
    opts = prob.options
    km = prob.rules.max_km_per_day
    totals: dict[tuple[int, int], int] = {}
    for (s, d), here in by_spk_day.items():
        for gap in range(min(jump[o] for o in here), CLIQUE_GAPS + 1):
            later = by_spk_day.get((s, d + gap))
            if not later:
                continue
            far = prob.dist[np.ix_([opts[o].request for o in here],
                                   [opts[p].request for p in later])] > km * gap
            later_idx = [pos[p] for p in later]
            for i, o in enumerate(here):
                n_far = int(far[i].sum())
                if n_far == 0 or gap < jump[o]:
                    continue
                if n_far <= len(later) - n_far + 1:
                    idx = [pos[o], *(later_idx[j] for j in np.flatnonzero(far[i]))]
                    lp.add(idx, [1.0] * len(idx), 1.0)
                    continue
                if (s, d + gap) not in totals:
                    total = lp.var(0.0, 1.0, 0.0)
                    lp.add([*later_idx, total], [1.0] * len(later_idx) + [-1.0], 0.0)
                    totals[(s, d + gap)] = total
                near = [later_idx[j] for j in np.flatnonzero(~far[i])]
                lp.add([pos[o], totals[(s, d + gap)], *near],
                       [1.0, 1.0] + [-1.0] * len(near), 1.0)


def _dual_bound(lp: _Lp) -> int:
    """max c.x over {A x <= b, l <= x <= u} <= y.b + sum_j max over x_j of (c - yA)_j x_j for any
    y >= 0 (any sign on equality rows; weak duality); floored: the served weight is an integer."""
    y = np.array([c.dual_value() for c in lp.cons], dtype=float)
    y = np.where(np.asarray(lp.equal, dtype=bool), y, np.maximum(0.0, y))  # equalities: any sign
    row = np.asarray(lp.row, dtype=np.int64)
    used = np.bincount(np.asarray(lp.col, dtype=np.int64),
                       weights=np.asarray(lp.coef) * y[row], minlength=len(lp.vars))
    reduced = np.asarray(lp.profit) - used
    total = float(y @ np.asarray(lp.rhs))
    total += float(np.sum(np.where(reduced > 0, reduced * np.asarray(lp.upper),
                                   reduced * np.asarray(lp.lower))))
    return math.floor(total + 1e-6)

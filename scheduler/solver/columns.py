"""A proven bound on the served weight by column generation (Dantzig-Wolfe decomposition).

Each speaker's whole schedule is one column; the master LP picks a mix of schedules per speaker
so that no request is served more than once. The pricing problem, the best schedule of one
speaker once the requests' dual prices are subtracted, is solved exactly by
``pricing.SpeakerRoutes``; so every fractional point of the master is a mix of real routes that
keep travel, weekly, consecutive-day and per-speaker limits exactly, which is what makes this
bound tighter than the LP relaxation of the compact model (benchmark, seed 1: small 41, the
optimum, against 44; medium 279 against 283, converged in 2 s; large 923 against 940, converged
in 31-52 s alone, depending on the machine's load, and within a one-minute run beside the
search).

Whatever the master's state, Lagrangian duality gives a valid bound at each round: for any prices
pi >= 0 on requests,

    served weight <= sum(pi) + sum over speakers of (best schedule's profit)

with profit priority - pi per event (the pricing problem only widens the set of schedules:
a request may come back after another one in between, which can only raise the bound). So the
search may stop at any time and keep the best bound seen.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.solver.pricing import SpeakerRoutes
from scheduler.solver.problem import Problem
from scheduler.solver.rules import legs_km

# weight (0-1) on the best prices so far when pricing (Wentges smoothing)
SMOOTHING = 0.85
# pinned events are forced into each schedule of their speaker by this extra profit
PIN_BONUS = 1e4
EPSILON = 1e-6
# pricing speed (route options per second, master included) for the nominal clock
OPTIONS_PER_SECOND = 30_000
# GLOP settings for the master LP: no scaling, no presolve (all coefficients are 0 or 1)
GLOP_PARAMETERS = "use_scaling: false, use_preprocessing: false"
# seconds between reports of the routes' options to the search
ROUTES_EVERY = 5.0


@dataclass
class ColumnBound:
    bound: int | None  # None when not even one round finished
    converged: bool  # nothing more to gain: no route worth adding, or the bound met the master
    # every option of every route generated: the options a good schedule is likely made of
    options: frozenset[int]
    # the rounds' cost in seconds at OPTIONS_PER_SECOND: the same on every machine
    nominal_seconds: float


class _Master:
    """The restricted master LP (GLOP), grown one column at a time.

    Besides a row per request and per speaker, a row per speaker and ISO week with a weekly km
    cap: the mix of that speaker's routes drives at most the cap in that week on average. Every
    real schedule keeps it, so the bound stays valid; the pricing allows routes over the cap
    (``pricing.py``), and this row is what keeps the master from living on them alone
    (bench/NOTES.md)."""

    def __init__(self, prob: Problem, speakers: list[int], requests: list[int],
                 pinned_requests: set[int], weeks: dict[int, list[tuple[int, int]]]):
        self.prob = prob
        self.speakers = speakers
        self.weeks = weeks  # per speaker with a weekly km cap, the ISO weeks of its options
        self.requests = [r for r in requests if r not in pinned_requests]
        self.columns: dict[int, list[list[int]]] = defaultdict(list)
        self.options: set[int] = set()  # every option of every column
        self.seen: set[tuple[int, ...]] = set()
        self._new_lp()

    def _new_lp(self) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.lp.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
        self.request_row = {r: self.lp.Constraint(-math.inf, 1.0) for r in self.requests}
        self.convexity = {s: self.lp.Constraint(1.0, 1.0) for s in self.speakers}
        self.km_row = {(s, w): self.lp.Constraint(-math.inf, float(self.prob.km_week_cap[s]))
                       for s, weeks in self.weeks.items() for w in weeks}
        self.objective = self.lp.Objective()
        self.objective.SetMaximization()
        self._price_caps()

    def _price_caps(self) -> None:
        """Keep each request's price at most its priority: a column per request that takes it
        out of a route for its priority. Any route less a request is a route too (every rule
        holds with fewer events), so the master's value stays within the decomposition's; the
        prices stop overshooting, and the master pivots far less (large benchmark, before the
        master lost its scaling: 923 in 68 s instead of 80-87 s)."""
        requests = self.prob.inst.requests
        for r, row in self.request_row.items():
            var = self.lp.NumVar(0.0, math.inf, "")  # a route may hold a request twice
            row.SetCoefficient(var, -1.0)
            self.objective.SetCoefficient(var, -float(requests[r].priority))

    def add(self, s: int, schedule: list[int]) -> bool:
        key = (s, *sorted(schedule))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.columns[s].append(schedule)
        self.options.update(schedule)
        self._column(s, schedule)
        return True

    def _column(self, s: int, schedule: list[int]) -> None:
        opts = self.prob.options
        reqs = self.prob.inst.requests
        var = self.lp.NumVar(0.0, 1.0, "")
        self.objective.SetCoefficient(var, float(sum(reqs[opts[o].request].priority
                                                    for o in schedule)))
        self.convexity[s].SetCoefficient(var, 1.0)
        counts: dict[int, int] = defaultdict(int)
        for o in schedule:
            counts[opts[o].request] += 1
        for r, n in counts.items():
            if r in self.request_row:
                self.request_row[r].SetCoefficient(var, float(n))
        if s in self.weeks:
            for w, km in week_km(self.prob, schedule).items():
                self.km_row[(s, w)].SetCoefficient(var, km)

    def solve(self) -> tuple[float, dict[int, float], dict[int, float],
                             dict[tuple[int, tuple[int, int]], float]]:
        """The master's value and its prices: per request (>= 0), per speaker's convexity
        row, and per (speaker, week) km row (>= 0, per km)."""
        status = self.lp.Solve()
        if status == pywraplp.Solver.ABNORMAL:
            # seen on large tours after some 900 columns: GLOP's incremental state gives up, and
            # the same LP built afresh solves
            self._new_lp()
            for s, schedules in self.columns.items():
                for schedule in schedules:
                    self._column(s, schedule)
            status = self.lp.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            raise RuntimeError(f"column master LP not solved: status {status}")
        pi = {r: max(0.0, c.dual_value()) for r, c in self.request_row.items()}
        sigma = {s: c.dual_value() for s, c in self.convexity.items()}
        lam = {key: max(0.0, c.dual_value()) for key, c in self.km_row.items()}
        return self.objective.Value(), pi, sigma, lam


def week_km(prob: Problem, schedule: list[int]) -> dict[tuple[int, int], float]:
    """The km of a route's legs inside each ISO week (H10's measure)."""
    by_week: dict[tuple[int, int], list[int]] = defaultdict(list)
    for o in sorted(schedule, key=prob.order_of):
        by_week[prob.week_of(prob.options[o].day)].append(o)
    return {week: legs_km(prob, own) for week, own in by_week.items()}


def column_bound(prob: Problem, allowed: list[int], pinned: set[int], time_limit: float,
                 start: list[int] | None = None, stop: Callable[[], bool] | None = None,
                 on_bound: Callable[[int], None] | None = None,
                 on_routes: Callable[[frozenset[int]], None] | None = None,
                 routes_every: float = ROUTES_EVERY,
                 deterministic: bool = False) -> ColumnBound:
    """The best bound found within ``time_limit`` seconds or until ``stop()`` (one event a day
    only). ``start`` (a schedule, e.g. the greedy one) seeds the master with columns; each better
    bound is passed to ``on_bound`` as soon as it is proven, and every ``routes_every`` seconds
    the options of the routes so far to ``on_routes``.

    ``deterministic``: the time limit is turned into a number of pricing rounds (by the options
    they visit, ``OPTIONS_PER_SECOND``), so the same input always ends at the same round; the
    clock, at three times the limit, is only a safety net for a very slow machine."""
    t0 = time.monotonic()
    opts = prob.options
    priority = np.array([r.priority for r in prob.inst.requests], dtype=float)
    by_speaker: dict[int, list[int]] = defaultdict(list)
    for o in allowed:
        by_speaker[opts[o].speaker].append(o)
    speakers = sorted(by_speaker)
    routes = {}
    for s in speakers:  # on a 2,000-request tour this takes seconds: ``stop`` is heard here too
        if stop is not None and stop():
            return ColumnBound(None, False, frozenset(), 0.0)
        routes[s] = SpeakerRoutes(prob, s, sorted(by_speaker[s], key=lambda o: opts[o].day))
    pins = {s: [o for o in routes[s].options.tolist() if o in pinned] for s in speakers}
    bonus = {s: np.where(np.isin(routes[s].options, pins[s]), PIN_BONUS, 0.0) for s in speakers}
    weeks = {s: sorted({prob.week_of(opts[o].day) for o in by_speaker[s]})
             for s in speakers if prob.km_week_cap[s] is not None}
    master = _Master(prob, speakers, sorted({opts[o].request for o in allowed}),
                     {opts[o].request for o in pinned}, weeks)
    for s in speakers:
        master.add(s, sorted({o for o in (start or []) if opts[o].speaker == s} | set(pins[s])))
        if not pins[s]:
            master.add(s, [])
    best_bound = math.inf
    center = None
    rounds = 0

    visits_per_round = sum(len(route.options) for route in routes.values())
    max_rounds = math.inf
    if deterministic:
        max_rounds = max(1, int(time_limit * OPTIONS_PER_SECOND / max(1, visits_per_round)))
        time_limit = 3 * time_limit + 1

    def out_of_time() -> bool:
        return (time.monotonic() - t0 > time_limit or rounds >= max_rounds
                or (stop is not None and stop()))

    converged = False
    reported = math.inf
    routes_due = t0 + routes_every
    while not out_of_time():
        if on_routes is not None and time.monotonic() >= routes_due:
            on_routes(frozenset(master.options))
            routes_due = time.monotonic() + routes_every
        value, pi, sigma, lam = master.solve()
        if center is None:
            center = pi, lam
        pi_vec = np.zeros(len(priority))
        added = False
        for alpha in (SMOOTHING, 0.0):
            # price at a point between the best prices so far and the master's; if that finds
            # no column the master lacks (mispricing), price at the master's own prices
            prices = {r: alpha * center[0][r] + (1 - alpha) * pi[r] for r in pi}
            km_prices = {key: alpha * center[1][key] + (1 - alpha) * lam[key] for key in lam}
            pi_vec[list(prices)] = list(prices.values())
            # any prices >= 0 bound it: each km row's price times its cap, plus the routes'
            bound = sum(prices.values()) + sum(price * prob.km_week_cap[s]
                                               for (s, _), price in km_prices.items())
            for s in speakers:
                route = routes[s]
                profit = priority[route.requests] - pi_vec[route.requests]
                own_km = {w: km_prices[(s, w)] for w in weeks.get(s, ())}
                best, schedule = route.best(profit + bonus[s], own_km)
                bound += best - PIN_BONUS * len(pins[s])
                reduced = (sum(priority[opts[o].request] - pi.get(opts[o].request, 0.0)
                               for o in schedule) - sigma[s]
                           - sum(lam[(s, w)] * km for w, km in week_km(prob, schedule).items()
                                 if (s, w) in lam))
                if reduced > EPSILON:
                    added |= master.add(s, schedule)
            rounds += 1
            if bound < best_bound:
                best_bound, center = bound, (prices, km_prices)
                if on_bound is not None and math.floor(bound + EPSILON) < reported:
                    reported = math.floor(bound + EPSILON)
                    on_bound(reported)
            if added or out_of_time():
                break
        if not added and out_of_time():
            break  # the last round was cut short: nothing is known about convergence
        if not added or math.floor(best_bound + EPSILON) <= math.floor(value + EPSILON):
            converged = True  # no route worth adding, or the bound has met the master's value
            break
    bound = None if math.isinf(best_bound) else math.floor(best_bound + EPSILON)
    options = frozenset(master.options)
    return ColumnBound(bound, converged, options, rounds * visits_per_round / OPTIONS_PER_SECOND)

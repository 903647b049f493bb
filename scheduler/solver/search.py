"""The lexicographic search: served weight, then preference penalty, then travel km, then (when a
previous solution is given) fewest moves, each phase fixing the level above and hinted with the
previous phase's schedule, after a greedy first schedule.

Phase 1 (served weight) is a neighbourhood search (``neighbourhoods.py``) while the bound comes
from the LP relaxation (``relaxation.py``) and column generation (``columns.py``); the later
phases solve one CP-SAT model of every option (of a neighbourhood of the schedule on big tours).

Every schedule it returns keeps H1-H10 exactly: H9 by the options themselves, H3's clock as
pairwise conflicts, H10 (weekly km) by cuts until CP-SAT's answer keeps it
(``model.solve_keeping_weeks``), and the greedy and the final repair through ``rules.Schedule``.
The bounds relax what they cannot model (each module says what), so they stay valid; on tours
where the weekly km cap binds, that relaxation is what leaves a gap (bench/NOTES.md)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from scheduler.solver.background import BackgroundBound
from scheduler.solver.columns import OPTIONS_PER_SECOND, ColumnBound, column_bound
from scheduler.solver.greedy import chosen_of, fill, greedy, schedule_of, usable_options
from scheduler.solver.instance import Instance, parse_previous_assignments
from scheduler.solver.model import Built, build, hint, solve_keeping_weeks
from scheduler.solver.neighbourhoods import Neighbourhoods
from scheduler.solver.problem import Problem
from scheduler.solver.reasons import reason
from scheduler.solver.relaxation import relaxation_bound
from scheduler.solver.rules import PinConflict, pinned_conflicts, week_overruns
from scheduler.solver.solution import (
    PINNED_CONFLICT,
    Assignment,
    Progress,
    Solution,
    Unassigned,
    gap,
)

# arc windows (days) of the weight/penalty model, widest first; the widest under the budget is used
WINDOWS = (2, 1, 0)
# most direct arcs (count) in the weight/penalty model
FLOW_ARC_BUDGET = 150_000
# most arcs (count) of the exact-travel model over every option; above, a neighbourhood
TRAVEL_ARC_BUDGET = 60_000
# most options (count) of a model of every option; above, a neighbourhood of the schedule
OPTION_BUDGET = 30_000
# constraints (count) above which CP-SAT gets no full LP
HUGE_MODEL = 300_000
# CP-SAT's memory limit (MiB)
MEMORY_MB = 1700
# CP-SAT deterministic time per wall second, one worker, on the target machine
DTIME_PER_SECOND = 0.2
# seconds per arc to build and hint the exact-travel model, with a margin
SECONDS_PER_ARC = 80e-6
# seconds the travel phase needs at least, besides building its model
MIN_TRAVEL_SECONDS = 0.05
# share (0-1) of the time left for the LP relaxation's bound
RELAXATION_SHARE = 0.1
# share (0-1) of phase 1 the column bound takes first with one worker
COLUMN_SHARE = 0.4
# options (count) from which the column bound runs in a process (several workers)
PROCESS_OPTIONS = 5_000
# most routes' options (count) for CP-SAT to take over from the neighbourhood search
ROUTES_MODEL_OPTIONS = 200
# most options (count) of a tour on which the search keeps to the routes the column bound's
# process reports before it converges; above, to every option: there the early routes leave out
# too many good ones (bench/NOTES.md)
ROUTES_SEARCH_OPTIONS = 50_000
# share (0-1) of phase 1's rest for the search before CP-SAT on the routes (one worker)
NEIGHBOURHOOD_SHARE_BEFORE_ROUTES = 0.3
# share (0-1) of the time left for each phase
SHARE = {"weight": 0.9, "penalty": 0.45, "travel": 0.85}
# seconds per option of an unserved request kept for writing the answer (final repair, reasons)
SECONDS_PER_REASON_OPTION = 25e-6
# seconds per option to read the tour into options and make the greedy schedule, on a quiet
# machine (xl: 1.3 s for 131k options), and the least that is measured against
SETUP_SECONDS_PER_OPTION = 10e-6
SETUP_MIN_SECONDS = 0.1
# most (factor) by which the estimates below are stretched on a slow or busy machine
MAX_SLOWDOWN = 5.0
# seconds per option and per arc to build and hint the weight/penalty model, with a margin (these
# and the other estimates of seconds are a quiet machine's, stretched by ``_Run.slowdown``)
SECONDS_PER_MODEL_OPTION = 120e-6
SECONDS_PER_MODEL_ARC = 5e-6
# seconds to start the column bound's process, plus per option of the tour (pickling it)
PROCESS_START_SECONDS = 2.0
PROCESS_SECONDS_PER_OPTION = 15e-6
# pricing rounds (count) the column bound's process must have time for, to be worth starting
PROCESS_MIN_ROUNDS = 3


class _Run:
    """Clock, stop flag and progress reporting shared by the phases.

    The time limit runs from the call of ``solve``. Every phase gets at most what is left of it
    (``left``), less what writing the answer will take (``reserve``); a phase that cannot be
    cut short is skipped when its estimated cost does not fit; whatever the phases stop with
    is the answer."""

    def __init__(self, time_limit, workers, seed, on_progress, should_stop, clock):
        self.clock = clock
        self.t0 = clock()
        self.deadline = self.t0 + max(0.0, time_limit)
        self.work_deadline = self.deadline  # the phases end here (see ``reserve``)
        self.nominal_left = max(0.0, time_limit)
        self.slowdown = 1.0  # how much slower than the estimates the machine runs (``measure``)
        self.workers = workers
        self.seed = seed
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.stopped = False
        self.prob: Problem | None = None
        self.bound = 0
        self.best = 0
        # after phase 1, the column bound's process, if still at work: each report takes in
        # what it has proven since
        self.background: BackgroundBound | None = None

    def elapsed(self) -> float:
        return self.clock() - self.t0

    def left(self) -> float:
        """Seconds the phases still have."""
        return max(0.0, self.work_deadline - self.clock())

    def measure(self, options: int) -> None:
        """Compare the time the setup took (reading the tour, the greedy schedule) with a quiet
        machine's, to stretch every later estimate by as much: on a busy machine everything
        takes longer (the benchmark at a load of 6 on 2 cores: two to three times)."""
        expected = max(SETUP_MIN_SECONDS, SETUP_SECONDS_PER_OPTION * options)
        self.slowdown = min(MAX_SLOWDOWN, max(1.0, self.elapsed() / expected))

    def fits(self, seconds: float) -> bool:
        """Whether a step estimated at ``seconds`` on a quiet machine fits the time left."""
        return seconds * self.slowdown <= self.left()

    def reserve(self, seconds: float) -> None:
        """Keep ``seconds`` (a quiet machine's estimate) at the end for writing the answer: the
        phases stop that much before the deadline (on the nominal clock too, unstretched so that
        it stays the same on every machine, see ``share``)."""
        self.work_deadline = self.deadline - seconds * self.slowdown
        self.nominal_left = max(0.0, self.nominal_left - seconds)

    def latest(self) -> float:
        """The end of the phases as a ``time.monotonic`` instant, for the modules that read
        that clock themselves."""
        return time.monotonic() + self.left()

    def halt(self) -> bool:
        """Whether to stop now: asked to, or out of time."""
        return self.check_stop() or self.left() <= 0

    def share(self, fraction: float) -> float:
        """A phase's budget: ``fraction`` of the time left. With one worker, of the time left on
        a nominal clock where every earlier phase used its whole budget, so that no budget (and
        so no answer) depends on how fast the machine happened to run, unless the machine is so
        slow that the real clock runs out first: every phase stops at ``left`` too."""
        if self.workers > 1:
            return self.left() * fraction
        budget = self.nominal_left * fraction
        self.nominal_left -= budget
        return budget

    def refund(self, seconds: float) -> None:
        """Give back, on the nominal clock, what a phase did not use of its budget (counted in
        deterministic time, so the same on every machine)."""
        if self.workers == 1:
            self.nominal_left += max(0.0, seconds)

    def report(self, weight: int, phase: str) -> None:
        """Report a schedule unless it serves less than one already reported (CP-SAT's first
        solutions on a big tour can be worse than the greedy hint)."""
        if self.background is not None:
            self.background.poll(self.lower)
        if weight < self.best:
            return
        self.best = weight
        if self.on_progress is not None:
            self.on_progress(Progress(round(self.elapsed(), 3), weight, self.bound,
                                      round(gap(weight, self.bound), 4), phase))

    def lower(self, bound: int) -> None:
        self.bound = min(self.bound, bound)

    def check_stop(self) -> bool:
        if not self.stopped and self.should_stop is not None and self.should_stop():
            self.stopped = True
        return self.stopped


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, run: _Run, built: Built, phase: str, stop_at_bound: bool):
        super().__init__()
        self.run, self.built, self.phase = run, built, phase
        self.stop_at_bound = stop_at_bound

    def on_solution_callback(self) -> None:
        weight = int(self.value(self.built.weight))
        if not self.run.prob.km_week_cap_any or not week_overruns(
                self.run.prob, [o for o, v in self.built.x.items() if self.boolean_value(v)]):
            self.run.report(weight, self.phase)  # a schedule over a weekly km cap is no answer
        if self.run.check_stop() or self.stop_at_bound and weight >= self.run.bound:
            self.stop_search()


def _phase(run: _Run, built: Built, phase: str, budget: float, lp_heavy: bool = True,
           stop_at_bound: bool = False) -> tuple[bool, list[int] | None]:
    """Solve the model as it stands; return (proved optimal, chosen options or None).

    ``lp_heavy``: a worker on CP-SAT's full LP, for proofs; without it every worker searches
    (the model of the routes' options, medium, 40 s, three seeds: 274/273/274 with level-2
    linearisation and no LP worker, 271/270 with level 1).
    ``stop_at_bound``: maximising the weight, stop as soon as it reaches the known bound."""
    if budget <= 0.01 or run.left() <= 0.01 or run.check_stop():
        return False, None
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = run.workers
    p.random_seed = run.seed
    p.max_time_in_seconds = min(budget, run.left())
    huge = len(built.model.proto.constraints) > HUGE_MODEL
    if run.workers == 2 and not huge and lp_heavy:
        # one full worker: the LP-heavy one proves much better bounds (medium, 30 s: bound 289
        # against 324 for the default worker); the other thread runs the LNS portfolio
        p.subsolvers.append("max_lp")
    p.max_presolve_iterations = 1  # repeated probing cost 5 s on medium for nothing
    # the full LP: at the default level CP-SAT's presolve rewrites the weight objective over the
    # arcs and its LP bound stays above even the trivial bound (139 against 107 on a 30-request
    # tour that level 2 proves optimal in 0.3 s)
    p.linearization_level = 1 if huge else 2
    p.max_memory_in_mb = MEMORY_MB
    if run.workers == 1:
        # one worker is reproducible only when a proof or a deterministic budget, never the wall
        # clock, ends the search; the wall clock stays as a safety net for a very slow machine
        p.max_deterministic_time = budget * DTIME_PER_SECOND
        p.max_time_in_seconds = min(3 * budget + 1, run.left())
    cb = _Callback(run, built, phase, stop_at_bound)
    done = threading.Event()

    def watch():
        while not done.wait(0.1):
            if run.check_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    if run.should_stop is not None:
        watcher.start()
    status, chosen, dtime = solve_keeping_weeks(run.prob, built, solver, cb)
    done.set()
    run.refund(budget - dtime / DTIME_PER_SECOND)
    if chosen is None:
        return False, None
    return status == cp_model.OPTIMAL and built.exact, chosen


def solve(inst: Instance, time_limit: float = 60.0, workers: int | None = None, seed: int = 0,
          previous: list[dict] | None = None,
          on_progress: Callable[[Progress], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          clock: Callable[[], float] = time.monotonic) -> Solution:
    """Schedule the tour within ``time_limit`` seconds from this call, as measured by ``clock``
    (seconds; tests pass one they control); see the module docstring for the phases."""
    run = _Run(time_limit, workers or os.cpu_count() or 1, seed, on_progress, should_stop, clock)
    prob = Problem(inst)
    run.prob = prob
    conflicts = pinned_conflicts(prob)
    if conflicts:
        return _infeasible(prob, conflicts, run)
    allowed = usable_options(prob)
    allowed_set = set(allowed)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in inst.pinned}
    prev = _previous_options(prob, previous)
    run.bound = sum(inst.requests[r].priority
                    for r in {prob.options[o].request for o in allowed})
    sched = greedy(prob, allowed_set, prev)
    chosen = chosen_of(prob, sched)
    run.report(_weight(prob, chosen), "greedy")
    run.measure(len(prob.options))
    # the greedy leaves the most requests unserved: writing their reasons takes longest then
    run.reserve(SECONDS_PER_REASON_OPTION * sum(
        len(prob.by_request[r]) for r in range(len(inst.requests)) if r not in sched.placed))
    background = None
    if (run.workers > 1 and prob.rules.max_events_per_day == 1
            and len(allowed) >= PROCESS_OPTIONS and run.fits(_process_seconds(allowed))):
        # started now, so that its start-up and first rounds overlap the LP relaxation
        background = BackgroundBound(prob, allowed, pinned, run.left(), chosen)
    relaxed = relaxation_bound(prob, allowed, pinned,
                               min(run.share(RELAXATION_SHARE), run.left()))
    if relaxed.bound is not None and relaxed.bound < run.bound:
        run.bound = relaxed.bound
        run.report(_weight(prob, chosen), "bound")  # the progress bar's gap at once, not later
    proven = {"weight": run.bound == _weight(prob, chosen)}
    if not proven["weight"] and not run.halt():
        chosen, proven["weight"] = _ServeMost(run, prob, allowed, pinned, chosen,
                                              background).serve()
        run.background = background
    elif background is not None:
        background.finish(lambda bound: None, wait=0.0)
    weight = _weight(prob, chosen)

    proven["penalty"], chosen = _penalty_phase(run, prob, allowed, pinned, prev, chosen, weight)

    chosen, proven["travel"], proven["moves"] = _travel_phases(run, prob, allowed, chosen, prev,
                                                               pinned, weight)

    sched = fill(prob, schedule_of(prob, chosen), allowed_set)
    repaired = chosen_of(prob, sched)
    if len(repaired) > len(chosen):
        proven["weight"] = False
        chosen = repaired
    weight = _weight(prob, chosen)
    if run.background is not None:
        run.background.finish(run.lower, wait=run.left())  # what it proved by the deadline
        run.background = None
    proven["weight"] = proven["weight"] or run.bound <= weight
    run.bound = max(run.bound, weight)
    status = "OPTIMAL" if all(proven.values()) else "FEASIBLE"
    run.report(weight, "done")
    opts = prob.options
    assignments = tuple(sorted(
        (Assignment(inst.requests[opts[o].request].id, inst.speakers[opts[o].speaker].id,
                    prob.date_of(opts[o].day)) for o in chosen),
        key=lambda a: (a.date, a.speaker, a.request)))
    unassigned = tuple(Unassigned(inst.requests[r].id, reason(prob, sched, r, proven["weight"]))
                       for r in range(len(inst.requests)) if r not in sched.placed)
    return Solution(status=status, assignments=assignments, unassigned=unassigned,
                    served_weight=weight, preference_penalty=_penalty(prob, chosen),
                    travel_km=round(_travel_km(prob, chosen), 1), bound=run.bound,
                    wall_seconds=run.elapsed())


def _process_seconds(allowed: list[int]) -> float:
    """The least time for which the column bound's process is worth starting: its start-up
    (paid by this process too, pickling the tour) and a few pricing rounds."""
    return (PROCESS_START_SECONDS + PROCESS_SECONDS_PER_OPTION * len(allowed)
            + PROCESS_MIN_ROUNDS * len(allowed) / OPTIONS_PER_SECOND)


def _penalty_phase(run: _Run, prob: Problem, allowed: list[int], pinned: set[int],
                   prev: list[int], chosen: list[int], weight: int) -> tuple[bool, list[int]]:
    """Phase 2, the preference penalty at the served weight reached; return (proven, chosen).
    Building its model cannot be cut short, so it is skipped when its estimate (from the
    options and arcs) does not fit the time left."""
    if _penalty(prob, chosen) == 0:
        return True, chosen
    if run.halt():
        return False, chosen
    options = allowed
    if len(allowed) > OPTION_BUDGET:
        options = _neighbourhood(prob, allowed, chosen, pinned | set(prev))
    window, arcs = _window(prob, options)
    if not run.fits(SECONDS_PER_MODEL_OPTION * len(options) + SECONDS_PER_MODEL_ARC * arcs):
        return False, chosen
    model = build(prob, options, pinned, window=window)
    model.exact = options is allowed
    model.model.add(model.weight >= weight)
    model.model.minimize(model.penalty)
    hint(model, prob, chosen)
    proven, found = _phase(run, model, "penalty", run.share(SHARE["penalty"]))
    if found is not None:
        chosen = found
    return proven or _penalty(prob, chosen) == 0, chosen


class _ServeMost:
    """Phase 1, the served weight: neighbourhood search for schedules, and meanwhile (one event a
    day) column generation for the bound.

    With several workers the bound is computed beside the search, in a thread (CP-SAT releases
    the interpreter while it solves) or on big tours in ``background``, the process ``solve``
    started, and one worker fewer goes to CP-SAT until it is done (the process, unless it has
    converged, goes on through the later phases: the bound is worth as much as the schedule). With
    one worker they take turns, so that nothing depends on thread timing (same seed, same
    answer). Once column generation has converged, its routes name the options worth having:
    if they are few, CP-SAT on the model of just those (and the incumbent's) takes the rest of
    the phase (see ``ROUTES_MODEL_OPTIONS``); else the search goes on over just those, with every
    worker. Before that, on big tours, it keeps to the routes' options the process reports every
    ``ROUTES_EVERY`` seconds.
    """

    def __init__(self, run: _Run, prob: Problem, allowed: list[int], pinned: set[int],
                 chosen: list[int], background: BackgroundBound | None):
        self.run, self.prob = run, prob
        self.allowed, self.pinned = allowed, pinned
        self.chosen = chosen  # the schedule so far
        self.background = background
        self.budget = run.share(SHARE["weight"])
        self.started = time.monotonic()
        self.columns: ColumnBound | None = None  # the column generation's result, once done
        self.column_value: int | None = None  # the best bound it has proven so far
        self.bound_done = threading.Event()  # column generation is over (or never ran)
        self.columns_first = run.workers == 1 and prob.rules.max_events_per_day == 1
        # the sets of options over a weekly km cap, kept from one search to the next (each
        # newer report of the routes starts a new one)
        self.week_cuts: set[frozenset[int]] = set()

    def serve(self) -> tuple[list[int], bool]:
        """Return (schedule, proven optimal)."""
        run, prob = self.run, self.prob
        worker = None
        if prob.rules.max_events_per_day != 1:
            self.bound_done.set()
        elif self.columns_first:
            self._bound_search(self.budget * COLUMN_SHARE)
            if self.columns is not None:
                run.refund(self.budget * COLUMN_SHARE - self.columns.nominal_seconds)
        elif self.background is None and len(self.allowed) < PROCESS_OPTIONS:
            worker = threading.Thread(target=self._bound_search, args=(self.budget,),
                                      daemon=True)
            worker.start()
        elif self.background is None:
            self.bound_done.set()  # too little time for the process (``_process_seconds``)
        search_budget = self._left() * (NEIGHBOURHOOD_SHARE_BEFORE_ROUTES
                                        if self._routes_next() else 1.0)
        routes = self._latest_routes()
        proven, dtime_used = self._search(routes, search_budget)
        while (run.workers > 1 and not proven and not self._routes_next() and self._left() > 0
               and self._latest_routes() is not routes):
            routes = self._latest_routes()
            proven, _ = self._search(routes, self._left())
        if self.background is not None and not self.bound_done.is_set():
            self.background.poll(self._take)  # it goes on through the later phases
        self.bound_done.set()
        if worker is not None:
            worker.join()
        routes_budget = self._left() - search_budget if run.workers == 1 else self._left()
        run.refund(search_budget - dtime_used / DTIME_PER_SECOND)
        if proven:
            run.bound = _weight(prob, self.chosen)
            run.refund(routes_budget)
            return self.chosen, True
        if self._routes_next() and _weight(prob, self.chosen) < self._bound():
            self.chosen = _serve_most_on_routes(run, prob, self.allowed, self.pinned,
                                                self.chosen, self.columns.options, routes_budget)
        else:
            run.refund(routes_budget)
        return self.chosen, _weight(prob, self.chosen) >= self._bound()

    def _bound_search(self, seconds: float) -> None:
        run = self.run
        try:
            self.columns = column_bound(
                self.prob, self.allowed, self.pinned, seconds, start=self.chosen,
                stop=lambda: self.bound_done.is_set() or run.halt(),
                on_bound=self._take, deterministic=run.workers == 1)
        except RuntimeError:
            pass  # the master LP failed: the bound stays the LP relaxation's
        finally:
            self.bound_done.set()

    def _converged(self) -> bool:
        return self.columns is not None and self.columns.converged

    def _routes_next(self) -> bool:
        """Whether CP-SAT on the routes' options is to take over from the search."""
        return self._converged() and len(self.columns.options) <= ROUTES_MODEL_OPTIONS

    def _pool_next(self) -> bool:
        """Whether the search is to go on over the routes' options alone (too many for CP-SAT
        on all of them at once)."""
        return self._converged() and not self._routes_next()

    def _left(self) -> float:
        """What phase 1 has left: nominal with one worker (see ``_Run.share``)."""
        if self.run.workers == 1:
            return self.budget * (1 - COLUMN_SHARE) if self.columns_first else self.budget
        return self.budget - (time.monotonic() - self.started)

    def _take(self, value: int) -> None:
        self.column_value = value

    def _bound(self) -> int:
        """The best bound so far, with what the column generation has proven taken in."""
        run, background = self.run, self.background
        if background is not None and not self.bound_done.is_set():
            background.poll(self._take)
            if background.finished:
                self.columns = background.result
                self.bound_done.set()
        if self.column_value is not None and self.column_value < run.bound:
            run.bound = self.column_value
            run.report(run.best, "bound")
        return run.bound

    def _latest_routes(self) -> frozenset[int] | None:
        """The routes' options for the search to keep to (None: every option): the converged
        columns', when too many for CP-SAT, else the latest the process has reported, unless
        the tour is too big for them to matter before they converge (``ROUTES_SEARCH_OPTIONS``).
        """
        if self._pool_next():
            return self.columns.options
        if self.background is None or len(self.allowed) > ROUTES_SEARCH_OPTIONS:
            return None
        return self.background.routes

    def _search(self, routes: frozenset[int] | None, seconds: float) -> tuple[bool, float]:
        """The neighbourhood search from the schedule over ``routes`` and the schedule's options
        (or every option) until newer routes come; return (proven optimal, its deterministic
        time)."""
        run, prob = self.run, self.prob
        options = (self.allowed if routes is None
                   else _routes_pool(self.allowed, self.pinned, self.chosen, routes))
        neighbourhoods = Neighbourhoods(prob, options, self.pinned, run.seed,
                                        complete=routes is None, cuts=self.week_cuts)
        self.chosen, optimal = neighbourhoods.search(
            self.chosen, seconds,
            workers=lambda: (run.workers if self.bound_done.is_set()
                             else max(1, run.workers - 1)),
            deterministic=run.workers == 1, dtime_per_second=DTIME_PER_SECOND,
            latest=run.latest(),
            stop=lambda: run.halt() or (
                run.workers > 1 and (self._routes_next()
                                     or self._latest_routes() is not routes)),
            bound=self._bound,
            improved=lambda better: run.report(_weight(prob, better), "weight"))
        return optimal, neighbourhoods.dtime_used


def _routes_pool(allowed: list[int], pinned: set[int], chosen: list[int],
                 routes: frozenset[int]) -> list[int]:
    """The options of the column generation's routes, of the schedule and the pinned ones."""
    return sorted((routes | set(chosen) | pinned) & set(allowed))


def _serve_most_on_routes(run: _Run, prob: Problem, allowed: list[int], pinned: set[int],
                          chosen: list[int], options: frozenset[int], seconds: float) -> list[int]:
    """CP-SAT on the options of the generated routes and of ``chosen``: a better schedule, or
    ``chosen`` itself."""
    pool = _routes_pool(allowed, pinned, chosen, options)
    model = build(prob, pool, pinned, window=0)
    model.exact = False
    model.model.maximize(model.weight)
    hint(model, prob, chosen)
    _, found = _phase(run, model, "weight", seconds, lp_heavy=False, stop_at_bound=True)
    if found is not None and _weight(prob, found) > _weight(prob, chosen):
        return found
    return chosen


def _travel_phases(run: _Run, prob: Problem, allowed: list[int], chosen: list[int],
                   prev: list[int], pinned: set[int], weight: int):
    """Phase 3 (travel) and, with a previous solution, phase 4 (fewest moves) on the exact
    travel model; return (chosen, travel proven, moves proven)."""
    exact, candidates, arcs = _travel_candidates(prob, allowed, chosen, prev, pinned)
    if not candidates:
        return chosen, True, True
    budget = run.share(1.0)
    if (budget < MIN_TRAVEL_SECONDS + arcs * SECONDS_PER_ARC
            or not run.fits(MIN_TRAVEL_SECONDS + arcs * SECONDS_PER_ARC) or run.check_stop()):
        return chosen, False, not prev
    travel = build(prob, candidates, pinned, window=None, travel=True)
    travel.model.add(travel.weight >= weight)
    travel.model.add(travel.penalty <= _penalty(prob, chosen))
    travel.model.minimize(travel.travel)
    hint(travel, prob, chosen)
    kept = [travel.x[o] for o in prev if o in travel.x]
    travel_budget = budget * (SHARE["travel"] if kept else 1.0)
    ok, found = _phase(run, travel, "travel", travel_budget)
    travel_proven = ok and exact
    if found is not None:
        chosen = found
    moves_proven = True
    if kept:
        travel.model.clear_objective()
        travel.model.add(travel.travel <= _travel_units(prob, chosen))
        travel.model.maximize(sum(kept))
        hint(travel, prob, chosen)
        ok, found = _phase(run, travel, "moves",
                           run.left() if run.workers > 1 else budget - travel_budget)
        moves_proven = ok and exact
        if found is not None:
            chosen = found
    return chosen, travel_proven, moves_proven


def _neighbourhood(prob: Problem, allowed: list[int], chosen: list[int], keep: set[int]):
    """For tours whose full model does not fit in memory: per request the options that fit the
    greedy schedule best (best rank first, then a speaker free or nearby within two days).
    Every rule stays exact; only the choice is narrower, so nothing is proven on it."""
    opts = prob.options
    per_request = max(4, OPTION_BUDGET // max(1, len(prob.inst.requests)))
    events: dict[tuple[int, int], list[int]] = {}
    for o in chosen:
        events.setdefault((opts[o].speaker, opts[o].day), []).append(opts[o].request)
    by_request: dict[int, list[int]] = {}
    for o in allowed:
        by_request.setdefault(opts[o].request, []).append(o)
    out = (keep | set(chosen)) & set(allowed)
    for r, own in by_request.items():
        row = prob.dist_rows[r]

        def score(o, row=row):
            oo = opts[o]
            near = [row[q] for g in range(-2, 3)
                    for q in events.get((oo.speaker, oo.day + g), ()) if q != oo.request]
            return (oo.penalty, min(near) if near else 0.0, oo.speaker, oo.day)

        out.update(sorted(own, key=score)[:per_request])
    return sorted(out)


def _window(prob: Problem, allowed: list[int]) -> tuple[int, int]:
    """The widest arc window whose estimated arc count fits ``FLOW_ARC_BUDGET``, and that
    count."""
    per_day: dict[tuple[int, int], int] = {}
    for o in allowed:
        key = (prob.options[o].speaker, prob.options[o].day)
        per_day[key] = per_day.get(key, 0) + 1
    for window in WINDOWS:
        arcs = sum(n * per_day.get((s, d + g), 0)
                   for (s, d), n in per_day.items() for g in range(1, window + 1))
        if arcs <= FLOW_ARC_BUDGET:
            return window, arcs
    return 0, 0


def _travel_candidates(prob: Problem, allowed: list[int], chosen: list[int], prev: list[int],
                       pinned: set[int]) -> tuple[bool, list[int], int]:
    """The options of the exact-travel model: all of them if their arcs fit the budget (then the
    travel level can be proven optimal), else the widest neighbourhood of the incumbent that fits:
    the served requests on any date, then on their dates with any speaker."""
    opts = prob.options
    keep = set(chosen) | set(prev) | pinned
    served = {opts[o].request for o in chosen}
    chosen_day = {opts[o].request: opts[o].day for o in chosen}
    levels = [
        (True, allowed),
        (False, [o for o in allowed if opts[o].request in served or o in keep]),
        (False, [o for o in allowed
                 if chosen_day.get(opts[o].request) == opts[o].day or o in keep]),
        (False, sorted(keep & set(allowed))),
    ]
    for exact, cand in levels:
        per_speaker: dict[int, int] = {}
        for o in cand:
            per_speaker[opts[o].speaker] = per_speaker.get(opts[o].speaker, 0) + 1
        arcs = sum(n * (n - 1) // 2 for n in per_speaker.values())
        if arcs <= TRAVEL_ARC_BUDGET:
            return exact, cand, arcs
    return False, levels[-1][1], arcs


def _previous_options(prob: Problem, previous: list[dict] | None) -> list[int]:
    """Options of a previous solution's assignments that still exist (stale entries are simply
    not kept); a malformed list is an ``InstanceError`` naming the bad place."""
    if previous is None:
        return []
    out = []
    for a in parse_previous_assignments(previous):
        day = (date.fromisoformat(a["date"]) - prob.start).days
        key = (prob.req_index.get(a["request"]), prob.spk_index.get(a["speaker"]), day)
        if key in prob.lookup:
            out.append(prob.lookup[key])
    return out


def _weight(prob: Problem, chosen: list[int]) -> int:
    return sum(prob.inst.requests[prob.options[o].request].priority for o in chosen)


def _penalty(prob: Problem, chosen: list[int]) -> int:
    return sum(prob.options[o].penalty for o in chosen)


def _routes(prob: Problem, chosen: list[int]):
    """Per speaker, its events' requests in time order (date, then start instant)."""
    by_speaker: dict[int, list[int]] = {}
    for o in chosen:
        by_speaker.setdefault(prob.options[o].speaker, []).append(o)
    for s, own in by_speaker.items():
        own.sort(key=prob.order_of)
        yield s, [prob.options[o].request for o in own]


def _travel_km(prob: Problem, chosen: list[int]) -> float:
    """Level 3: the km between consecutive events, and (``travel_from_home``) the legs from home
    to the first event and from the last back home."""
    total = 0.0
    for s, reqs in _routes(prob, chosen):
        total += sum(prob.dist_rows[a][b] for a, b in zip(reqs, reqs[1:], strict=False))
        if prob.rules.travel_from_home:
            total += prob.home_km[s, reqs[0]] + prob.home_km[s, reqs[-1]]
    return float(total)


def _travel_units(prob: Problem, chosen: list[int]) -> int:
    """``_travel_km`` in the exact-travel model's units (each leg rounded to 0.1 km)."""
    total = 0
    for s, reqs in _routes(prob, chosen):
        total += sum(prob.km_units(a, b) for a, b in zip(reqs, reqs[1:], strict=False))
        if prob.rules.travel_from_home:
            total += prob.home_units(s, reqs[0]) + prob.home_units(s, reqs[-1])
    return total


def _infeasible(prob: Problem, conflicts: list[PinConflict], run: _Run) -> Solution:
    """Nothing scheduled; each pinned request named in a conflict carries it, in plain words, as
    its reason (the format's only place for it)."""
    unassigned = []
    for r in prob.inst.requests:
        own = [c.text for c in conflicts if r.id in c.requests]
        unassigned.append(Unassigned(r.id, PINNED_CONFLICT + "; ".join(own) if own else
                                     "not scheduled: the pinned assignments contradict the hard "
                                     "rules (see the pinned requests' reasons)"))
    return Solution(status="INFEASIBLE", assignments=(), unassigned=tuple(unassigned),
                    served_weight=0, preference_penalty=0, travel_km=0.0, bound=0,
                    wall_seconds=run.elapsed())

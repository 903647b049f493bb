"""Large-neighbourhood search for the served weight: free a stretch of days for some speakers,
keep the rest of the schedule, and let CP-SAT re-plan the stretch exactly.

Why: the rules are local in time (travel, ISO weeks, days in a row), so a stretch of days is a
natural neighbourhood, and a model of a few hundred options is solved to optimality in well under
a second, where CP-SAT's own neighbourhoods on the whole model of a large tour (10k options, 45k
constraints) improve it far more slowly (measured on the large benchmark, 60 s: 862 with CP-SAT
alone, 886 with these neighbourhoods).

The model of a stretch holds the options of the freed speakers on its days (for requests not
served elsewhere) and, fixed, their events close enough to interact: within the travel reach,
the run of days in a row and the ISO week (so H10, km a week, sees every event of the weeks it
changes). Events further away only count towards ``max_events``.
A stretch that covers every speaker and every day is the whole problem, so its optimum is proven.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.solver.model import build, solve_keeping_weeks
from scheduler.solver.problem import Problem

# options (count) freed per neighbourhood at first; grown/shrunk by GROW/SHRINK after each step
FREE_OPTIONS = 600
MIN_FREE, MAX_FREE = 150, 4000  # bounds (count) on the options freed
STEP_SECONDS = 0.25  # wall seconds per step
GROW, SHRINK = 1.1, 0.7  # factors on the options freed after a step solved / not solved
DTIME_STEP_SHARE = 0.2  # one worker: a step's deterministic time per STEP_SECONDS
STEP_DTIME = 0.05  # one worker: deterministic time counted for building a step's model


class Neighbourhoods:
    """The search over stretches of one tour's schedule (see the module docstring)."""

    def __init__(self, prob: Problem, allowed: list[int], pinned: set[int], seed: int,
                 complete: bool = True, cuts: set[frozenset[int]] | None = None):
        self.prob = prob
        # ``allowed`` holds every usable option: a whole stretch solved to optimality is proven
        self.complete = complete
        self.pinned = pinned
        self.rng = random.Random(seed)
        self.by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
        for o in allowed:
            self.by_slot[(prob.options[o].speaker, prob.options[o].day)].append(o)
        self.speakers = sorted({s for s, _ in self.by_slot})
        self.count = Counter({key: len(v) for key, v in self.by_slot.items()})
        # fixed events this close to the stretch are in its model (travel, runs, ISO weeks)
        self.margin = max(prob.reach_days, max(prob.run_cap, default=1), 7)
        self.target = FREE_OPTIONS
        self.dtime_used = 0.0  # CP-SAT's deterministic time over all steps, plus model building
        self.weight = [r.priority for r in prob.inst.requests]
        # sets of options found over a weekly km cap in earlier steps, forbidden in later ones
        # (each step would otherwise find them again, one round of CP-SAT each); ``cuts`` passes
        # in, and grows, those of an earlier search of the same tour
        self.cuts: set[frozenset[int]] = set() if cuts is None else cuts

    def search(self, chosen: list[int], budget: float, workers: Callable[[], int],
               deterministic: bool, dtime_per_second: float, stop: Callable[[], bool],
               bound: Callable[[], int], improved: Callable[[list[int]], None],
               latest: float = float("inf")) -> tuple[list[int], bool]:
        """Improve ``chosen`` for ``budget`` seconds or until it reaches ``bound()``; return
        (schedule, proven optimal).

        ``deterministic`` (one worker): every step and the whole search are limited by CP-SAT's
        deterministic time instead of the clock, so the same seed gives the same schedule; the
        clock, at three times the budget, is only a safety net for a very slow machine.
        ``latest`` (a ``time.monotonic`` instant): no step runs past it, deterministic or not.
        """
        current = set(chosen)
        value = self._value(current)
        deadline = min(latest, time.monotonic() + (3 * budget + 1 if deterministic else budget))
        dtime_left = budget * dtime_per_second
        step = 0
        while not stop() and value < bound():
            left = deadline - time.monotonic()
            if left <= 0.05 or deterministic and dtime_left <= 0:
                break
            speakers, first, last = self._pick()
            whole = speakers == set(self.speakers) and first <= 0 and last >= self.prob.days
            step += 1
            seconds = min(STEP_SECONDS, left)
            optimal, found, dtime = self._solve(
                current, speakers, first, last, seconds, step, workers(),
                dtime_left if deterministic else None, left)
            dtime_left -= dtime + STEP_DTIME
            self.dtime_used += dtime + STEP_DTIME
            if found is not None:
                new_value = self._value(found)
                if new_value >= value:
                    if new_value > value:
                        improved(sorted(found))
                    current, value = found, new_value
            if whole and optimal:
                return sorted(current), self.complete
            self.target = (min(MAX_FREE, int(self.target * GROW)) if optimal
                           else max(MIN_FREE, int(self.target * SHRINK)))
        return sorted(current), False

    def _value(self, chosen) -> int:
        return sum(self.weight[self.prob.options[o].request] for o in chosen)

    def _pick(self) -> tuple[set[int], int, int]:
        """Some speakers (all of them half the time) and a stretch of days around a random day,
        grown until it holds about ``target`` options."""
        rng = self.rng
        if len(self.speakers) <= 2 or rng.random() < 0.5:
            speakers = set(self.speakers)
        else:
            speakers = set(rng.sample(self.speakers, max(2, len(self.speakers) // 3)))
        days = self.prob.days
        first = last = rng.randrange(days)
        size = 0
        while size < self.target and (first > 0 or last < days):
            if last < days and (rng.random() < 0.5 or first == 0):
                size += sum(self.count[(s, last)] for s in speakers)
                last += 1
            else:
                first -= 1
                size += sum(self.count[(s, first)] for s in speakers)
        return speakers, first, last

    def _solve(self, current: set[int], speakers: set[int], first: int, last: int,
               seconds: float, seed: int, workers: int, dtime: float | None,
               wall: float) -> tuple[bool, set[int] | None, float]:
        """Re-plan the stretch; return (solved to optimality, new schedule or None, the
        deterministic time CP-SAT spent). ``wall``: seconds it may take at most, whatever
        ``dtime``."""
        prob = self.prob
        opts = prob.options
        served = {opts[o].request: o for o in current}
        freed = {o for o in current if opts[o].speaker in speakers
                 and first <= opts[o].day < last and o not in self.pinned}
        free = [o for s in speakers for d in range(first, last)
                for o in self.by_slot.get((s, d), ())
                if opts[o].request not in served or served[opts[o].request] in freed]
        lo, hi = first - self.margin, last + self.margin
        fixed = [o for o in current if o not in freed and opts[o].speaker in speakers
                 and lo <= opts[o].day < hi]
        inside = set(free) | set(fixed)
        elsewhere = Counter(opts[o].speaker for o in current
                            if opts[o].speaker in speakers and o not in inside)
        built = build(prob, sorted(inside), set(fixed), window=0, events_elsewhere=elsewhere,
                      week_pairs=True, cuts=self.cuts)
        built.model.maximize(built.weight)
        for o, var in built.x.items():
            built.model.add_hint(var, o in current)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = workers
        params.random_seed = seed
        params.max_time_in_seconds = seconds
        if dtime is not None:
            params.max_deterministic_time = min(dtime, STEP_SECONDS * DTIME_STEP_SHARE)
            params.max_time_in_seconds = min(3 * seconds + 1, wall)  # a safety net only
        status, chosen, spent = solve_keeping_weeks(prob, built, solver)
        self.cuts.update(built.cuts)
        if chosen is None:
            return False, None, spent
        kept = current - freed
        kept.update(o for o in chosen if o in free)
        return status == cp_model.OPTIMAL, kept, spent

"""The best schedule of one speaker alone, exactly, by dynamic programming over its options in date
order (one event a day): for given profits per option, the schedule of greatest total profit that
keeps H3 to H7 (one event a day, travel between consecutive events, events per ISO week, days in a
row, events in the tour; each speaker's own limits) and H9 (the options hold only events
reachable from home). H10, km a week, is relaxed: only each leg inside a week is kept within the
cap, not their sum, so the routes are a superset of the real schedules and the bound stays
valid; instead each km inside a week may be priced (the dual of the master's km row for that
speaker and week, ``columns._Master``), which steers the routes back under the caps.

This is the pricing problem of the column-generation bound (``columns.py``): with the requests'
dual prices subtracted from their priorities, the best schedule tells whether some route of the
speaker is still worth adding, and how much the bound may exceed the current answer.

The state after an event is (days worked in a row so far, events so far in its ISO week, events
so far), each kept only when its rule can bind; a predecessor can only be an earlier event, and
beyond ``far_gap`` days every pair of events is reachable and in different weeks, so the best of
all earlier days stands in for them at once. A request may come back in a route, but never right
after itself (the bound stays valid: the routes only widen the set of schedules).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduler.solver.problem import Problem

NEG = -np.inf
TOLERANCE = 1e-7


@dataclass(frozen=True)
class _Day:
    day: int
    week: tuple[int, int]
    options: np.ndarray  # indices into the speaker's own option list
    # gap -> (earlier day index in ``days``, bool matrix earlier x this: travel allows the pair)
    links: dict[int, tuple[int, np.ndarray]]
    # the links of gaps over one day, in two groups (same ISO week, or not): the earlier days'
    # indices and their matrices stacked, so that each group is priced in one step
    same_week: tuple[list[int], np.ndarray]
    other_weeks: tuple[list[int], np.ndarray]
    # km of the legs inside this day's ISO week (weekly km cap only), whole km rounded down so
    # that a route is never charged more than it drives (the bound stays valid) and the matrices
    # stay small: the one-day link's matrix (None when that link crosses into a new week) and
    # ``same_week``'s, stacked alike
    step_km: np.ndarray | None
    same_week_km: np.ndarray | None


class SpeakerRoutes:
    """The travel-feasible pairs of one speaker's options, computed once; ``best`` then prices
    any profits. Works only with ``max_events_per_day`` 1."""

    def __init__(self, prob: Problem, speaker: int, options: list[int]):
        opts = prob.options
        rules = prob.rules
        self.options = np.array(options, dtype=np.int64)  # global option indices
        self.requests = np.array([opts[o].request for o in options], dtype=np.int64)
        by_day: dict[int, list[int]] = defaultdict(list)
        for i, o in enumerate(options):
            by_day[opts[o].day].append(i)
        week_cap = prob.week_cap[speaker]
        run_cap = prob.run_cap[speaker]
        km_week_cap = prob.km_week_cap[speaker]
        cap = prob.inst.speakers[speaker].max_events
        # a count that can never reach its cap needs no state (a run spans at most two weeks)
        self.weekly = week_cap < 7
        self.runs = run_cap < min(2 * min(week_cap, 7), prob.days)
        self.counting = cap is not None and cap < len(by_day)
        self.shape = (run_cap if self.runs else 1, week_cap if self.weekly else 1,
                      max(cap, 1) if self.counting else 1)
        self.empty_allowed = not self.counting or cap > 0
        reqs = self.requests
        far = prob.dist[np.ix_(reqs, reqs)].max() if len(reqs) else 0.0
        self.far_gap = max(7, int(far // rules.max_km_per_day) + 1)
        km = rules.max_km_per_day
        position = {d: i for i, d in enumerate(sorted(by_day))}
        self.days: list[_Day] = []
        for d in sorted(by_day):
            here = np.array(by_day[d], dtype=np.int64)
            links = {}
            week_km = {}
            for gap in range(1, self.far_gap):
                earlier = by_day.get(d - gap)
                if earlier:
                    ok = prob.dist[np.ix_(reqs[earlier], reqs[here])] <= km * gap
                    ok &= reqs[earlier][:, None] != reqs[here][None, :]  # no request twice in a row
                    if km_week_cap is not None and prob.week_of(d - gap) == prob.week_of(d):
                        # each leg inside a week within the week's km cap (H10, relaxed)
                        ok &= prob.dist[np.ix_(reqs[earlier], reqs[here])] <= km_week_cap
                    if ok.any():
                        links[gap] = (position[d - gap], ok)
                        if km_week_cap is not None and prob.week_of(d - gap) == prob.week_of(d):
                            week_km[gap] = np.floor(
                                prob.dist[np.ix_(reqs[earlier], reqs[here])]).astype(np.uint16)
            week = prob.week_of(d)
            longer = [gap for gap in links if gap > 1]
            same_gaps = [g for g in longer if prob.week_of(d - g) == week]
            same = _stacked(links, same_gaps, len(here))
            other = _stacked(links, [g for g in longer if prob.week_of(d - g) != week], len(here))
            same_km = (np.vstack([week_km[g] for g in same_gaps])
                       if km_week_cap is not None and same_gaps else None)
            self.days.append(_Day(d, week, here, links, same, other, week_km.get(1), same_km))

    def best(self, profit: np.ndarray,
             km_price: dict[tuple[int, int], float] | None = None) -> tuple[float, list[int]]:
        """The greatest total ``profit`` (one value per own option) of a schedule keeping H3-H7,
        less ``km_price[week]`` per km of its legs inside each ISO week (weekly km cap only), and
        its options (global indices); the empty schedule (0) when nothing is worth it."""
        if not self.empty_allowed:
            return 0.0, []  # max_events 0: the empty schedule is the only one
        self._km_price = km_price or {}
        # an event of no positive profit only pads a route (dropping it keeps every rule), so it
        # is left out and the routes name just the options worth having (medium benchmark, CP-SAT
        # on the routes' options: seed 1, 273 against 269 twice with padded routes; seed 2, 274
        # after 13 s against 274 after 38 s)
        profit = np.where(profit > TOLERANCE, profit, NEG)
        tables: list[np.ndarray] = []
        weekly: list[np.ndarray] = []  # per day: best over runs, (option, week count, count)
        best_of_week: list[np.ndarray] = []  # per day: best over runs and weeks, (option, count)
        counts = self.shape[2]
        # per count, the two best schedules ending at least ``far_gap`` days back, with
        # different last requests, so no request follows itself even from far away
        far_best = _TopTwo(counts)
        settled = 0
        overall, last = 0.0, None
        advance = slice(None, -1) if self.counting else slice(None)  # count before the event
        after = slice(1, None) if self.counting else slice(None)  # count with it
        for i, day in enumerate(self.days):
            while settled < i and self.days[settled].day <= day.day - self.far_gap:
                far_best.merge(best_of_week[settled], self.requests[self.days[settled].options])
                settled += 1
            here = self.requests[day.options]
            table = np.full((len(day.options), *self.shape), NEG)
            table[:, 0, 0, 0] = 0.0  # the event opens the schedule
            far = np.where(here[:, None] == far_best.first_request[None, :], far_best.second,
                           far_best.first)
            into = table[:, 0, 0, after]
            np.maximum(into, far[:, advance], out=into)
            if 1 in day.links:
                j, ok = day.links[1]
                source = tables[j]
                into = table
                if self.runs:
                    source, into = source[:, :-1], into[:, 1:]
                if self.days[j].week != day.week:
                    source, into = source.max(axis=2, keepdims=True), into[:, :, :1]
                elif self.weekly:
                    source, into = source[:, :, :-1], into[:, :, 1:]
                source, into = source[..., advance], into[..., after]
                np.maximum(into, _masked_max(ok, source, self._cost(day, day.step_km)), out=into)
            earlier, ok = day.same_week
            if earlier:
                source, into = np.concatenate([weekly[j] for j in earlier]), table[:, 0]
                if self.weekly:
                    source, into = source[:, :-1], into[:, 1:]
                source, into = source[..., advance], into[..., after]
                np.maximum(into, _masked_max(ok, source, self._cost(day, day.same_week_km)),
                           out=into)
            earlier, ok = day.other_weeks
            if earlier:
                source = np.concatenate([best_of_week[j] for j in earlier])[:, advance]
                into = table[:, 0, 0, after]
                np.maximum(into, _masked_max(ok, source), out=into)
            table += profit[day.options][:, None, None, None]
            tables.append(table)
            weekly.append(table.max(axis=1))
            best_of_week.append(weekly[-1].max(axis=1))
            top = float(table.max())
            if top > overall:
                overall, last = top, i
        if last is None or overall <= 0.0:
            return 0.0, []
        return overall, self._trace(tables, profit, last)

    def _cost(self, day: _Day, km: np.ndarray | None) -> np.ndarray | None:
        """The price of a link's legs (earlier option x this one) inside ``day``'s week."""
        price = self._km_price.get(day.week, 0.0)
        return None if km is None or price <= 0.0 else price * km

    def _leg_cost(self, day: _Day, gap: int, j: int, k: int) -> np.ndarray | float:
        """The price of the legs from the options of the day ``gap`` back (index ``j``) to
        option ``k`` of ``day``."""
        price = self._km_price.get(day.week, 0.0)
        if (price <= 0.0 or self.days[j].week != day.week
                or (gap > 1 and day.same_week_km is None)):
            return 0.0
        if gap == 1:
            return 0.0 if day.step_km is None else price * day.step_km[:, k]
        earlier, _ = day.same_week
        row = sum(len(self.days[e].options) for e in earlier[:earlier.index(j)])
        return price * day.same_week_km[row:row + len(self.days[j].options), k]

    def _sources(self, gap: int, same_week: bool, state: tuple[int, int, int]):
        """The states of an earlier event (``gap`` days back) that lead to ``state``."""
        runs, weeks, _ = self.shape
        r, w, c = state
        if gap == 1 and self.runs:
            run_from = [r - 1] if r >= 1 else []
        elif gap == 1:
            run_from = [r]
        else:
            run_from = list(range(runs)) if r == 0 else []
        if not same_week:
            week_from = list(range(weeks)) if w == 0 else []
        elif self.weekly:
            week_from = [w - 1] if w >= 1 else []
        else:
            week_from = [w]
        count_from = ([c - 1] if c >= 1 else []) if self.counting else [c]
        return [(a, b, n) for a in run_from for b in week_from for n in count_from]

    def _trace(self, tables: list[np.ndarray], profit: np.ndarray, i: int) -> list[int]:
        """Walk back from the best final event through predecessors that reach its value."""
        k, *state = (int(v) for v in np.unravel_index(int(np.argmax(tables[i])),
                                                      tables[i].shape))
        chosen = []
        while True:
            day = self.days[i]
            chosen.append(int(self.options[day.options[k]]))
            need = tables[i][(k, *state)] - profit[day.options[k]]
            found = None
            for gap, (j, ok) in day.links.items():
                cost = self._leg_cost(day, gap, j, k)
                for source in self._sources(gap, self.days[j].week == day.week, tuple(state)):
                    rows = np.flatnonzero(ok[:, k] & (np.abs(tables[j][(slice(None), *source)]
                                                             - cost - need) <= TOLERANCE))
                    if len(rows):
                        found = (j, int(rows[0]), *source)
                        break
                if found:
                    break
            opening = state[0] == 0 and state[1] == 0
            if found is None and opening and state[2] == 0 and abs(need) <= TOLERANCE:
                break
            if found is None and opening:
                count = state[2] - 1 if self.counting else 0
                if count >= 0:
                    found = self._far_predecessor(tables, i, need,
                                                  self.requests[day.options[k]], count)
            if found is None:
                raise AssertionError("route trace lost its way")  # only on a bug in ``best``
            i, k, *state = found
        chosen.reverse()
        return chosen

    def _far_predecessor(self, tables, i, need, request, count):
        limit = self.days[i].day - self.far_gap
        for j in range(i - 1, -1, -1):
            if self.days[j].day > limit:
                continue
            near = np.abs(tables[j][..., count] - need) <= TOLERANCE
            near[self.requests[self.days[j].options] == request] = False
            hit = np.argwhere(near)
            if len(hit):
                k, r, w = (int(v) for v in hit[0])
                return j, k, r, w, count
        return None


class _TopTwo:
    """Per count, the best value and the best one whose last request differs from the best's."""

    def __init__(self, counts: int):
        self.first = np.full(counts, NEG)
        self.first_request = np.full(counts, -1)
        self.second = np.full(counts, NEG)
        self.second_request = np.full(counts, -1)

    def merge(self, values: np.ndarray, requests: np.ndarray) -> None:
        """Fold in a day's best values per (option, count), ``requests`` per option."""
        columns = np.arange(values.shape[1])
        candidates = np.vstack([self.first, self.second, values])
        owners = np.vstack([self.first_request, self.second_request,
                            np.broadcast_to(requests[:, None], values.shape)])
        top = candidates.argmax(axis=0)
        self.first = candidates[top, columns]
        self.first_request = owners[top, columns]
        others = np.where(owners != self.first_request, candidates, NEG)
        runner_up = others.argmax(axis=0)
        self.second = others[runner_up, columns]
        self.second_request = owners[runner_up, columns]


def _stacked(links: dict[int, tuple[int, np.ndarray]], gaps: list[int],
             width: int) -> tuple[list[int], np.ndarray]:
    """The earlier days of ``gaps`` and their matrices stacked in the same order."""
    if not gaps:
        return [], np.zeros((0, width), dtype=bool)
    return [links[g][0] for g in gaps], np.vstack([links[g][1] for g in gaps])


def _masked_max(ok: np.ndarray, source: np.ndarray,
                cost: np.ndarray | None = None) -> np.ndarray:
    """For each later option (column of ``ok``), the best ``source`` row, less the ``cost`` of
    the leg (earlier x later), among the earlier options that may precede it."""
    shape = ok.shape + (1,) * (source.ndim - 1)
    values = source[:, None] if cost is None else source[:, None] - cost.reshape(shape)
    return np.where(ok.reshape(shape), values, NEG).max(axis=0)

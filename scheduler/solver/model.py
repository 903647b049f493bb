"""The CP-SAT model: one boolean per feasible (request, speaker, date) option and, per speaker, a
time-ordered path over its options.

Why a path: with only pairwise travel conflicts the LP relaxation lets a speaker be "half in Los
Angeles, half in New York" every day and its bound stays far above any real schedule. A unit of
flow per speaker through its options in date order (arcs only between options the travel rule
allows one after the other) makes every fractional answer a mix of real routes, so the bound is
close to the truth. Arcs are limited to gaps of at most ``window`` days; a longer gap goes through
a chain of location-free "hub" nodes, one per day. Gaps beyond the window that the travel rule
can still forbid are covered by at-most-one cliques (an option together with all options too far
from it on one later day: at most one event a day makes them mutually exclusive). With an
unlimited window there are no hubs, and each arc is a real pair of consecutive events, so its km
is the travel objective; the arc from the start hub into a speaker's first event and the one from
the last event to the end hub are then the legs from and back home.

H9 needs nothing here: an option that breaks it does not exist (``problem.py``). H3's distance
and clock are pairwise conflicts. H10 (km a week) depends on which events are consecutive, which
only the exact-travel model sees; there it is written over the arcs with km rounded down (a
relaxation). Every model is therefore solved by ``solve_keeping_weeks``: a schedule over a cap
gets a cut forbidding that week's set of events (dropping an event never breaks H10, so every
superset of the set is over the cap too and the cut loses no schedule) and CP-SAT solves again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.solver.problem import KM_SCALE, Problem
from scheduler.solver.rules import week_overruns

_sum = cp_model.LinearExpr.sum
# km beyond a weekly cap for two events to count as too far apart (rounding of the great circle)
FAR_MARGIN_KM = 1e-6


@dataclass
class Route:
    """The flow network of one speaker."""

    jump: dict[int, int] = field(default_factory=dict)  # option -> gap at which it goes to a hub
    direct: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    to_hub: dict[int, tuple[int, cp_model.IntVar]] = field(default_factory=dict)
    from_hub: dict[int, cp_model.IntVar] = field(default_factory=dict)
    chain: dict[int, cp_model.IntVar] = field(default_factory=dict)  # hub t -> hub t+1
    cost: dict[tuple[int, int], int] = field(default_factory=dict)
    # with exact travel: the home legs, km units of from_hub (home to o) and to_hub (o to home)
    home_cost: dict[int, int] = field(default_factory=dict)


@dataclass
class Built:
    model: cp_model.CpModel
    x: dict[int, cp_model.IntVar]
    routes: list[Route]
    weight: cp_model.LinearExpr
    penalty: cp_model.LinearExpr
    travel: cp_model.LinearExpr | None
    n_arcs: int
    exact: bool = True  # False when built over a cut-down set of options: proves nothing
    # the sets of options over a weekly km cap that ``week_cuts`` forbade in this model
    cuts: list[frozenset[int]] = field(default_factory=list)


def build(prob: Problem, allowed: list[int], pinned: set[int], window: int | None,
          travel: bool = False, events_elsewhere: dict[int, int] | None = None,
          week_pairs: bool = False, cuts: Collection[frozenset[int]] = ()) -> Built:
    """The model over the ``allowed`` options (``pinned`` ones fixed to 1).

    ``window`` None means arcs between every feasible ordered pair and no hubs (exact travel).
    ``events_elsewhere`` counts, per speaker, events kept outside the model (a neighbourhood of
    a schedule): they use up part of the speaker's ``max_events``.
    ``week_pairs``: H10 for two events of one week too far apart (``_far_in_week``), written
    where the model is small; ``cuts``: sets of options over a weekly cap found before (by
    ``week_cuts``), each forbidden when all its options are in the model.
    """
    m = cp_model.CpModel()
    opts = prob.options
    rules = prob.rules
    per_day = rules.max_events_per_day
    x = {o: m.new_bool_var(f"x{o}") for o in allowed}
    for o in pinned:
        m.add(x[o] == 1)
    by_req: dict[int, list[int]] = defaultdict(list)
    by_spk: dict[int, list[int]] = defaultdict(list)
    for o in allowed:
        by_req[opts[o].request].append(o)
        by_spk[opts[o].speaker].append(o)
    for lst in by_req.values():
        if len(lst) > 1:
            m.add_at_most_one(x[o] for o in lst)
    routes = []
    n_arcs = 0
    for s in range(len(prob.inst.speakers)):
        own = sorted(by_spk.get(s, []), key=prob.order_of)
        route = Route()
        routes.append(route)
        if not own:
            continue
        _capacity(m, prob, s, own, x, (events_elsewhere or {}).get(s, 0))
        if per_day == 1:
            if window != 0:  # a path with no arcs between options would add nothing
                n_arcs += _flow(m, prob, own, x, route, window, travel)
            _far_cliques(m, prob, own, x, route)
        else:
            _pairwise_travel(m, prob, own, x)
            if travel:
                n_arcs += _flow(m, prob, own, x, route, None, travel)
        if travel and window is None:
            _weekly_km(m, prob, s, route)
        elif week_pairs and prob.km_week_cap[s] is not None:
            _far_in_week(m, prob, s, own, x)
    for cut in cuts:
        if cut <= x.keys():
            m.add(_sum([x[o] for o in cut]) <= len(cut) - 1)
    weight = cp_model.LinearExpr.weighted_sum(
        [x[o] for o in allowed], [prob.inst.requests[opts[o].request].priority for o in allowed])
    penalty = cp_model.LinearExpr.weighted_sum(
        [x[o] for o in allowed], [opts[o].penalty for o in allowed])
    travel_expr = None
    if travel:
        arcs, costs = [], []
        home = prob.rules.travel_from_home and window is None
        for s, route in enumerate(routes):
            for key, var in route.direct.items():
                arcs.append(var)
                costs.append(route.cost[key])
            if home:
                for o, var in route.from_hub.items():
                    arcs.append(var)
                    costs.append(prob.home_units(s, opts[o].request))
                for o, (_, var) in route.to_hub.items():
                    arcs.append(var)
                    costs.append(prob.home_units(s, opts[o].request))
        travel_expr = cp_model.LinearExpr.weighted_sum(arcs, costs)
    return Built(m, x, routes, weight, penalty, travel_expr, n_arcs)


def _weekly_km(m, prob: Problem, s: int, route: Route) -> None:
    """H10 over the exact model's arcs: the km of the arcs inside one ISO week, rounded down to
    0.1 km (so never more than the truth: a relaxation that ``solve_keeping_weeks`` completes)."""
    cap = prob.km_week_cap[s]
    if cap is None:
        return
    opts = prob.options
    by_week: dict[tuple[int, int], list] = defaultdict(list)
    for (a, b), var in route.direct.items():
        week = prob.week_of(opts[a].day)
        if week == prob.week_of(opts[b].day):
            by_week[week].append((var, int(prob.dist_rows[opts[a].request][opts[b].request]
                                           * KM_SCALE)))
    limit = int(cap * KM_SCALE)
    for arcs in by_week.values():
        if sum(c for _, c in arcs) > limit:
            m.add(cp_model.LinearExpr.weighted_sum([v for v, _ in arcs], [c for _, c in arcs])
                  <= limit)


def week_cuts(prob: Problem, built: Built, chosen) -> int:
    """Add a cut for each speaker-week of ``chosen`` over its km cap (H10); return how many.
    Options of the set outside the model are fixed events there, so the cut keeps to the
    model's ones: at most all but one of them."""
    n = 0
    for own in week_overruns(prob, chosen):
        inside = [built.x[o] for o in own if o in built.x]
        built.model.add(_sum(inside) <= len(inside) - 1)
        built.cuts.append(frozenset(own))
        n += 1
    return n


def solve_keeping_weeks(prob: Problem, built: Built, solver: cp_model.CpSolver,
                        callback: cp_model.CpSolverSolutionCallback | None = None):
    """Solve ``built`` with ``solver`` until its answer keeps H10 (see the module docstring),
    within the solver's time limits in all; return (status, chosen options or None, the
    deterministic time spent)."""
    params = solver.parameters
    deadline = time.monotonic() + params.max_time_in_seconds
    dtime_limit = params.max_deterministic_time
    dtime = 0.0
    while True:
        status = solver.solve(built.model, callback)
        dtime += solver.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, dtime
        chosen = [o for o, v in built.x.items() if solver.boolean_value(v)]
        if not prob.km_week_cap_any or week_cuts(prob, built, chosen) == 0:
            return status, chosen, dtime
        left = deadline - time.monotonic()
        if left <= 0.01 or dtime >= dtime_limit:
            return cp_model.UNKNOWN, None, dtime
        params.max_time_in_seconds = left
        params.max_deterministic_time = dtime_limit - dtime


def _capacity(m, prob: Problem, s: int, own: list[int], x, elsewhere: int = 0) -> None:
    """H3 count, H5, H6 and H7 for speaker ``s`` (its own limits)."""
    opts, rules = prob.options, prob.rules
    spk = prob.inst.speakers[s]
    by_day: dict[int, list[int]] = defaultdict(list)
    for o in own:
        by_day[opts[o].day].append(o)
    worked = {}
    for d, lst in by_day.items():
        if rules.max_events_per_day == 1:
            if len(lst) > 1:
                m.add_at_most_one(x[o] for o in lst)
            worked[d] = cp_model.LinearExpr.sum([x[o] for o in lst])
        else:
            if len(lst) > rules.max_events_per_day:
                m.add(_sum([x[o] for o in lst]) <= rules.max_events_per_day)
            w = m.new_bool_var(f"w{s}_{d}")
            for o in lst:
                m.add_implication(x[o], w)
            m.add(w <= _sum([x[o] for o in lst]))
            worked[d] = w
    by_week: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d, lst in by_day.items():
        by_week[prob.week_of(d)].extend(lst)
    for lst in by_week.values():
        days = {opts[o].day for o in lst}
        if min(len(lst), len(days) * rules.max_events_per_day) > prob.week_cap[s]:
            m.add(_sum([x[o] for o in lst]) <= prob.week_cap[s])
    k = prob.run_cap[s]
    for t in range(prob.days - k):
        span = range(t, t + k + 1)
        if all(d in worked for d in span):
            m.add(_sum([worked[d] for d in span]) <= k)
    if spk.max_events is not None and len(own) > spk.max_events - elsewhere:
        m.add(_sum([x[o] for o in own]) <= spk.max_events - elsewhere)


def _reach(prob: Problem, own: list[int]) -> dict[int, int]:
    """For each option, the smallest gap in days after which every other option is reachable."""
    opts = prob.options
    reqs = np.array(sorted({opts[o].request for o in own}))
    far = prob.dist[np.ix_(reqs, reqs)].max(axis=1)
    gap_of = {int(r): int(f // prob.rules.max_km_per_day) + 1 for r, f in zip(reqs, far,
                                                                              strict=True)}
    return {o: gap_of[opts[o].request] for o in own}


def _flow(m, prob: Problem, own: list[int], x, route: Route, window: int | None,
          travel: bool) -> int:
    """One unit of flow from the first hub to the last through the speaker's chosen options."""
    opts = prob.options
    km = prob.rules.max_km_per_day
    reach = _reach(prob, own)
    days = prob.days
    by_day: dict[int, list[int]] = defaultdict(list)
    for o in own:
        by_day[opts[o].day].append(o)
    ins: dict[int, list] = defaultdict(list)
    outs: dict[int, list] = defaultdict(list)
    hub_in: dict[int, list] = defaultdict(list)
    hub_out: dict[int, list] = defaultdict(list)
    n = 0
    pos = {o: i for i, o in enumerate(own)}
    for o in own:
        oo = opts[o]
        jump = reach[o] if window is None else min(window + 1, reach[o])
        if window is None:
            jump = days + 1  # never through a hub: every later option gets a direct arc
        route.jump[o] = jump
        row = prob.dist_rows[oo.request]
        for o2 in own[pos[o] + 1:]:
            p = opts[o2]
            gap = p.day - oo.day
            if gap >= jump:
                break
            d_km = row[p.request]
            if gap == 0:
                ok = (prob.rules.max_events_per_day > 1 and p.request != oo.request
                      and prob.travel_ok(oo.request, oo.day, p.request, p.day))
            else:
                ok = d_km <= km * gap
            if ok:
                v = m.new_bool_var("")
                route.direct[(o, o2)] = v
                if travel:
                    route.cost[(o, o2)] = round(d_km * KM_SCALE)
                outs[o].append(v)
                ins[o2].append(v)
                n += 1
        target = min(oo.day + jump, days)
        v = m.new_bool_var("")
        route.to_hub[o] = (target, v)
        outs[o].append(v)
        hub_in[target].append(v)
        v = m.new_bool_var("")
        route.from_hub[o] = v
        ins[o].append(v)
        hub_out[oo.day].append(v)
        n += 2
    for t in range(days):
        v = m.new_bool_var("")
        route.chain[t] = v
        hub_out[t].append(v)
        hub_in[t + 1].append(v)
    for o in own:
        m.add(_sum(ins[o]) == x[o])
        m.add(_sum(outs[o]) == x[o])
    m.add(_sum(hub_out[0]) == 1)
    for t in range(1, days):
        m.add(_sum(hub_in[t]) == _sum(hub_out[t]))
    return n + days


def _far_cliques(m, prob: Problem, own: list[int], x, route: Route) -> None:
    """H4 for gaps the arcs do not cover.

    An option together with every option too far from it on one later day is a clique, because
    a speaker has at most one event a day. When most options of that day are too far, the same
    clique is written through the day's total instead: x + day - (the near ones) <= 1, which has
    the same LP strength and far fewer terms (with 650 km a day, most of a continent's venues are
    too far for the next day).
    """
    opts = prob.options
    km = prob.rules.max_km_per_day
    reach = _reach(prob, own)
    by_day: dict[int, list[int]] = defaultdict(list)
    for o in own:
        by_day[opts[o].day].append(o)
    totals: dict[int, cp_model.IntVar] = {}
    for d, here in by_day.items():
        reqs_here = np.array([opts[o].request for o in here])
        longest = max(reach[o] for o in here)
        for gap in range(1, longest):
            later = by_day.get(d + gap)
            if not later:
                continue
            reqs_later = np.array([opts[p].request for p in later])
            far = prob.dist[np.ix_(reqs_here, reqs_later)] > km * gap
            for i, o in enumerate(here):
                if gap < route.jump.get(o, 1) or not far[i].any():
                    continue
                n_far = int(far[i].sum())
                if n_far <= len(later) - n_far + 1:
                    m.add_at_most_one([x[o], *(x[later[j]] for j in np.flatnonzero(far[i]))])
                else:
                    if d + gap not in totals:
                        total = m.new_bool_var("")
                        m.add(total == _sum([x[p] for p in later]))
                        totals[d + gap] = total
                    near = [x[later[j]] for j in np.flatnonzero(~far[i])]
                    m.add(x[o] + totals[d + gap] - _sum(near) <= 1)


def _far_in_week(m, prob: Problem, s: int, own: list[int], x) -> None:
    """H10 for pairs: two events of one ISO week farther apart than the speaker's weekly km cap
    cannot both be kept, since the legs between them, all in that week, add up to at least the
    distance between them. A necessary condition only (``solve_keeping_weeks`` completes the
    rule), but it spares most of its rounds of cuts. With one event a day, an option and every
    option too far from it on one later day of its week are a clique."""
    opts = prob.options
    cap = prob.km_week_cap[s]
    by_day: dict[int, list[int]] = defaultdict(list)
    for o in own:
        by_day[opts[o].day].append(o)
    one_a_day = prob.rules.max_events_per_day == 1
    for d, here in by_day.items():
        reqs_here = np.array([opts[o].request for o in here])
        for later_day in prob.week_days(d):
            later = by_day.get(later_day)
            if later_day < d or not later or one_a_day and later_day == d:
                continue
            reqs_later = np.array([opts[p].request for p in later])
            far = prob.dist[np.ix_(reqs_here, reqs_later)] > cap + FAR_MARGIN_KM
            for i, o in enumerate(here):
                partners = [later[j] for j in np.flatnonzero(far[i])]
                if one_a_day and partners:
                    m.add_at_most_one([x[o], *(x[p] for p in partners)])
                else:
                    for p in partners:
                        if later_day > d or p > o:
                            m.add_bool_or([~x[o], ~x[p]])


def _pairwise_travel(m, prob: Problem, own: list[int], x) -> None:
    """H3 distance and H4 for every pair when a speaker may have several events a day: the path
    alone checks only consecutive events, and same-day detours can add up beyond the limit."""
    opts = prob.options
    reach = _reach(prob, own)
    for i, o in enumerate(own):
        oo = opts[o]
        for o2 in own[i + 1:]:
            p = opts[o2]
            if p.day - oo.day >= reach[o]:
                break
            if p.request != oo.request and not prob.travel_ok(oo.request, oo.day, p.request,
                                                                p.day):
                m.add_bool_or([~x[o], ~x[o2]])


def hint(b: Built, prob: Problem, chosen: list[int]) -> None:
    """A complete hint (every variable) for the schedule ``chosen``."""
    m = b.model
    m.clear_hints()
    on = set(chosen)
    for o, v in b.x.items():
        m.add_hint(v, o in on)
    opts = prob.options
    for s, route in enumerate(b.routes):
        if not route.chain:
            continue
        used = set()
        events = sorted((o for o in on if opts[o].speaker == s and o in route.jump),
                        key=prob.order_of)
        hub = 0
        prev = None
        for o in events:
            d = opts[o].day
            if prev is not None and (prev, o) in route.direct:
                used.add(route.direct[(prev, o)].index)
            else:
                if prev is not None:
                    hub, v = route.to_hub[prev]
                    used.add(v.index)
                for t in range(hub, d):
                    used.add(route.chain[t].index)
                used.add(route.from_hub[o].index)
            prev = o
        if prev is not None:
            hub, v = route.to_hub[prev]
            used.add(v.index)
        for t in range(hub, prob.days):
            used.add(route.chain[t].index)
        for v in (*route.direct.values(), *(v for _, v in route.to_hub.values()),
                  *route.from_hub.values(), *route.chain.values()):
            m.add_hint(v, v.index in used)

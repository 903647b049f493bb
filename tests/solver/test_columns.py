"""The column-generation bound and its pricing problem: one speaker's best route is exactly the
best schedule (brute force), the bound is never below the best schedule of the whole tour, and
it is tighter than the LP relaxation where travel and weekly rules interact."""

import itertools
import json
from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from scheduler.solver import parse_instance, solve
from scheduler.solver.columns import column_bound, week_km
from scheduler.solver.greedy import usable_options
from scheduler.solver.pricing import SpeakerRoutes
from scheduler.solver.problem import Problem
from scheduler.solver.relaxation import relaxation_bound
from scheduler.solver.rules import pinned_conflicts
from tests.solver.builders import _valid, brute_force_weight, day, instance, request, speaker
from tests.solver.test_drivable import weekly
from tests.solver.test_properties import tours

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def one_speaker_tours(draw):
    """One speaker, one event a day, each request on a single date (so a route cannot hold a
    request twice), with travel, weekly and consecutive-day rules that bind."""
    n = draw(st.integers(1, 9))
    requests = [request(f"rq-{i}", [day(draw(st.integers(0, 13)))],
                        km=draw(st.sampled_from([0, 60, 300, 640, 700, 1300, 2000])))
                for i in range(n)]
    rules = {"max_km_per_day": draw(st.sampled_from([300, 650, 1000])),
             "max_events_per_week": draw(st.integers(1, 7)),
             "max_consecutive_days": draw(st.integers(1, 5))}
    return instance(requests, [speaker("sp-1")], days=14, **rules)


def _route(data: dict) -> tuple[Problem, SpeakerRoutes]:
    prob = Problem(parse_instance(data))
    own = sorted(prob.by_speaker[0], key=lambda o: prob.options[o].day)
    return prob, SpeakerRoutes(prob, 0, own)


def _brute_force_route(data: dict, prob: Problem, profit: dict[int, float],
                       km_price: dict | None = None) -> float:
    """The best total profit, less ``km_price`` per km inside each week, over every subset of
    the speaker's options that keeps the rules (each request at most once)."""
    spk = data["speakers"][0]
    reqs = {r["id"]: r for r in data["requests"]}
    best = 0.0
    options = list(profit)
    for size in range(1, len(options) + 1):
        for subset in itertools.combinations(options, size):
            if len({prob.options[o].request for o in subset}) < size:
                continue
            plan = [(reqs[prob.inst.requests[prob.options[o].request].id], spk,
                     date.fromisoformat(prob.date_of(prob.options[o].day).isoformat()))
                    for o in subset]
            if _valid(data, plan):
                best = max(best, sum(profit[o] for o in subset)
                           - _km_cost(prob, list(subset), km_price or {}))
    return best


def _km_cost(prob: Problem, schedule: list[int], km_price: dict) -> float:
    return sum(km_price.get(week, 0.0) * km for week, km in week_km(prob, schedule).items())


@SETTINGS
@given(one_speaker_tours(), st.data())
def test_route_is_the_best_schedule_of_one_speaker(data, draw):
    prob, route = _route(data)
    values = draw.draw(st.lists(st.sampled_from([-1.5, -0.25, 0.5, 1.0, 2.75, 4.0]),
                                min_size=len(route.options), max_size=len(route.options)))
    profit = dict(zip(route.options.tolist(), values, strict=True))
    value, chosen = route.best(np.array(values))
    assert value == sum(profit[o] for o in chosen)
    assert abs(value - _brute_force_route(data, prob, profit)) < 1e-9


@st.composite
def one_speaker_tours_over_weeks(draw):
    """One speaker over three weeks, requests on one to three dates far apart, so that the best
    earlier schedules beyond the travel reach stand in for whole weeks."""
    n = draw(st.integers(1, 4))
    requests = [request(f"rq-{i}", sorted({day(d) for d in draw(st.lists(st.integers(0, 20),
                                                                         min_size=1, max_size=3))}),
                        km=draw(st.sampled_from([0, 300, 700, 2000])))
                for i in range(n)]
    return instance(requests, [speaker("sp-1")], days=21, max_events_per_week=2,
                    max_consecutive_days=2)


@SETTINGS
@given(one_speaker_tours_over_weeks(), st.data())
def test_route_is_never_worth_less_than_the_best_real_schedule(data, draw):
    # a route may hold a request twice (not in a row): the bound it gives may only be higher
    prob, route = _route(data)
    values = draw.draw(st.lists(st.sampled_from([-1.0, 0.0, 0.5, 2.0, 3.5]),
                                min_size=len(route.options), max_size=len(route.options)))
    profit = dict(zip(route.options.tolist(), values, strict=True))
    value, chosen = route.best(np.array(values))
    assert value == sum(profit[o] for o in chosen)
    assert value >= _brute_force_route(data, prob, profit) - 1e-9


@SETTINGS
@given(one_speaker_tours_over_weeks(), st.data())
def test_route_priced_by_the_km_is_never_worth_less_than_the_best_real_schedule(data, draw):
    data["speakers"][0]["max_km_per_week"] = draw.draw(st.sampled_from([300, 1000]))
    prob, route = _route(data)
    values = draw.draw(st.lists(st.sampled_from([0.5, 2.0, 3.5]),
                                min_size=len(route.options), max_size=len(route.options)))
    km_price = {prob.week_of(d): draw.draw(st.sampled_from([0.0, 0.001, 0.004]))
                for d in range(0, 21, 7)}
    profit = dict(zip(route.options.tolist(), values, strict=True))
    value, chosen = route.best(np.array(values), km_price)
    # each leg is charged its km rounded down: never more than it drives, at most a km less
    charged = sum(profit[o] for o in chosen) - _km_cost(prob, chosen, km_price)
    assert charged - 1e-9 <= value <= charged + len(chosen) * max(km_price.values()) + 1e-9
    assert value >= _brute_force_route(data, prob, profit, km_price) - 1e-9


def test_route_leaves_out_events_that_cost_more_than_they_bring():
    # three events on days 1-3 and a weekly limit of 2: the negative one in the middle is skipped
    data = instance([request("a", [day(1)]), request("b", [day(2)]), request("c", [day(3)])],
                    max_events_per_week=2)
    _, route = _route(data)
    value, chosen = route.best(np.array([2.0, -1.0, 3.0]))
    assert value == 5.0
    assert [route.options.tolist().index(o) for o in chosen] == [0, 2]


def test_route_holds_no_event_that_brings_nothing():
    # a request priced at its priority leaves a profit of zero give or take rounding: such an
    # event would only pad the route and the options searched after the bound
    data = instance([request("a", [day(1)]), request("b", [day(2)]), request("c", [day(3)])])
    _, route = _route(data)
    value, chosen = route.best(np.array([2.0, 1e-9, 3.0]))
    assert value == 5.0
    assert [route.options.tolist().index(o) for o in chosen] == [0, 2]


def test_route_pays_for_the_km_it_drives_inside_a_week():
    # Monday at home, Wednesday 600 km north, Saturday home again: at 0.003 a km, the two talks
    # at home beat every route through Wednesday, the weightiest talk
    data = weekly(max_km_per_week=1000)
    prob, route = _route(data)
    assert route.best(np.array([1.0, 2.0, 1.5]))[0] == 4.5
    value, chosen = route.best(np.array([1.0, 2.0, 1.5]), {prob.week_of(0): 0.003})
    assert value == 2.5
    assert [route.options.tolist().index(o) for o in chosen] == [0, 2]


def _columns(data: dict, seconds: float = 20) -> int | None:
    inst = parse_instance(data)
    prob = Problem(inst)
    allowed = usable_options(prob)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in inst.pinned}
    return column_bound(prob, allowed, pinned, seconds).bound


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tours(max_requests=4, max_speakers=2, days=8, max_dates=2))
def test_column_bound_is_never_below_the_brute_force_optimum(data):
    data["rules"]["max_events_per_day"] = 1  # the routes are for one event a day
    if pinned_conflicts(Problem(parse_instance(data))):
        return  # no schedule at all: nothing to bound
    trivial = sum(r.get("priority", 1) for r in data["requests"])
    bound = _columns(data)
    assert bound is not None
    assert brute_force_weight(data) <= bound <= trivial


def test_column_bound_keeps_each_weeks_driving_under_its_cap_on_average():
    # the one route through all three talks drives 1,200 km in the week: each leg is under the
    # 1,000 km cap, so the pricing allows it, but the master mixes it with lighter routes
    assert _columns(weekly()) == 4
    assert _columns(weekly(max_km_per_week=1000)) == 3  # the optimum


def test_column_bound_proves_the_small_benchmark_optimal_where_the_lp_cannot():
    data = json.loads(json.dumps(generate("small", 1)))
    inst = parse_instance(data)
    prob = Problem(inst)
    allowed = usable_options(prob)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in inst.pinned}
    lp = relaxation_bound(prob, allowed, pinned, time_limit=20).bound
    columns = _columns(data)
    solution = solve(inst, time_limit=20, workers=1).to_dict()
    assert solution["objective"]["served_weight"] == columns == 46
    assert lp > columns
    assert solution["status"] == "OPTIMAL"
    assert solution["bound"]["served_weight"] == 46


def test_column_bound_reports_the_options_of_its_routes_as_they_grow():
    """What the neighbourhood search keeps to before the columns converge: every report holds
    the one before it, and the last one what the converged columns hold at most."""
    prob = Problem(parse_instance(json.loads(json.dumps(generate("medium", 1)))))
    allowed = usable_options(prob)
    reports: list[frozenset[int]] = []
    result = column_bound(prob, allowed, set(), 60, on_routes=reports.append, routes_every=0.2)
    assert result.converged and len(reports) >= 2
    for earlier, later in itertools.pairwise([*reports, result.options]):
        assert earlier <= later
    assert result.options < set(allowed)  # the routes leave options out: that is their worth

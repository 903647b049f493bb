"""The neighbourhood search re-plans stretches of days with the rest of the schedule fixed: every
schedule it hands back keeps every rule at the stretch's edges (travel, ISO weeks, days in a row,
events elsewhere counting towards ``max_events``), and it never serves less than it was given."""

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

from scheduler.solver import neighbourhoods, parse_instance
from scheduler.solver.checker import check_solution, compute_objective
from scheduler.solver.greedy import chosen_of, greedy, usable_options
from scheduler.solver.model import build, solve_keeping_weeks
from scheduler.solver.neighbourhoods import Neighbourhoods
from scheduler.solver.problem import Problem
from scheduler.solver.rules import pinned_conflicts
from tests.solver.builders import day, instance, request, speaker
from tests.solver.test_properties import tours


def _check(data: dict, prob: Problem, chosen: list[int]) -> list:
    """The independent checker's verdict on a schedule given as options."""
    inst = prob.inst
    served = {prob.options[o].request for o in chosen}
    assignments = [{"request": inst.requests[prob.options[o].request].id,
                    "speaker": inst.speakers[prob.options[o].speaker].id,
                    "date": prob.date_of(prob.options[o].day).isoformat()} for o in chosen]
    objective = compute_objective(data, assignments)
    return check_solution(data, {
        "format": "speaker-tour-solution/2", "status": "FEASIBLE", "assignments": assignments,
        "unassigned": [{"request": r.id, "reason": "not served"}
                       for i, r in enumerate(inst.requests) if i not in served],
        "objective": objective, "bound": {"served_weight": objective["served_weight"]},
        "wall_seconds": 1.0})


def _search(data: dict, steps: int = 12) -> tuple[Problem, list[int], list[list[int]], int]:
    """Run the search with tiny neighbourhoods (a few options each); return the problem, the
    final schedule, every improvement on the way and the greedy weight it started from."""
    inst = parse_instance(data)
    prob = Problem(inst)
    allowed = usable_options(prob)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in inst.pinned}
    start = chosen_of(prob, greedy(prob, set(allowed)))
    seen: list[list[int]] = []
    calls = iter(range(steps))
    with patch.object(neighbourhoods, "FREE_OPTIONS", 3), \
            patch.object(neighbourhoods, "MIN_FREE", 2), \
            patch.object(neighbourhoods, "MAX_FREE", 5):
        search = Neighbourhoods(prob, allowed, pinned, seed=3)
        final, _ = search.search(start, 60.0, workers=lambda: 1, deterministic=False,
                                 dtime_per_second=0.2,
                                 stop=lambda: next(calls, None) is None,
                                 bound=lambda: 10**9, improved=seen.append)
    weight = sum(inst.requests[prob.options[o].request].priority for o in start)
    return prob, final, seen, weight


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tours(max_requests=14, max_speakers=3, days=21, max_dates=3))
def test_every_schedule_of_small_neighbourhoods_keeps_every_rule(data):
    if pinned_conflicts(Problem(parse_instance(data))):
        return
    prob, final, seen, start_weight = _search(data)
    for chosen in [*seen, final]:
        assert _check(data, prob, chosen) == []
    final_weight = sum(prob.inst.requests[prob.options[o].request].priority for o in final)
    assert final_weight >= start_weight


def test_events_outside_the_stretch_count_towards_max_events():
    # one event every ten days, far apart in time: a stretch sees one or two of them, and only
    # the count of the others keeps the speaker at three events
    data = instance([request(f"rq-{d}", [day(d)], priority=1 + d % 3) for d in range(0, 80, 10)],
                    [speaker("sp-1", max_events=3)], days=84)
    prob, final, seen, _ = _search(data, steps=30)
    for chosen in [*seen, final]:
        assert _check(data, prob, chosen) == []
        assert len(chosen) <= 3


def _whole_search(data: dict, keep) -> tuple[Problem, list[int], bool]:
    """One search over the options ``keep`` picks (complete when it picks them all)."""
    prob = Problem(parse_instance(data))
    allowed = usable_options(prob)
    options = [o for o in allowed if keep(prob, o)]
    search = Neighbourhoods(prob, options, set(), seed=1, complete=options == allowed)
    return prob, *search.search([], 10.0, workers=lambda: 1, deterministic=False,
                                dtime_per_second=0.2, stop=lambda: False,
                                bound=lambda: 10**9, improved=lambda better: None)


def test_a_search_over_some_options_only_proves_nothing():
    # the routes' options may leave out the best one: the best schedule over them is no proof
    data = instance([request("rq-1", [day(3)], priority=3), request("rq-2", [day(5)])],
                    [speaker("sp-1", max_events=1)])
    prob, chosen, proven = _whole_search(data, lambda prob, o: True)
    assert proven and [prob.inst.requests[prob.options[o].request].id for o in chosen] == ["rq-1"]
    prob, chosen, proven = _whole_search(
        data, lambda prob, o: prob.inst.requests[prob.options[o].request].id == "rq-2")
    assert not proven
    assert [prob.inst.requests[prob.options[o].request].id for o in chosen] == ["rq-2"]


def _first_answer(data: dict, **build_args) -> tuple[Problem, set[str], object]:
    """CP-SAT's first answer on the model of every option, before any round of H10 cuts: the
    requests it serves."""
    prob = Problem(parse_instance(data))
    built = build(prob, usable_options(prob), set(), window=0, **build_args)
    built.model.maximize(built.weight)
    solver = cp_model.CpSolver()
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return prob, {prob.inst.requests[prob.options[o].request].id
                  for o, var in built.x.items() if solver.boolean_value(var)}, built


def test_two_talks_of_one_week_farther_apart_than_its_cap_are_never_both_in_a_step():
    # Monday at home, Thursday 1,200 km north, against a cap of 1,000 km a week: the legs
    # between them come to at least 1,200 km whatever else the week holds
    data = instance([request("rq-mon", [day(0)], km=0),
                     request("rq-thu", [day(3)], km=1200, priority=2),
                     request("rq-next-wed", [day(9)], km=0)], max_km_per_week=1000)
    _, served, _ = _first_answer(data)
    assert served == {"rq-mon", "rq-thu", "rq-next-wed"}  # the cuts' business, round by round
    _, served, _ = _first_answer(data, week_pairs=True)
    # Thursday and the next Wednesday are as far apart, but in two weeks
    assert served == {"rq-thu", "rq-next-wed"}


def test_a_set_of_talks_over_the_weekly_cap_found_once_is_forbidden_in_later_models():
    # home, 600 km north, home: no two talks too far apart, 1,200 km in all against 1,000
    data = instance([request("rq-mon", [day(0)], km=0),
                     request("rq-wed", [day(2)], km=600, priority=2),
                     request("rq-sat", [day(5)], km=0)], max_km_per_week=1000)
    prob, served, built = _first_answer(data, week_pairs=True)
    assert len(served) == 3
    solver = cp_model.CpSolver()
    _, chosen, _ = solve_keeping_weeks(prob, built, solver)
    assert len(chosen) == 2
    assert built.cuts == [frozenset(built.x)]  # the three talks together
    _, served, _ = _first_answer(data, cuts=built.cuts)
    assert len(served) == 2 and "rq-wed" in served

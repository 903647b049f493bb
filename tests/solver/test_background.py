"""The column bound in a process of its own: it proves what the same column generation proves in
the solver's own process, and stopping it leaves nothing running."""

import functools
import json
import time

from bench.generate import generate
from scheduler.solver import parse_instance, search, solve
from scheduler.solver.background import BackgroundBound
from scheduler.solver.checker import check_solution
from scheduler.solver.greedy import chosen_of, greedy, usable_options
from scheduler.solver.problem import Problem


def _start(size: str, seconds: float) -> BackgroundBound:
    prob = Problem(parse_instance(json.loads(json.dumps(generate(size, 1)))))
    allowed = usable_options(prob)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in prob.inst.pinned}
    start = chosen_of(prob, greedy(prob, set(allowed)))
    return BackgroundBound(prob, allowed, pinned, seconds, start)


def _record_searches(monkeypatch) -> list[tuple[int, bool]]:
    """Every neighbourhood search ``solve`` starts, as (options, complete), in order."""
    searches: list[tuple[int, bool]] = []

    class Recorded(search.Neighbourhoods):
        def __init__(self, prob, allowed, pinned, seed, complete=True, **options):
            searches.append((len(allowed), complete))
            super().__init__(prob, allowed, pinned, seed, complete, **options)

    monkeypatch.setattr(search, "Neighbourhoods", Recorded)
    return searches


def test_background_bound_proves_the_small_benchmark_optimum():
    bounds: list[int] = []
    background = _start("small", 60)
    deadline = time.monotonic() + 60
    while not background.finished and time.monotonic() < deadline:
        background.poll(bounds.append)
        time.sleep(0.05)
    result = background.finish(bounds.append, wait=60)
    assert result is not None and result.converged
    assert result.bound == bounds[-1] == 46  # the optimum; the LP relaxation says 53
    assert bounds == sorted(bounds, reverse=True)


def test_finishing_with_no_time_left_stops_the_process_at_once():
    background = _start("medium", 600)
    time.sleep(1.0)
    background.finish(lambda bound: None, wait=0.0)
    assert not background._process.is_alive()


def test_solve_with_the_bound_in_a_process_gets_the_column_bound(monkeypatch):
    monkeypatch.setattr(search, "PROCESS_OPTIONS", 0)
    inst = parse_instance(json.loads(json.dumps(generate("medium", 1))))
    progress = []
    solution = solve(inst, time_limit=60, workers=2, on_progress=progress.append).to_dict()
    # the columns' 258, reported while the search ran; the LP relaxation proves only 263
    assert solution["bound"]["served_weight"] == 258
    assert any(p.phase == "bound" and p.bound == 258 for p in progress)


def test_the_bound_goes_on_improving_through_the_later_phases(monkeypatch):
    """Phase 1 ends before the columns have even started (a process takes about a second):
    their bound still reaches the solution."""
    monkeypatch.setattr(search, "PROCESS_OPTIONS", 0)
    monkeypatch.setitem(search.SHARE, "weight", 0.01)
    inst = parse_instance(json.loads(json.dumps(generate("medium", 1))))
    solution = solve(inst, time_limit=30, workers=2).to_dict()
    assert solution["bound"]["served_weight"] == 258  # the LP relaxation's is 263


def test_once_the_columns_converge_the_search_goes_on_over_their_routes(monkeypatch):
    """On a big tour (here any tour: ``ROUTES_MODEL_OPTIONS`` 0) the search, once the columns
    have converged, keeps to the options of their routes, and proves nothing by itself there."""
    searches = _record_searches(monkeypatch)
    monkeypatch.setattr(search, "ROUTES_MODEL_OPTIONS", 0)
    data = json.loads(json.dumps(generate("medium", 1)))
    solution = solve(parse_instance(data), time_limit=60, workers=2).to_dict()
    (every, complete), (routes, partial) = searches
    assert complete and not partial and routes < every
    assert check_solution(data, solution) == []
    assert solution["status"] == "FEASIBLE" and solution["bound"]["served_weight"] == 258


def test_before_the_columns_converge_the_search_keeps_to_the_routes_reported(monkeypatch):
    """The process reports the options of its routes as they grow (here every 0.1 s); the search
    goes on over the latest of them. The large tour, whose columns take far longer than this
    solve to converge (medium's converge in under two seconds, before a report can matter)."""
    searches = _record_searches(monkeypatch)
    monkeypatch.setattr(search, "PROCESS_OPTIONS", 0)
    monkeypatch.setattr(search, "BackgroundBound",
                        functools.partial(BackgroundBound, routes_every=0.1))
    data = json.loads(json.dumps(generate("large", 1)))
    solution = solve(parse_instance(data), time_limit=20, workers=2).to_dict()
    every, complete = searches[0]
    assert complete and len(searches) >= 2
    assert all(not partial and size < every for size, partial in searches[1:])
    assert check_solution(data, solution) == []


def test_on_a_tour_too_big_for_the_early_routes_the_search_keeps_to_every_option(monkeypatch):
    """The same, on a tour over ``ROUTES_SEARCH_OPTIONS`` (here any tour): the routes reported
    before the columns converge would leave out too many good options, so one search over
    every option runs on."""
    searches = _record_searches(monkeypatch)
    monkeypatch.setattr(search, "PROCESS_OPTIONS", 0)
    monkeypatch.setattr(search, "ROUTES_SEARCH_OPTIONS", 0)
    monkeypatch.setattr(search, "BackgroundBound",
                        functools.partial(BackgroundBound, routes_every=0.1))
    data = json.loads(json.dumps(generate("large", 1)))
    solution = solve(parse_instance(data), time_limit=20, workers=2).to_dict()
    (every, complete), = searches
    assert complete and every == len(usable_options(Problem(parse_instance(data))))
    assert check_solution(data, solution) == []

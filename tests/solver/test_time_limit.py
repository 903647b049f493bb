"""The time limit runs from the call of ``solve``, and every phase keeps to what is left of it:
a phase that cannot be cut short is not started when it does not fit, and the answer is then the
best schedule so far, checked valid, with the bound known so far. The clock is the test's own,
so nothing here depends on the machine's speed."""

import random

import pytest
from ortools.sat.python import cp_model

from scheduler.solver import Progress, parse_instance, search, solve
from scheduler.solver.checker import check_solution
from scheduler.solver.greedy import chosen_of, greedy, usable_options
from scheduler.solver.problem import Problem
from tests.solver.builders import day, instance, request, speaker


def crowded_tour() -> dict:
    """More requests than two speakers can give, so that no schedule is proven at once."""
    rng = random.Random(23)
    requests = [
        request(f"rq-{i}", [day(d) for d in rng.sample(range(21), rng.randint(1, 3))],
                km=rng.choice([0, 200, 500, 900, 1500]), priority=rng.randint(1, 5))
        for i in range(40)
    ]
    return instance(requests, [speaker("sp-0"), speaker("sp-1")], days=21)


class Clock:
    """Reads ``start`` once (the call of ``solve``), then ``later`` every time after."""

    def __init__(self, start: float, later: float):
        self.readings = [start]
        self.later = later

    def __call__(self) -> float:
        return self.readings.pop() if self.readings else self.later


def test_past_the_deadline_the_answer_is_the_greedy_schedule_and_the_trivial_bound(monkeypatch):
    def no_cp_sat(*args, **kwargs):
        raise AssertionError("CP-SAT was started after the deadline")

    monkeypatch.setattr(cp_model.CpSolver, "solve", no_cp_sat)
    data = crowded_tour()
    inst = parse_instance(data)
    progress: list[Progress] = []
    solution = solve(inst, time_limit=60, workers=2, clock=Clock(100.0, 161.0),
                     on_progress=progress.append).to_dict()

    prob = Problem(inst)
    allowed = usable_options(prob)
    first = chosen_of(prob, greedy(prob, set(allowed)))
    assert check_solution(data, solution) == []
    assert solution["status"] == "FEASIBLE"
    assert [p.phase for p in progress] == ["greedy", "done"]
    assert len(solution["assignments"]) == len(first)
    servable = {prob.options[o].request for o in allowed}
    trivial = sum(inst.requests[r].priority for r in servable)
    assert solution["bound"]["served_weight"] == trivial > solution["objective"]["served_weight"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_model_whose_building_does_not_fit_the_time_left_is_not_built(monkeypatch, workers):
    """Phase 2's model of a big tour takes seconds to build and cannot be stopped half-way; here
    every estimate is too long, so the phase is left out and the travel phase still runs."""
    phases: list[str] = []
    real_phase = search._phase

    def recorded(run, built, phase, *args, **kwargs):
        phases.append(phase)
        return real_phase(run, built, phase, *args, **kwargs)

    monkeypatch.setattr(search, "_phase", recorded)
    monkeypatch.setattr(search, "SECONDS_PER_MODEL_OPTION", 1e6)
    data = crowded_tour()
    solution = solve(parse_instance(data), time_limit=5, workers=workers).to_dict()
    assert check_solution(data, solution) == []
    assert solution["objective"]["preference_penalty"] > 0  # else phase 2 had nothing to do
    assert "penalty" not in phases and "travel" in phases

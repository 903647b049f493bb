"""The LP relaxation's bound: never below the best schedule (brute force on tiny tours), never
above the sum over servable requests, and tight where the rules it keeps are what binds."""

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.solver import parse_instance, relaxation, solve
from scheduler.solver.greedy import usable_options
from scheduler.solver.problem import Problem
from scheduler.solver.relaxation import relaxation_bound
from scheduler.solver.rules import pinned_conflicts
from tests.solver.builders import brute_force_weight, day, instance, request, speaker
from tests.solver.test_properties import tours

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _relaxed(data: dict) -> tuple[int | None, int]:
    """(relaxation bound, sum of the priorities of the requests that have a usable option)."""
    inst = parse_instance(data)
    prob = Problem(inst)
    allowed = usable_options(prob)
    pinned = {prob.lookup[(prob.req_index[p.request], prob.spk_index[p.speaker],
                           (p.date - prob.start).days)] for p in inst.pinned}
    trivial = sum(inst.requests[r].priority for r in {prob.options[o].request for o in allowed})
    return relaxation_bound(prob, allowed, pinned, time_limit=10).bound, trivial


@SETTINGS
@given(tours(max_requests=4, max_speakers=2, days=8, max_dates=2), st.sampled_from([0, 1, 2]))
def test_relaxation_bound_is_never_below_the_brute_force_optimum(data, window):
    """Every path window (none: travel only as next-day cliques) must keep the bound valid."""
    if pinned_conflicts(Problem(parse_instance(data))):
        return  # no schedule at all: nothing to bound
    with patch.object(relaxation, "WINDOWS", (window,)):
        bound, trivial = _relaxed(data)
    assert bound is not None
    assert brute_force_weight(data) <= bound <= trivial


@SETTINGS
@given(tours(max_requests=12, max_speakers=3, days=14, max_dates=4))
def test_reported_bound_is_never_below_the_served_weight(data):
    solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    if solution["status"] != "INFEASIBLE":
        bound, trivial = _relaxed(data)
        assert solution["objective"]["served_weight"] <= solution["bound"]["served_weight"]
        assert solution["bound"]["served_weight"] <= min(bound, trivial)


def test_relaxation_bound_counts_the_weekly_limit():
    # ten requests all on the same week, one speaker who may speak at most twice that week
    data = instance([request(f"rq-{i}", [day(i % 5)], priority=1) for i in range(10)],
                    max_events_per_week=2, max_events_per_day=3)
    assert _relaxed(data) == (2, 10)


def test_relaxation_bound_counts_consecutive_days():
    # one event offered on each of six days in a row: at most four in a row may be worked
    data = instance([request(f"rq-{i}", [day(i)]) for i in range(6)],
                    max_consecutive_days=4, max_events_per_week=7)
    bound, _ = _relaxed(data)
    assert bound == 5  # days 0-3 and 5: four in a row, a rest, one more


def test_relaxation_bound_sees_a_next_day_too_far_to_reach():
    # the next day's venue is 2000 km away and the speaker may travel 650 km a day (the home
    # rule is off: from home, the far venue could not be reached at all)
    data = instance([request("near", [day(0)], priority=3),
                     request("far", [day(1)], km=2000, priority=2)],
                    speakers=[speaker("sp-1")], travel_from_home=False)
    for window in (0, 1, 2):
        with patch.object(relaxation, "WINDOWS", (window,)):
            assert _relaxed(data) == (3, 5)


def test_relaxation_bound_sees_a_venue_more_than_two_days_of_travel_away():
    # 1500 km is more than two days of 650 km: the path with a two-day window forbids the pair
    data = instance([request("near", [day(0)], priority=3),
                     request("far", [day(2)], km=1500, priority=2)],
                    speakers=[speaker("sp-1")])
    with patch.object(relaxation, "WINDOWS", (2,)):
        assert _relaxed(data) == (3, 5)

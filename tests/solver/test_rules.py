"""One test per hard rule H1-H8: in each instance the rule is the only thing that stops a
better-looking answer (more weight, a better rank, a preferred speaker), and the solver keeps it."""

from scheduler.solver import PINNED_CONFLICT, parse_instance, solve
from scheduler.solver.checker import check_solution
from tests.solver.builders import day, instance, request, speaker


def solved(data: dict) -> dict:
    solution = solve(parse_instance(data), time_limit=10, workers=1).to_dict()
    assert check_solution(data, solution) == []
    return solution


def placed(solution: dict) -> dict[str, tuple[str, str]]:
    return {a["request"]: (a["speaker"], a["date"]) for a in solution["assignments"]}


def reasons(solution: dict) -> dict[str, str]:
    return {u["request"]: u["reason"] for u in solution["unassigned"]}


def test_h1_a_first_choice_outside_the_tour_is_never_used():
    data = instance([request("rq-1", [day(40), day(3)])], days=28)
    solution = solved(data)
    assert placed(solution) == {"rq-1": ("sp-1", day(3))}
    assert solution["objective"]["preference_penalty"] == 1


def test_h2_unavailable_day_and_language_override_rank_and_preference():
    data = instance(
        [request("rq-1", [day(2), day(5)]),
         request("rq-2", [day(9)], language="ko", preferred_speakers=["sp-1"])],
        [speaker("sp-1", unavailable=[day(2)]), speaker("sp-2", languages=["ko"])],
    )
    solution = solved(data)
    assert placed(solution) == {"rq-1": ("sp-1", day(5)), "rq-2": ("sp-2", day(9))}


def test_h3_one_event_a_day_keeps_the_higher_priority_request():
    data = instance([request("rq-low", [day(2)], priority=1),
                     request("rq-high", [day(2)], km=10, priority=3)])
    solution = solved(data)
    assert placed(solution) == {"rq-high": ("sp-1", day(2))}
    assert "H3" in reasons(solution)["rq-low"]


def test_h3_two_events_a_day_only_when_within_100_km():
    # 12:00 to 13:30, then 45 min and at most 3 h of driving: 19:00 fits the clock either way
    near = instance([request("rq-1", [day(2)], start_time="12:00"),
                     request("rq-2", [day(2)], km=90)],
                    max_events_per_day=2)
    assert len(solved(near)["assignments"]) == 2
    far = instance([request("rq-1", [day(2)], start_time="12:00"),
                    request("rq-2", [day(2)], km=150, priority=2)],
                   max_events_per_day=2)
    solution = solved(far)
    assert placed(solution) == {"rq-2": ("sp-1", day(2))}
    assert "100 km" in reasons(solution)["rq-1"]


def test_h4_travel_limit_between_days():
    too_far = instance([request("rq-1", [day(2)], priority=2),
                        request("rq-2", [day(3)], km=700)])
    solution = solved(too_far)
    assert placed(solution) == {"rq-1": ("sp-1", day(2))}
    assert "H4" in reasons(solution)["rq-2"]
    two_days = instance([request("rq-1", [day(2)]), request("rq-2", [day(4)], km=700)])
    assert len(solved(two_days)["assignments"]) == 2


def test_h4_checks_every_pair_not_only_consecutive_events():
    # two events a day: a -> b (same day, 90 km) -> c (next day, 640 km from b) would pass a
    # consecutive-only check, but a and c are 730 km apart on consecutive days
    data = instance([request("a", [day(2)], km=0, start_time="12:00"),
                     request("b", [day(2)], km=90, start_time="19:00"),
                     request("c", [day(3)], km=730)],
                    max_events_per_day=2)
    solution = solved(data)
    assert len(solution["assignments"]) == 2
    assert not {"a", "c"} <= set(placed(solution))


def test_h5_iso_week_limit_counts_monday_to_sunday():
    same_week = instance([request(f"rq-{i}", [day(i * 2)], km=i) for i in range(3)],
                         max_events_per_week=2)
    solution = solved(same_week)
    assert len(solution["assignments"]) == 2
    assert "H5" in reasons(solution)[solution["unassigned"][0]["request"]]
    # Sunday day(6) and Monday day(7) are in different ISO weeks
    across = instance([request("rq-sun", [day(6)]), request("rq-mon", [day(7)], km=5)],
                      max_events_per_week=1)
    assert len(solved(across)["assignments"]) == 2


def test_h6_consecutive_days_limit():
    data = instance([request(f"rq-{i}", [day(i)], km=i) for i in range(3)],
                    max_consecutive_days=2)
    solution = solved(data)
    assert len(solution["assignments"]) == 2
    assert "H6" in reasons(solution)[solution["unassigned"][0]["request"]]


def test_h7_max_events_of_a_speaker():
    data = instance([request("rq-1", [day(1)]), request("rq-2", [day(8)]),
                     request("rq-3", [day(15)], priority=2)],
                    [speaker("sp-1", max_events=2)])
    solution = solved(data)
    assert len(solution["assignments"]) == 2 and "rq-3" in placed(solution)
    assert "H7" in reasons(solution)[solution["unassigned"][0]["request"]]


def test_h8_pinned_assignment_kept_even_when_it_costs_weight():
    data = instance([request("rq-low", [day(2)]), request("rq-high", [day(2)], priority=5)],
                    pinned=[{"request": "rq-low", "speaker": "sp-1", "date": day(2)}])
    solution = solved(data)
    assert placed(solution) == {"rq-low": ("sp-1", day(2))}
    assert "rq-low" in reasons(solution)["rq-high"]


def test_contradicting_pins_are_infeasible_and_named_with_the_rule():
    data = instance([request("rq-1", [day(2)]), request("rq-2", [day(3)], km=900)],
                    pinned=[{"request": "rq-1", "speaker": "sp-1", "date": day(2)},
                            {"request": "rq-2", "speaker": "sp-1", "date": day(3)}])
    solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    assert solution["status"] == "INFEASIBLE"
    assert solution["assignments"] == []
    assert "conflicts" not in solution  # the format's keys only: the reasons carry it
    reasons = {u["request"]: u["reason"] for u in solution["unassigned"]}
    for pinned in ("rq-1", "rq-2"):
        assert reasons[pinned].startswith(PINNED_CONFLICT)
        assert "900 km away (at most 650 km in 1 day) (driving between days (H4))" in \
            reasons[pinned]
        assert "Chapter rq-1" in reasons[pinned] and "Chapter rq-2" in reasons[pinned]

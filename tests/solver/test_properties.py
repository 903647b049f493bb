"""Random small speaker-tour/2 tours (home, the clock, weekly km, personal pace): the independent
checker accepts every solution, the bound is never below the served weight, and on tiny tours
the served weight equals a brute-force optimum written from the format's text."""

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.solver import PINNED_CONFLICT, parse_instance, search, solve
from scheduler.solver.checker import check_solution
from tests.solver.builders import at, brute_force_weight, day, instance, request, speaker

# a speaker's own pace: key -> values drawn (None: no cap)
PERSONAL = {"max_events_per_week": [1, 2, None], "max_consecutive_days": [1, 2, None],
            "max_km_per_week": [50, 1000, None]}
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tours(draw, max_requests: int, max_speakers: int, days: int, max_dates: int,
          allow_pins: bool = True):
    n_speakers = draw(st.integers(1, max_speakers))
    speakers = []
    for i in range(n_speakers):
        own = {}
        for key, values in PERSONAL.items():
            if draw(st.booleans()):
                own[key] = draw(st.sampled_from(values))
        if (m := draw(st.none() | st.integers(0, 4))) is not None:
            own["max_events"] = m
        speakers.append(speaker(
            f"sp-{i}", home=at(draw(st.sampled_from([0, -400, 900]))),
            languages=draw(st.sampled_from([["en"], ["en", "ko"], ["ko"]])),
            unavailable=sorted(draw(st.sets(st.sampled_from([day(d) for d in range(days)]),
                                            max_size=2))),
            **own))
    requests = []
    for i in range(draw(st.integers(min(3, max_requests), max_requests))):
        dates = draw(st.lists(st.integers(-1, days), min_size=1, max_size=max_dates,
                              unique=True))
        req = request(
            f"rq-{i}", [day(d) for d in dates],
            km=draw(st.sampled_from([0, 30, 60, 95, 300, 640, 700, 1300, 2000])),
            priority=draw(st.integers(1, 5)),
            language=draw(st.sampled_from(["en", "en", "ko"])),
            start_time=draw(st.sampled_from(["10:00", "12:00", "13:00", "19:00"])),
            duration_minutes=draw(st.sampled_from([30, 60, 90, 150])),
            preferred_speakers=draw(st.lists(st.sampled_from([s["id"] for s in speakers]),
                                             max_size=1)),
        )
        if draw(st.booleans()):
            req["venue"]["timezone"] = "America/Denver"  # an hour behind the others
        requests.append(req)
    rules = {
        "max_km_per_day": draw(st.sampled_from([300, 650, 1000])),
        "max_events_per_day": draw(st.integers(1, 3)),
        "max_events_per_week": draw(st.integers(1, 5)),
        "max_consecutive_days": draw(st.integers(1, 4)),
        "same_day_km": draw(st.sampled_from([40, 100])),
        "same_day_speed_kmh": draw(st.sampled_from([30, 50])),
        "turnaround_minutes": draw(st.sampled_from([0, 45, 90])),
        "travel_from_home": draw(st.booleans()),
        "max_km_per_week": draw(st.sampled_from([None, 100, 700])),
    }
    pinned = []
    if allow_pins and draw(st.integers(0, 3)) == 0:  # pins often break a rule: 1 tour in 4
        req = draw(st.sampled_from(requests))
        pinned.append({"request": req["id"], "speaker": draw(st.sampled_from(speakers))["id"],
                       "date": draw(st.sampled_from(req["dates"]))["date"]})
    data = instance(requests, speakers, days=days, pinned=pinned, **rules)
    data["format"] = "speaker-tour/2"
    return data


def _check(data: dict, solution: dict) -> None:
    if solution["status"] == "INFEASIBLE":
        # the pins alone must then break a rule in the checker's eyes too
        pins_only = {"format": "speaker-tour-solution/2", "status": "FEASIBLE",
                     "assignments": data["pinned"],
                     "unassigned": [{"request": r["id"], "reason": "x"} for r in data["requests"]
                                    if r["id"] not in {p["request"] for p in data["pinned"]}]}
        rules = {v.rule for v in check_solution(data, pins_only)}
        assert rules & {"H1", "H2", "H3", "H4", "H5", "H6", "H7", "H9", "H10"}
        assert any(u["reason"].startswith(PINNED_CONFLICT) for u in solution["unassigned"])
    else:
        assert check_solution(data, solution) == []


@SETTINGS
@given(tours(max_requests=12, max_speakers=3, days=14, max_dates=4))
def test_random_tours_give_solutions_the_checker_accepts(data):
    solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    _check(data, solution)
    assert solution["bound"]["served_weight"] >= solution["objective"]["served_weight"]


@SETTINGS
@given(tours(max_requests=4, max_speakers=2, days=8, max_dates=2))
def test_tiny_tours_serve_the_brute_force_optimum(data):
    solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    _check(data, solution)
    if solution["status"] != "INFEASIBLE":
        best = brute_force_weight(data)
        assert solution["status"] == "OPTIMAL"
        assert solution["objective"]["served_weight"] == best
        assert solution["bound"]["served_weight"] >= best


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tours(max_requests=12, max_speakers=1, days=6, max_dates=3), st.sampled_from([0, 1, 3]))
def test_every_arc_window_keeps_the_rules(data, window):
    """Big tours get fewer arcs (down to none); the rules must hold for every window."""
    with patch.object(search, "WINDOWS", (window,)):
        solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    _check(data, solution)

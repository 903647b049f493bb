"""The benchmark's tools: the instance generator, the by-hand baseline and the child-process
measurement that bench/run relies on."""

import sys
from datetime import date

import pytest

from bench.baseline import solve_by_hand
from bench.generate import SIZES, generate
from bench.run import Row, first_solution_seconds, run_child, target_report
from scheduler.solver import parse_instance
from scheduler.solver.checker import check_solution, compute_objective


def test_generator_is_deterministic_by_seed():
    assert generate("small", 7) == generate("small", 7)
    assert generate("small", 7) != generate("small", 8)


@pytest.mark.parametrize("size", ["small", "medium"])
def test_generated_instance_follows_the_tour_format(size):
    inst = generate(size, 3)
    parse_instance(inst)  # the solver's own parser accepts it

    n_requests, n_speakers, weeks, _ = SIZES[size]
    assert inst["format"] == "speaker-tour/2"
    assert len(inst["requests"]) == n_requests
    assert len(inst["speakers"]) == n_speakers
    start = date.fromisoformat(inst["tour"]["start"])
    end = date.fromisoformat(inst["tour"]["end"])
    assert start.isoweekday() == 1
    assert (end - start).days + 1 == weeks * 7

    ids = [r["id"] for r in inst["requests"]] + [s["id"] for s in inst["speakers"]]
    assert len(ids) == len(set(ids))
    speaker_ids = {s["id"] for s in inst["speakers"]}
    for r in inst["requests"]:
        days = [date.fromisoformat(c["date"]) for c in r["dates"]]
        assert 1 <= len(days) <= 5
        assert len(set(days)) == len(days)
        assert all(start <= d <= end for d in days)
        assert [c["rank"] for c in r["dates"]] == list(range(1, len(days) + 1))
        assert r["priority"] in range(1, 6)
        assert r["language"] in ("en", "ko")
        assert set(r.get("preferred_speakers", [])) <= speaker_ids
        # contiguous United States
        assert 24 < r["venue"]["lat"] < 50 and -125 < r["venue"]["lon"] < -66
        assert r["venue"]["timezone"].startswith("America/")
    for s in inst["speakers"]:
        assert all(start <= date.fromisoformat(d) <= end for d in s["unavailable"])
    assert any(r["language"] == "ko" for r in inst["requests"])


def test_generated_priorities_are_skewed_low():
    priorities = [r["priority"] for r in generate("large", 1)["requests"]]
    counts = [priorities.count(p) for p in range(1, 6)]
    assert counts == sorted(counts, reverse=True)
    assert counts[4] > 0


@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_generated_pins_are_feasible_together(size):
    inst = generate(size, 5)
    assert inst["pinned"]
    placed = [dict(p) for p in inst["pinned"]]
    pinned = {p["request"] for p in placed}
    only_pins = {
        "format": "speaker-tour-solution/2",
        "status": "FEASIBLE",
        "assignments": placed,
        "unassigned": [
            {"request": r["id"], "reason": "not placed"}
            for r in inst["requests"]
            if r["id"] not in pinned
        ],
        "objective": compute_objective(inst, placed),
    }
    assert check_solution(inst, only_pins) == []


@pytest.mark.parametrize(("size", "seed"), [("small", 1), ("small", 2), ("medium", 1)])
def test_baseline_solutions_pass_the_checker(size, seed):
    inst = generate(size, seed)
    sol = solve_by_hand(inst)
    assert check_solution(inst, sol) == []
    assert sol["assignments"] and sol["unassigned"]  # demand exceeds what it fits


def _tiny(requests, speakers):
    return {
        "format": "speaker-tour/1",
        "tour": {
            "name": "t",
            "start": "2027-02-01",
            "end": "2027-02-28",
            "timezone": "America/New_York",
        },
        "speakers": speakers,
        "requests": requests,
    }


def _req(rid, lat, lon, dates, **extra):
    return {
        "id": rid,
        "chapter": rid,
        "venue": {"name": rid, "lat": lat, "lon": lon, "timezone": "America/New_York"},
        "dates": [{"date": d, "rank": i + 1} for i, d in enumerate(dates)],
        **extra,
    }


SP = {"name": "S", "home": {"lat": 40.7, "lon": -74.0}}


def test_baseline_serves_first_come_on_best_ranked_date_with_first_speaker():
    inst = _tiny(
        [
            _req("rq-1", 42.36, -71.06, ["2027-02-03", "2027-02-04"], priority=1),
            _req("rq-2", 42.37, -71.11, ["2027-02-03"], priority=5),
        ],
        [{"id": "sp-a", **SP}],
    )
    sol = solve_by_hand(inst)
    # A coordinator by hand gives the first request its first choice, though a later, weightier
    # request wanted the same day and the first could have moved.
    assert sol["assignments"] == [{"request": "rq-1", "speaker": "sp-a", "date": "2027-02-03"}]
    assert [u["request"] for u in sol["unassigned"]] == ["rq-2"]


def test_baseline_skips_a_speaker_who_cannot_travel_in_time():
    inst = _tiny(
        [
            _req("rq-ny", 40.71, -74.01, ["2027-02-03"]),
            _req("rq-chi", 41.88, -87.63, ["2027-02-04"]),
        ],
        [{"id": "sp-a", **SP}, {"id": "sp-b", **SP}],
    )
    sol = solve_by_hand(inst)
    assert sol["assignments"] == [
        {"request": "rq-ny", "speaker": "sp-a", "date": "2027-02-03"},
        {"request": "rq-chi", "speaker": "sp-b", "date": "2027-02-04"},
    ]
    assert check_solution(inst, sol) == []


def test_baseline_says_why_a_language_cannot_be_served():
    inst = _tiny(
        [_req("rq-1", 40.71, -74.01, ["2027-02-03"], language="ko")], [{"id": "sp-a", **SP}]
    )
    assert solve_by_hand(inst)["unassigned"] == [
        {"request": "rq-1", "reason": "no speaker speaks ko"}
    ]


def test_child_peak_memory_is_measured_per_child():
    big = run_child(
        [
            sys.executable,
            "-c",
            "b = bytearray(300 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])",
        ],
        timeout=60,
    )
    small = run_child([sys.executable, "-c", "pass"], timeout=60)
    assert big.exit_code == 0 and small.exit_code == 0
    assert big.peak_memory_mib > 300
    assert small.peak_memory_mib < 100


def test_peak_memory_adds_up_a_command_and_its_child_process():
    """The solver's column bound runs in a child process: its memory counts too."""
    child = "import time; b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); " \
            "time.sleep(1.5)"
    both = run_child(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; b = bytearray(150 * 1024 * 1024); "
            "b[::4096] = b'x' * len(b[::4096]); "
            f"subprocess.run([sys.executable, '-c', {child!r}], check=True)",
        ],
        timeout=60,
    )
    assert both.exit_code == 0
    assert both.peak_memory_mib > 350


def test_first_solution_time_comes_from_the_first_progress_line():
    """Lines as ``python -m scheduler.solve --progress`` prints them; other lines are skipped."""
    progress = [
        (0.9, "loading"),
        (1.7, "    0.84s  served 37  bound 48  gap 22.92%  [greedy]"),
        (3.0, "    2.47s  served 41  bound 48  gap 14.58%  [weight]"),
    ]
    assert first_solution_seconds(progress) == (0.84, 1.7)
    assert first_solution_seconds([(0.5, "error: tour.start: not a date")]) == (None, None)


def _row(**values):
    base = dict(
        size="large",
        requests=500,
        speakers=8,
        weeks=12,
        status="FEASIBLE",
        valid=True,
        violations=[],
        served_weight=900,
        bound=920,
        gap_percent=2.22,
        baseline_valid=True,
        baseline_served_weight=620,
        ratio_to_baseline=1.452,
        preference_penalty=10,
        travel_km=1000.0,
        first_solution_seconds=0.6,
        first_solution_seconds_from_launch=4.5,
        wall_seconds=61.0,
        peak_memory_mib=400.0,
        exit_code=0,
        time_limit=60.0,
    )
    return Row(**{**base, **values})


def test_target_report_says_met_or_missed_and_invalid_solutions_meet_nothing():
    assert "large: served >= 1.4 x baseline: met (1.452)" in target_report([_row()])
    assert "large: gap <= 3 %: MISSED (3.5)" in target_report([_row(gap_percent=3.5)])
    invalid = target_report([_row(valid=False)])
    assert "large: every solution valid: MISSED" in invalid
    assert "large: served >= 1.4 x baseline: MISSED (1.452, invalid solution)" in invalid

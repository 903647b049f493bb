"""The independent checker: each hard rule is caught when broken and accepted when kept, and the
objective is computed as the format defines it."""

import copy

import pytest

from scheduler.solver.checker import (
    Violation,
    check_solution,
    compute_objective,
    haversine_km,
)

BOSTON = (42.3601, -71.0589)
CAMBRIDGE = (42.3736, -71.1097)  # about 4.5 km from Boston
PROVIDENCE = (41.8240, -71.4128)  # about 67 km from Boston
NEW_YORK = (40.7128, -74.0060)  # about 306 km from Boston
CHICAGO = (41.8781, -87.6298)  # about 1145 km from New York


def request(rid, where, dates, **extra):
    """A request at ``where`` offering ``dates`` in rank order."""
    return {
        "id": rid,
        "chapter": f"Chapter {rid}",
        "venue": {
            "name": f"Hall {rid}",
            "lat": where[0],
            "lon": where[1],
            "timezone": "America/New_York",
        },
        "dates": [{"date": d, "rank": i + 1} for i, d in enumerate(dates)],
        **extra,
    }


def instance(requests, speakers=None, rules=None, pinned=None):
    data = {
        "format": "speaker-tour/1",
        "tour": {
            "name": "Test tour",
            "start": "2027-02-01",
            "end": "2027-02-28",
            "timezone": "America/New_York",
        },
        "speakers": speakers
        or [
            {
                "id": "sp-1",
                "name": "A",
                "home": {"lat": 40.7, "lon": -74.0},
                "languages": ["en", "ko"],
            }
        ],
        "requests": requests,
    }
    if rules is not None:
        data["rules"] = rules
    if pinned is not None:
        data["pinned"] = pinned
    return data


def solution(inst, placed):
    """A well-formed solution placing ``placed`` = [(request, speaker, date)], the rest unassigned,
    with the objective it really has."""
    assignments = [{"request": r, "speaker": s, "date": d} for r, s, d in placed]
    used = {r for r, _, _ in placed}
    return {
        "format": "speaker-tour-solution/2",
        "status": "FEASIBLE",
        "assignments": assignments,
        "unassigned": [
            {"request": r["id"], "reason": "capacity"}
            for r in inst["requests"]
            if r["id"] not in used
        ],
        "objective": compute_objective(inst, assignments),
        "bound": {"served_weight": sum(r.get("priority", 1) for r in inst["requests"])},
        "wall_seconds": 0.1,
    }


def rules_broken(inst, sol):
    return {v.rule for v in check_solution(inst, sol)}


def messages(inst, sol):
    return [v.message for v in check_solution(inst, sol)]


def test_haversine_uses_earth_radius_6371():
    assert haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(6371.0 * 3.141592653589793 / 180)
    assert haversine_km(*NEW_YORK, *CHICAGO) == pytest.approx(1144.3, abs=0.5)


def test_well_formed_solution_passes():
    inst = instance(
        [request("rq-1", BOSTON, ["2027-02-03"]), request("rq-2", NEW_YORK, ["2027-02-05"])]
    )
    assert (
        check_solution(
            inst, solution(inst, [("rq-1", "sp-1", "2027-02-03"), ("rq-2", "sp-1", "2027-02-05")])
        )
        == []
    )


def test_violation_is_frozen():
    v = Violation("H1", "H1 date: x")
    with pytest.raises(AttributeError):
        v.rule = "H2"


def test_h1_date_not_offered_is_caught():
    inst = instance([request("rq-1", BOSTON, ["2027-02-03", "2027-02-04"])])
    assert rules_broken(inst, solution(inst, [("rq-1", "sp-1", "2027-02-05")])) == {"H1"}
    assert (
        "Chapter rq-1 (Hall rq-1) is placed on 5 Feb 2027, a date the chapter did not offer "
        "(offered: 3 Feb 2027, 4 Feb 2027)"
        in messages(inst, solution(inst, [("rq-1", "sp-1", "2027-02-05")]))[0]
    )
    assert check_solution(inst, solution(inst, [("rq-1", "sp-1", "2027-02-04")])) == []


def test_h1_offered_date_outside_tour_window_is_caught():
    inst = instance([request("rq-1", BOSTON, ["2027-03-02", "2027-02-27"])])
    msgs = messages(inst, solution(inst, [("rq-1", "sp-1", "2027-03-02")]))
    assert msgs == [
        "Chapter rq-1 (Hall rq-1) is placed on 2 Mar 2027, outside the tour (1 Feb 2027 to "
        "28 Feb 2027)"
    ]
    assert check_solution(inst, solution(inst, [("rq-1", "sp-1", "2027-02-27")])) == []


def test_h1_request_assigned_twice_is_caught():
    inst = instance([request("rq-1", BOSTON, ["2027-02-03", "2027-02-10"])])
    twice = solution(inst, [("rq-1", "sp-1", "2027-02-03"), ("rq-1", "sp-1", "2027-02-10")])
    assert "Chapter rq-1 is given 2 times (a talk is given once)" in messages(inst, twice)
    assert check_solution(inst, solution(inst, [("rq-1", "sp-1", "2027-02-10")])) == []


def test_h2_unavailable_speaker_is_caught():
    speakers = [
        {
            "id": "sp-1",
            "name": "A",
            "home": {"lat": 40.7, "lon": -74.0},
            "unavailable": ["2027-02-03"],
        }
    ]
    inst = instance([request("rq-1", BOSTON, ["2027-02-03", "2027-02-04"])], speakers)
    assert messages(inst, solution(inst, [("rq-1", "sp-1", "2027-02-03")])) == [
        "A is unavailable on 3 Feb 2027 but is placed at Chapter rq-1 (Hall rq-1)"
    ]
    assert check_solution(inst, solution(inst, [("rq-1", "sp-1", "2027-02-04")])) == []


def test_h2_language_uses_default_english_for_speakers_and_requests():
    speakers = [
        {"id": "sp-en", "name": "A", "home": {"lat": 40.7, "lon": -74.0}},
        {"id": "sp-ko", "name": "B", "home": {"lat": 40.7, "lon": -74.0}, "languages": ["ko"]},
    ]
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03"]),
            request("rq-2", BOSTON, ["2027-02-03"], language="ko"),
        ],
        speakers,
    )
    wrong = solution(inst, [("rq-1", "sp-ko", "2027-02-03"), ("rq-2", "sp-en", "2027-02-03")])
    assert messages(inst, wrong) == [
        "Chapter rq-1 (Hall rq-1) is in 'en' but B speaks 'ko'",
        "Chapter rq-2 (Hall rq-2) is in 'ko' but A speaks 'en'",
    ]
    right = solution(inst, [("rq-1", "sp-en", "2027-02-03"), ("rq-2", "sp-ko", "2027-02-03")])
    assert check_solution(inst, right) == []


def test_h3_two_events_on_one_day_break_the_default_limit_of_one():
    inst = instance(
        [request("rq-1", BOSTON, ["2027-02-03"]), request("rq-2", CAMBRIDGE, ["2027-02-03"])]
    )
    both = [("rq-1", "sp-1", "2027-02-03"), ("rq-2", "sp-1", "2027-02-03")]
    assert messages(inst, solution(inst, both)) == [
        "A has 2 talks on 3 Feb 2027 (Chapter rq-1 (Hall rq-1), Chapter rq-2 (Hall rq-2)); at "
        "most 1 a day",
        "A has Chapter rq-1 (Hall rq-1) and Chapter rq-2 (Hall rq-2) on 3 Feb 2027 at the same "
        "time",
    ]
    inst["requests"][1]["start_time"] = "21:30"  # 90 min + 45 min + 6 min of driving after
    inst2 = instance(inst["requests"], rules={"max_events_per_day": 2})
    assert check_solution(inst2, solution(inst2, both)) == []


def test_h3_same_day_events_must_be_within_100_km():
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03"]),
            request("rq-2", PROVIDENCE, ["2027-02-03"]),
            request("rq-3", NEW_YORK, ["2027-02-03"]),
        ],
        rules={"max_events_per_day": 2},
    )
    far = solution(inst, [("rq-1", "sp-1", "2027-02-03"), ("rq-3", "sp-1", "2027-02-03")])
    (msg,) = messages(inst, far)
    assert msg == ("A has Chapter rq-1 (Hall rq-1) and Chapter rq-3 (Hall rq-3) on 3 Feb 2027, "
                   "306 km apart; at most 100 km between talks of one day")
    inst["requests"][1]["start_time"] = "22:40"  # 90 + 45 min and 80 min to drive 67 km
    near = solution(inst, [("rq-1", "sp-1", "2027-02-03"), ("rq-2", "sp-1", "2027-02-03")])
    assert check_solution(inst, near) == []


def test_h4_travel_beyond_km_per_day_is_caught():
    inst = instance(
        [
            request("rq-3", NEW_YORK, ["2027-02-03"]),
            request("rq-9", CHICAGO, ["2027-02-04", "2027-02-05"]),
        ]
    )
    fast = solution(inst, [("rq-3", "sp-1", "2027-02-03"), ("rq-9", "sp-1", "2027-02-04")])
    assert messages(inst, fast) == [
        "A cannot drive from Chapter rq-3 (Hall rq-3) on 3 Feb 2027 to Chapter rq-9 (Hall rq-9) "
        "on 4 Feb 2027: 1,144 km, at most 650 km in 1 day"
    ]
    slow = solution(inst, [("rq-3", "sp-1", "2027-02-03"), ("rq-9", "sp-1", "2027-02-05")])
    assert check_solution(inst, slow) == []


def test_h4_respects_a_custom_km_per_day():
    inst = instance(
        [request("rq-3", NEW_YORK, ["2027-02-03"]), request("rq-9", CHICAGO, ["2027-02-04"])],
        rules={"max_km_per_day": 1200},
    )
    placed = [("rq-3", "sp-1", "2027-02-03"), ("rq-9", "sp-1", "2027-02-04")]
    assert check_solution(inst, solution(inst, placed)) == []
    inst["rules"]["max_km_per_day"] = 1100
    assert rules_broken(inst, solution(inst, placed)) == {"H4"}


def test_h4_checks_pairs_that_are_not_consecutive():
    """With two events a day allowed, a far event the day after must be checked against both."""
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03"]),
            request("rq-2", PROVIDENCE, ["2027-02-03"]),
            request("rq-3", NEW_YORK, ["2027-02-04"]),
        ],
        rules={"max_events_per_day": 2, "max_km_per_day": 300},
    )
    placed = [
        ("rq-1", "sp-1", "2027-02-03"),
        ("rq-2", "sp-1", "2027-02-03"),
        ("rq-3", "sp-1", "2027-02-04"),
    ]
    inst["requests"][1]["start_time"] = "10:00"  # Providence in the morning, Boston at 19:00
    (msg,) = messages(inst, solution(inst, placed))
    assert msg == ("A cannot drive from Chapter rq-1 (Hall rq-1) on 3 Feb 2027 to Chapter rq-3 "
                   "(Hall rq-3) on 4 Feb 2027: 306 km, at most 300 km in 1 day")


def _days(first_day, n):
    return [f"2027-02-{first_day + i:02d}" for i in range(n)]


def test_h5_six_events_in_one_iso_week_are_caught():
    days = _days(1, 6)  # Monday 1 .. Saturday 6 February 2027
    inst = instance(
        [request(f"rq-{d}", BOSTON, [d]) for d in days], rules={"max_consecutive_days": 7}
    )
    assert messages(inst, solution(inst, [(f"rq-{d}", "sp-1", d) for d in days])) == [
        "A has 6 talks in the week of 1 Feb 2027; at most 5 a week"
    ]
    assert check_solution(inst, solution(inst, [(f"rq-{d}", "sp-1", d) for d in days[:5]])) == []


def test_h5_weeks_run_monday_to_sunday():
    days = _days(4, 6)  # Thursday 4 .. Tuesday 9: four in one ISO week, two in the next
    inst = instance(
        [request(f"rq-{d}", BOSTON, [d]) for d in days],
        rules={"max_consecutive_days": 7, "max_events_per_week": 4},
    )
    assert check_solution(inst, solution(inst, [(f"rq-{d}", "sp-1", d) for d in days])) == []
    inst["rules"]["max_events_per_week"] = 3
    assert rules_broken(inst, solution(inst, [(f"rq-{d}", "sp-1", d) for d in days])) == {"H5"}


def test_h6_five_consecutive_days_are_caught():
    days = _days(3, 5)  # Wednesday 3 .. Sunday 7
    inst = instance(
        [request(f"rq-{d}", BOSTON, [d]) for d in days]
        + [request("rq-late", BOSTON, ["2027-02-09"])]
    )
    placed = [(f"rq-{d}", "sp-1", d) for d in days]
    assert messages(inst, solution(inst, placed)) == [
        "A works 5 days in a row (3 Feb 2027 to 7 Feb 2027); at most 4"
    ]
    gap = placed[:4] + [("rq-late", "sp-1", "2027-02-09")]
    assert check_solution(inst, solution(inst, gap)) == []


def test_h6_runs_cross_iso_weeks():
    days = _days(6, 5)  # Saturday 6 .. Wednesday 10
    inst = instance([request(f"rq-{d}", BOSTON, [d]) for d in days])
    placed = [(f"rq-{d}", "sp-1", d) for d in days]
    assert rules_broken(inst, solution(inst, placed)) == {"H6"}


def test_h7_max_events_is_caught():
    speakers = [{"id": "sp-1", "name": "A", "home": {"lat": 40.7, "lon": -74.0}, "max_events": 2}]
    inst = instance(
        [request(f"rq-{i}", BOSTON, [f"2027-02-{i:02d}"]) for i in (3, 10, 17)], speakers
    )
    three = [(f"rq-{i}", "sp-1", f"2027-02-{i:02d}") for i in (3, 10, 17)]
    assert messages(inst, solution(inst, three)) == [
        "A has 3 talks in the tour; at most 2"
    ]
    assert check_solution(inst, solution(inst, three[:2])) == []


def test_h8_moved_or_dropped_pin_is_caught():
    speakers = [
        {"id": "sp-1", "name": "A", "home": {"lat": 40.7, "lon": -74.0}},
        {"id": "sp-2", "name": "B", "home": {"lat": 40.7, "lon": -74.0}},
    ]
    inst = instance(
        [request("rq-1", BOSTON, ["2027-02-03", "2027-02-04"])],
        speakers,
        pinned=[{"request": "rq-1", "speaker": "sp-1", "date": "2027-02-03"}],
    )
    moved = solution(inst, [("rq-1", "sp-1", "2027-02-04")])
    assert messages(inst, moved) == [
        "Chapter rq-1 is pinned to A on 3 Feb 2027 but the solution has A on 4 Feb 2027"
    ]
    other_speaker = solution(inst, [("rq-1", "sp-2", "2027-02-03")])
    assert rules_broken(inst, other_speaker) == {"H8"}
    dropped = solution(inst, [])
    assert messages(inst, dropped) == [
        "Chapter rq-1 is pinned to A on 3 Feb 2027 but the solution has nobody"
    ]
    assert check_solution(inst, solution(inst, [("rq-1", "sp-1", "2027-02-03")])) == []


def test_every_request_must_appear_exactly_once():
    inst = instance(
        [request("rq-1", BOSTON, ["2027-02-03"]), request("rq-2", BOSTON, ["2027-02-10"])]
    )
    good = solution(inst, [("rq-1", "sp-1", "2027-02-03")])
    assert check_solution(inst, good) == []

    missing = copy.deepcopy(good)
    missing["unassigned"] = []
    assert messages(inst, missing) == ["Chapter rq-2 is neither assigned nor unassigned"]

    both = copy.deepcopy(good)
    both["unassigned"].append({"request": "rq-1", "reason": "capacity"})
    assert messages(inst, both) == ["Chapter rq-1 is both assigned and unassigned"]

    no_reason = copy.deepcopy(good)
    no_reason["unassigned"][0]["reason"] = " "
    assert messages(inst, no_reason) == ["Chapter rq-2 is unassigned without a reason"]


def test_unknown_ids_are_named():
    inst = instance([request("rq-1", BOSTON, ["2027-02-03"])])
    sol = solution(inst, [("rq-1", "sp-1", "2027-02-03")])
    sol["assignments"].append({"request": "rq-404", "speaker": "sp-9", "date": "2027-02-04"})
    sol["unassigned"].append({"request": "rq-405", "reason": "capacity"})
    assert messages(inst, sol) == [
        "The assignment 2 names a talk request 'rq-404' that is not in the tour",
        "The assignment 2 names a speaker 'sp-9' who is not in the tour",
        "Unassigned entry 1 names a talk request 'rq-405' that is not in the tour",
    ]


def test_malformed_header_and_date_are_reported():
    inst = instance([request("rq-1", BOSTON, ["2027-02-03"])])
    sol = solution(inst, [("rq-1", "sp-1", "2027-02-03")])
    sol["format"] = "speaker-tour/1"
    sol["status"] = "DONE"
    sol["assignments"][0]["date"] = "3 Feb 2027"
    assert rules_broken(inst, sol) == {"FORMAT", "OBJECTIVE"}


def test_objective_levels_follow_the_format():
    speakers = [
        {"id": "sp-1", "name": "A", "home": {"lat": 40.7, "lon": -74.0}},
        {"id": "sp-2", "name": "B", "home": {"lat": 40.7, "lon": -74.0}},
    ]
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03", "2027-02-04"], priority=3),
            request(
                "rq-2",
                NEW_YORK,
                ["2027-02-08", "2027-02-09", "2027-02-10"],
                preferred_speakers=["sp-2"],
            ),  # priority defaults to 1
            request(
                "rq-3", PROVIDENCE, ["2027-02-01"], priority=5, preferred_speakers=["sp-1", "sp-2"]
            ),
            request("rq-4", CHICAGO, ["2027-02-20"], priority=4),  # left unassigned
        ],
        speakers,
    )
    placed = [
        ("rq-2", "sp-1", "2027-02-10"),  # rank 3 and not preferred: 2 + 1
        ("rq-1", "sp-1", "2027-02-04"),  # rank 2: 1
        ("rq-3", "sp-1", "2027-02-01"),
    ]  # rank 1, preferred: 0
    assignments = [{"request": r, "speaker": s, "date": d} for r, s, d in placed]
    # Date order for sp-1: from home (New York), Providence (1st), Boston (4th), New York
    # (10th), and back home.
    home = (40.7, -74.0)
    travel = (haversine_km(*home, *PROVIDENCE) + haversine_km(*PROVIDENCE, *BOSTON)
              + haversine_km(*BOSTON, *NEW_YORK) + haversine_km(*NEW_YORK, *home))
    assert compute_objective(inst, assignments) == {
        "served_weight": 9,
        "preference_penalty": 4,
        "travel_km": round(travel, 1),
    }


def test_travel_is_summed_per_speaker_not_across_speakers():
    speakers = [
        {"id": "sp-1", "name": "A", "home": {"lat": 40.7, "lon": -74.0}},
        {"id": "sp-2", "name": "B", "home": {"lat": 40.7, "lon": -74.0}},
    ]
    inst = instance(
        [request("rq-1", BOSTON, ["2027-02-03"]), request("rq-2", CHICAGO, ["2027-02-04"])],
        speakers,
    )
    apart = [
        {"request": "rq-1", "speaker": "sp-1", "date": "2027-02-03"},
        {"request": "rq-2", "speaker": "sp-2", "date": "2027-02-04"},
    ]
    # each speaker only from home (New York) and back: no leg between Boston and Chicago
    home = (40.7, -74.0)
    both_homes = 2 * haversine_km(*home, *BOSTON) + 2 * haversine_km(*home, *CHICAGO)
    assert compute_objective(inst, apart)["travel_km"] == round(both_homes, 1)
    inst["rules"] = {"travel_from_home": False}
    assert compute_objective(inst, apart)["travel_km"] == 0.0


def test_reported_objective_must_match():
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03", "2027-02-04"], priority=2),
            request("rq-2", NEW_YORK, ["2027-02-06"]),
        ]
    )
    sol = solution(inst, [("rq-1", "sp-1", "2027-02-04"), ("rq-2", "sp-1", "2027-02-06")])
    assert check_solution(inst, sol) == []
    sol["objective"]["travel_km"] += 0.05  # per-leg rounding is tolerated
    assert check_solution(inst, sol) == []

    for key, wrong in (("served_weight", 2), ("preference_penalty", 0), ("travel_km", 300.0)):
        bad = copy.deepcopy(sol)
        bad["objective"][key] = wrong
        (msg,) = messages(inst, bad)
        assert msg.startswith(f"The objective's {key} is reported as {wrong!r}, but it is ")


def test_bound_below_served_weight_or_unproven_optimal_is_caught():
    inst = instance(
        [
            request("rq-1", BOSTON, ["2027-02-03"], priority=4),
            request("rq-2", BOSTON, ["2027-02-03"], priority=2),
        ]
    )
    sol = solution(inst, [("rq-1", "sp-1", "2027-02-03")])
    sol["bound"]["served_weight"] = 3
    assert messages(inst, sol) == [
        "The bound on the served weight, 3, is below the served weight 4"]
    sol["bound"]["served_weight"] = 6
    sol["status"] = "OPTIMAL"
    assert rules_broken(inst, sol) == {"BOUND"}
    sol["bound"]["served_weight"] = 4
    assert check_solution(inst, sol) == []

"""The rules of speaker-tour/2 that make a schedule drivable: H3's clock for two talks on one day
(venue time zones, turnaround, drive time), H9 home, H10 weekly driving, a speaker's own pace,
and travel that counts the legs from and back home. In each solver case the new rule is the
only thing that stops a better-looking answer; the checker catches each one broken, in plain
words."""

import copy

from scheduler.solver import PINNED_CONFLICT, parse_instance, solve
from scheduler.solver.checker import check_solution, compute_objective
from tests.solver.builders import at, day, instance, request, speaker


def solved(data: dict) -> dict:
    solution = solve(parse_instance(data), time_limit=10, workers=1).to_dict()
    assert solution["status"] in ("OPTIMAL", "INFEASIBLE")
    if solution["status"] == "OPTIMAL":
        assert check_solution(data, solution) == []
    return solution


def placed(solution: dict) -> dict[str, tuple[str, str]]:
    return {a["request"]: (a["speaker"], a["date"]) for a in solution["assignments"]}


def reasons(solution: dict) -> dict[str, str]:
    return {u["request"]: u["reason"] for u in solution["unassigned"]}


def by_hand(data: dict, plan: list[tuple[str, str, str]]) -> dict:
    """A solution placing ``plan`` = [(request, speaker, date)] with its true objective."""
    assignments = [{"request": r, "speaker": s, "date": d} for r, s, d in plan]
    used = {r for r, _, _ in plan}
    return {"format": "speaker-tour-solution/2", "status": "FEASIBLE",
            "assignments": assignments,
            "unassigned": [{"request": r["id"], "reason": "left out"}
                           for r in data["requests"] if r["id"] not in used],
            "objective": compute_objective(data, assignments)}


def broken(data: dict, plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for v in check_solution(data, by_hand(data, plan)):
        found.setdefault(v.rule, []).append(v.message)
    return found


# --- H3: the clock ------------------------------------------------------------------------------

def two_talks(start_b: str, day_b: int = 2, zone_b: str = "America/Chicago", **first) -> dict:
    """Talk a (19:00-20:30 unless ``first`` says otherwise) and talk b 10 km away, weightier."""
    a = request("rq-a", [day(2)], **first)
    b = request("rq-b", [day(day_b)], km=10, priority=2, start_time=start_b)
    b["venue"]["timezone"] = zone_b
    return instance([a, b], max_events_per_day=2)


def test_h3_two_talks_a_day_must_fit_the_clock():
    # 20:30 end + 45 min turnaround + 12 min to drive 10 km at 50 km/h = 21:27
    late_enough = two_talks("21:30")
    assert len(solved(late_enough)["assignments"]) == 2
    too_soon = two_talks("21:00")
    solution = solved(too_soon)
    assert placed(solution) == {"rq-b": ("sp-1", day(2))}
    assert "starts too soon after" in reasons(solution)["rq-a"]
    assert "45 min to turn around and 12 min to drive 10 km" in reasons(solution)["rq-a"]


def test_h3_two_talks_at_the_same_instant_never_fit():
    same = two_talks("19:00")
    solution = solved(same)
    assert placed(solution) == {"rq-b": ("sp-1", day(2))}
    assert "at the same time" in reasons(solution)["rq-a"]


def test_h3_the_clock_runs_in_each_venues_time_zone():
    # b is in New York: 21:30 there is 20:30 in Chicago, when a ends; 22:30 there fits
    assert len(solved(two_talks("22:30", zone_b="America/New_York"))["assignments"]) == 2
    solution = solved(two_talks("21:30", zone_b="America/New_York"))
    assert placed(solution) == {"rq-b": ("sp-1", day(2))}
    message = broken(two_talks("21:30", zone_b="America/New_York"),
                     [("rq-a", "sp-1", day(2)), ("rq-b", "sp-1", day(2))])["H3"][0]
    assert message == ("Speaker sp-1 cannot get from Chapter rq-a (Hall rq-a) to Chapter rq-b "
                       "(Hall rq-b) on 3 Mar 2027: the first ends at 20:30, and with 45 min to "
                       "turn around and 12 min to drive 10 km the second can start at 22:27 at "
                       "the earliest, not 21:30 (venue times)")


def test_h3_the_clock_across_the_us_daylight_saving_switch():
    """On Sunday 14 March 2027 Chicago's clocks jump from 02:00 to 03:00: a talk from 00:30 to
    01:30 and one at 03:00 are 1 h 30 min apart on the wall but only 30 min apart in time."""
    def night(day_index: int) -> dict:
        a = request("rq-a", [day(day_index)], start_time="00:30", duration_minutes=60)
        b = request("rq-b", [day(day_index)], km=5, priority=2, start_time="03:00")
        return instance([a, b], max_events_per_day=2)

    assert day(13) == "2027-03-14" and day(6) == "2027-03-07"
    assert len(solved(night(6))["assignments"]) == 2  # a week earlier: 02:21 is early enough
    solution = solved(night(13))
    assert placed(solution) == {"rq-b": ("sp-1", day(13))}
    assert broken(night(13), [("rq-a", "sp-1", day(13)), ("rq-b", "sp-1", day(13))])["H3"] == [
        "Speaker sp-1 cannot get from Chapter rq-a (Hall rq-a) to Chapter rq-b (Hall rq-b) on "
        "14 Mar 2027: the first ends at 01:30, and with 45 min to turn around and 6 min to drive "
        "5.0 km the second can start at 03:21 at the earliest, not 03:00 (venue times)"]
    assert broken(night(6), [("rq-a", "sp-1", day(6)), ("rq-b", "sp-1", day(6))]) == {}


# --- H9: home -----------------------------------------------------------------------------------

def test_h9_the_first_talk_must_be_reachable_from_home():
    data = instance([request("rq-far", [day(0)], km=1000, priority=5),
                     request("rq-near", [day(0)], km=100)])
    solution = solved(data)
    assert placed(solution) == {"rq-near": ("sp-1", day(0))}
    assert reasons(solution)["rq-far"].startswith("too far from home for every speaker")
    assert ("Speaker sp-1's home is 1,000 km from Hall rq-far: not reachable by 1 Mar 2027 "
            "leaving home on 1 Mar 2027") in reasons(solution)["rq-far"]
    assert broken(data, [("rq-far", "sp-1", day(0))])["H9"] == [
        "Speaker sp-1's home is 1,000 km from Chapter rq-far (Hall rq-far): not reachable by "
        "1 Mar 2027 leaving home on 1 Mar 2027 (at most 650 km)"]
    data["rules"]["travel_from_home"] = False
    assert placed(solved(data)) == {"rq-far": ("sp-1", day(0))}


def test_h9_the_speaker_is_home_again_by_the_day_after_the_tour():
    # the tour ends on day 27 (28 March): from a talk that day, 650 km of driving are left
    data = instance([request("rq-far", [day(27)], km=700, priority=5),
                     request("rq-near", [day(27)], km=600)])
    solution = solved(data)
    assert placed(solution) == {"rq-near": ("sp-1", day(27))}
    assert "not home again by 29 Mar 2027" in reasons(solution)["rq-far"]
    assert list(broken(data, [("rq-far", "sp-1", day(27))])) == ["H9"]


# --- H10: weekly driving ------------------------------------------------------------------------

def weekly(**rules) -> dict:
    """Monday to Saturday of one week: home, 600 km north and back: 1,200 km of driving."""
    return instance([request("rq-mon", [day(0)], km=0),
                     request("rq-wed", [day(2)], km=600, priority=2),
                     request("rq-sat", [day(5)], km=0)], **rules)


def test_h10_the_weeks_driving_stays_under_its_cap():
    assert len(solved(weekly())["assignments"]) == 3
    solution = solved(weekly(max_km_per_week=1000))
    assert solution["objective"]["served_weight"] == 3  # the weightier talk and one other
    assert "rq-wed" in placed(solution) and len(placed(solution)) == 2
    (left,) = set(reasons(solution))
    assert "driving a week (H10)" in reasons(solution)[left]
    assert "of 1,000 km of driving for Speaker sp-1" in reasons(solution)[left]
    assert broken(weekly(max_km_per_week=1000), [("rq-mon", "sp-1", day(0)),
                                                 ("rq-wed", "sp-1", day(2)),
                                                 ("rq-sat", "sp-1", day(5))])["H10"] == [
        "Speaker sp-1 drives 1,200 km in the week of 1 Mar 2027 (Chapter rq-mon (Hall rq-mon) to "
        "Chapter rq-wed (Hall rq-wed) to Chapter rq-sat (Hall rq-sat)); at most 1,000 km a week"]


def test_h10_legs_into_a_weeks_first_talk_belong_to_the_week_before_no_week():
    # Saturday 600 km north, then Monday of the next week back home: no week has two talks
    data = instance([request("rq-sat", [day(5)], km=600), request("rq-mon", [day(7)], km=0)],
                    max_km_per_week=100)
    assert len(solved(data)["assignments"]) == 2


# --- a speaker's own pace -----------------------------------------------------------------------

def test_a_speakers_own_weekly_talks_replace_the_tours():
    talks = [request(f"rq-{i}", [day(i * 2)], km=i) for i in range(3)]
    assert len(solved(instance(talks))["assignments"]) == 3
    own = solved(instance(talks, [speaker("sp-1", max_events_per_week=2)]))
    assert len(own["assignments"]) == 2
    assert "at most 2)" in " ".join(reasons(own).values())
    lifted = solved(instance(talks, [speaker("sp-1", max_events_per_week=None)],
                             max_events_per_week=1))
    assert len(lifted["assignments"]) == 3


def test_a_speakers_own_days_in_a_row_replace_the_tours():
    talks = [request(f"rq-{i}", [day(i)], km=i) for i in range(3)]
    assert len(solved(instance(talks))["assignments"]) == 3
    assert len(solved(instance(talks, [speaker("sp-1", max_consecutive_days=2)]))[
        "assignments"]) == 2
    assert len(solved(instance(talks, [speaker("sp-1", max_consecutive_days=None)],
                               max_consecutive_days=1))["assignments"]) == 3


def test_a_speakers_own_weekly_km_replace_the_tours():
    mine = [speaker("sp-1", max_km_per_week=1000)]
    assert len(solved(weekly(speakers=mine))["assignments"]) == 2
    free = [speaker("sp-1", max_km_per_week=None)]
    assert len(solved(weekly(speakers=free, max_km_per_week=1000))["assignments"]) == 3
    data = weekly(speakers=mine)
    assert "H10" in broken(data, [("rq-mon", "sp-1", day(0)), ("rq-wed", "sp-1", day(2)),
                                  ("rq-sat", "sp-1", day(5))])


# --- travel from and back home ------------------------------------------------------------------

def test_travel_counts_the_legs_from_and_back_home():
    # sp-2 lives 500 km north and is pinned to a talk at the base on day 1; the other talk is 480
    # km north on day 3. Between talks alone, sp-1 would take it (one talk: 0 km against 480 km
    # for sp-2); with the legs from and back home sp-1 drives 960 km for it, sp-2 only 500 km
    # less its 20 km from the talk home: sp-2 takes it.
    data = instance([request("rq-0", [day(1)]), request("rq-1", [day(3)], km=480)],
                    [speaker("sp-1"), speaker("sp-2", home=at(500))],
                    pinned=[{"request": "rq-0", "speaker": "sp-2", "date": day(1)}])
    solution = solved(data)
    assert placed(solution) == {"rq-0": ("sp-2", day(1)), "rq-1": ("sp-2", day(3))}
    assert solution["objective"]["travel_km"] == 1000.0  # 500 + 480 + 20


# --- pins that break the new rules --------------------------------------------------------------

def test_pins_that_break_the_clock_home_or_weekly_driving_are_infeasible_in_plain_words():
    clock = two_talks("21:00")
    clock["pinned"] = [{"request": "rq-a", "speaker": "sp-1", "date": day(2)},
                       {"request": "rq-b", "speaker": "sp-1", "date": day(2)}]
    home = instance([request("rq-far", [day(0)], km=1000)],
                    pinned=[{"request": "rq-far", "speaker": "sp-1", "date": day(0)}])
    week = weekly(max_km_per_week=1000)
    week["pinned"] = [{"request": r, "speaker": "sp-1", "date": d}
                      for r, d in (("rq-mon", day(0)), ("rq-wed", day(2)), ("rq-sat", day(5)))]
    expected = [
        (clock, "rq-b", "starts too soon after Chapter rq-a (Hall rq-a) ends", "(H3)"),
        (home, "rq-far", "home is 1,000 km from Hall rq-far: not reachable by 1 Mar 2027",
         "(H9)"),
        (week, "rq-sat", "already has 600 km of 1,000 km of driving for Speaker sp-1, and Hall "
                         "rq-sat would make it 1,200 km", "(H10)"),
    ]
    for data, request_id, words, rule in expected:
        solution = solve(parse_instance(copy.deepcopy(data)), time_limit=5, workers=1).to_dict()
        assert solution["status"] == "INFEASIBLE"
        reason = reasons(solution)[request_id]
        assert reason.startswith(PINNED_CONFLICT)
        assert words in reason and rule in reason

"""Malformed instances are refused with a message that names the place, by the library and by
``python -m scheduler.solver`` (exit status 2, one line on stderr, no traceback); a
speaker-tour/1 file is read as /2 with the format's defaults."""

import copy
import json
import subprocess
import sys

import pytest

from scheduler.solver import DEFAULT_RULES, InstanceError, parse_instance, solve
from scheduler.solver.__main__ import main
from tests.solver.builders import day, instance, request, speaker


def good() -> dict:
    return instance(
        [request("rq-1", [day(2), day(3)]), request("rq-2", [day(4)], km=50)],
        [speaker("sp-1"), speaker("sp-2")],
        pinned=[{"request": "rq-1", "speaker": "sp-1", "date": day(2)}],
    )


def broken(change) -> dict:
    data = copy.deepcopy(good())
    change(data)
    return data


CASES = [
    ("bad date", lambda d: d["requests"][1]["dates"][0].update(date="2027-02-30"),
     "requests[1].dates[0].date: not a date"),
    ("date not a string", lambda d: d["requests"][0]["dates"][1].update(date=20270304),
     "requests[0].dates[1].date: not a date"),
    ("duplicate request id", lambda d: d["requests"][1].update(id="rq-1"),
     "requests[1].id: duplicate id 'rq-1'"),
    ("duplicate speaker id", lambda d: d["speakers"][1].update(id="sp-1"),
     "speakers[1].id: duplicate id 'sp-1'"),
    ("pinned unknown request", lambda d: d["pinned"][0].update(request="rq-9"),
     "pinned[0].request: unknown request 'rq-9'"),
    ("pinned unknown speaker", lambda d: d["pinned"][0].update(speaker="sp-9"),
     "pinned[0].speaker: unknown speaker 'sp-9'"),
    ("priority not an integer", lambda d: d["requests"][0].update(priority="high"),
     "requests[0].priority: not an integer"),
    ("priority out of range", lambda d: d["requests"][0].update(priority=7),
     "requests[0].priority: 7 is out of range (1..5)"),
    ("speakers not a list", lambda d: d.update(speakers={"sp-1": {}}),
     "speakers: not a list"),
    ("latitude not a number", lambda d: d["requests"][0]["venue"].update(lat="north"),
     "requests[0].venue.lat: not a number"),
    ("rule of the wrong type", lambda d: d["rules"].update(max_events_per_week=2.5),
     "rules.max_events_per_week: not an integer"),
    ("unknown preferred speaker",
     lambda d: d["requests"][0].update(preferred_speakers=["sp-7"]),
     "requests[0].preferred_speakers[0]: unknown speaker 'sp-7'"),
    ("unknown format", lambda d: d.update(format="speaker-tour/3"),
     "format: expected one of speaker-tour/1, speaker-tour/2, got 'speaker-tour/3'"),
    ("same-day km negative", lambda d: d["rules"].update(same_day_km=-1),
     "rules.same_day_km: not a non-negative number"),
    ("speed zero", lambda d: d["rules"].update(same_day_speed_kmh=0),
     "rules.same_day_speed_kmh: not a positive number"),
    ("turnaround not an integer", lambda d: d["rules"].update(turnaround_minutes="45"),
     "rules.turnaround_minutes: not an integer"),
    ("home rule not a boolean", lambda d: d["rules"].update(travel_from_home="yes"),
     "rules.travel_from_home: not true or false"),
    ("weekly km not a number", lambda d: d["rules"].update(max_km_per_week="2000 km"),
     "rules.max_km_per_week: not a positive number"),
    ("own weekly talks zero", lambda d: d["speakers"][0].update(max_events_per_week=0),
     "speakers[0].max_events_per_week: 0 is out of range (>= 1)"),
    ("own days in a row not an integer",
     lambda d: d["speakers"][1].update(max_consecutive_days=2.5),
     "speakers[1].max_consecutive_days: not an integer"),
    ("own weekly km negative", lambda d: d["speakers"][0].update(max_km_per_week=-5),
     "speakers[0].max_km_per_week: not a positive number"),
    ("home missing", lambda d: d["speakers"][1].pop("home"), "speakers[1].home: not an object"),
    ("venue time zone missing", lambda d: d["requests"][1]["venue"].pop("timezone"),
     "requests[1].venue.timezone: not a non-empty string"),
    ("venue time zone unknown",
     lambda d: d["requests"][0]["venue"].update(timezone="America/Gotham"),
     "requests[0].venue.timezone: 'America/Gotham' is not an IANA time zone"),
]


def test_good_instance_parses_into_dataclasses_with_defaults():
    inst = parse_instance(good())
    assert inst.rules.max_km_per_day == 650 and inst.rules.max_events_per_day == 1
    assert inst.requests[0].priority == 1 and inst.requests[0].language == "en"
    assert inst.speakers[0].languages == ("en",) and inst.speakers[0].max_events is None
    assert inst.pinned[0].request == "rq-1"


def test_a_version_1_file_is_read_with_the_defaults_of_version_2():
    data = good()
    assert data["format"] == "speaker-tour/1" and data["rules"] == {}
    inst = parse_instance(data)
    rules = inst.rules
    assert (rules.same_day_km, rules.same_day_speed_kmh, rules.turnaround_minutes) == (100, 50, 45)
    assert rules.travel_from_home is True and rules.max_km_per_week is None
    assert rules.max_events_per_week == 5 and rules.max_consecutive_days == 4
    spk = inst.speakers[0]
    assert (spk.max_events_per_week, spk.max_consecutive_days, spk.max_km_per_week) == (5, 4, None)
    assert inst.requests[0].start_time == "19:00" and inst.requests[0].duration_minutes == 90
    assert DEFAULT_RULES["max_km_per_day"] == 650 and DEFAULT_RULES["travel_from_home"] is True


def test_the_home_rule_applies_to_a_version_1_file():
    """/1 had no home rule; read as /2 it has: a talk 1,000 km from home on the tour's first day
    cannot be reached (650 km a day), though it weighs more than the one next door."""
    data = instance([request("rq-far", [day(0)], km=1000, priority=5),
                     request("rq-near", [day(0)], km=10)])
    assert data["format"] == "speaker-tour/1"
    solution = solve(parse_instance(data), time_limit=5, workers=1).to_dict()
    assert [a["request"] for a in solution["assignments"]] == ["rq-near"]


def test_a_speakers_own_limit_replaces_the_tours_and_null_means_no_cap():
    data = good()
    data["rules"] = {"max_events_per_week": 3, "max_km_per_week": 2000}
    data["speakers"][0].update(max_events_per_week=None, max_km_per_week=800,
                               max_consecutive_days=2)
    inst = parse_instance(data)
    own, other = inst.speakers
    assert (own.max_events_per_week, own.max_km_per_week, own.max_consecutive_days) == \
        (None, 800, 2)
    assert (other.max_events_per_week, other.max_km_per_week, other.max_consecutive_days) == \
        (3, 2000, 4)


@pytest.mark.parametrize(("label", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_library_names_the_bad_place(label, change, message):
    with pytest.raises(InstanceError) as err:
        parse_instance(broken(change))
    assert str(err.value) == message


def run_cli(*args):
    """The real command in a fresh interpreter (slow to start: the package imports Flask)."""
    return subprocess.run([sys.executable, "-m", "scheduler.solver", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(("label", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_command_main_exits_2_with_the_message(tmp_path, capsys, label, change, message):
    path = tmp_path / "tour.json"
    path.write_text(json.dumps(broken(change)))
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: {message}\n" and captured.out == ""


def test_command_process_exits_2_without_traceback(tmp_path):
    path = tmp_path / "tour.json"
    path.write_text(json.dumps(broken(CASES[0][1])))
    result = run_cli(str(path))
    assert result.returncode == 2
    assert result.stderr == f"error: {CASES[0][2]}\n" and result.stdout == ""


def test_command_refuses_unreadable_and_non_json_files(tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read the instance" in capsys.readouterr().err
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert main([str(garbage)]) == 2
    err = capsys.readouterr().err
    assert "not JSON" in err and len(err.strip().splitlines()) == 1


def test_command_writes_the_solution_and_progress(tmp_path):
    path = tmp_path / "tour.json"
    path.write_text(json.dumps(good()))
    out = tmp_path / "solution.json"
    result = run_cli(str(path), "--time-limit", "5", "--workers", "1", "--out", str(out),
                     "--progress")
    assert result.returncode == 0, result.stderr
    solution = json.loads(out.read_text())
    assert solution["format"] == "speaker-tour-solution/2"
    assert solution["status"] == "OPTIMAL"
    assert {a["request"] for a in solution["assignments"]} == {"rq-1", "rq-2"}
    lines = result.stderr.strip().splitlines()
    assert lines and all("served" in line and "bound" in line and "gap" in line for line in lines)


def test_command_rejects_a_previous_file_that_is_not_a_solution(tmp_path, capsys):
    path = tmp_path / "tour.json"
    path.write_text(json.dumps(good()))
    prev = tmp_path / "prev.json"
    for bad in ({"assignments": "none"}, {"request": ["x"]}, [],
                {"assignments": [{"request": ["x"], "speaker": "sp-1", "date": day(2)}]},
                {"assignments": [{"request": "rq-1", "speaker": "sp-1", "date": "soon"}]}):
        prev.write_text(json.dumps(bad))
        assert main([str(path), "--previous", str(prev)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "not a solution" in err and err.count("\n") == 1


def test_the_old_command_name_still_solves(tmp_path):
    path = tmp_path / "tour.json"
    path.write_text(json.dumps(good()))
    result = subprocess.run([sys.executable, "-m", "scheduler.solve", str(path), "--time-limit",
                             "5", "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "speaker-tour-solution/2"

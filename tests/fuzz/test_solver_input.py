"""Hostile solver input: ``scheduler.solver.parse_instance`` and ``python -m scheduler.solver``
(speaker-tour/1 and /2 files, previous solutions).

Any JSON value either parses into an instance, which the solver then schedules into a solution
the independent checker accepts, or is refused with an ``InstanceError`` naming the bad place.
The command answers 0 with a solution or 2 with one line on stderr, never a traceback.
"""

import json
import os
import subprocess
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.solver import InstanceError, parse_instance, solve
from scheduler.solver.__main__ import main
from scheduler.solver.checker import check_solution
from tests.fuzz.instances import VALID, VALID_V2, broken_instances, changed
from tests.fuzz.strategies import FUZZ, MEGABYTE, json_values, malformed_date

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLACES = ("instance", "format", "tour", "rules", "speakers", "requests", "pinned")


def parsed_or_refused(data):
    try:
        return parse_instance(data)
    except InstanceError as error:
        message = str(error)
        assert message and "\n" not in message
        assert message.split(":")[0].split(".")[0].split("[")[0] in PLACES, message
        return None


@settings(FUZZ, max_examples=40)
@given(data=st.one_of(broken_instances(), broken_instances(VALID_V2), json_values()))
@example(data=VALID_V2)
@example(data=changed(("rules", "turnaround_minutes"), 10**30, base=VALID_V2))
@example(data=changed(("rules", "max_km_per_week"), 0.5, base=VALID_V2))
@example(data=changed(("speakers", 0, "max_km_per_week"), 10**30, base=VALID_V2))
@example(data=changed(("requests", 0, "venue", "timezone"), "Mars/Olympus", base=VALID_V2))
@example(data=changed(("requests", 0, "dates", 0, "rank"), 10**30))
@example(data=changed(("requests", 0, "start_time"), "19:00\n"))
@example(data=changed(("requests", 0, "start_time"), "1٩:00"))
@example(data=changed(("rules", "max_km_per_day"), float("nan")))
@example(data=changed(("rules", "max_events_per_day"), 10**30))
@example(data=changed(("requests", 0, "duration_minutes"), 10**30))
@example(data=changed(("speakers", 0, "max_events"), 10**30))
@example(data=changed(("requests", 0, "priority"), True))
@example(data=changed(("tour", "end"), "2027-02-30"))
@example(data=changed(("requests", 1, "chapter"), MEGABYTE))
@example(data=changed(("speakers", 0, "id"), MEGABYTE))
def test_any_json_is_refused_naming_its_place_or_solved_into_a_valid_solution(data):
    instance = parsed_or_refused(data)
    if instance is None:
        return
    solution = solve(instance, time_limit=2, workers=1, seed=0).to_dict()
    assert solution["status"] in ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")
    if solution["status"] in ("OPTIMAL", "FEASIBLE"):
        assert check_solution(data, solution) == []


RAW_FILES = [
    b"",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"format": "speaker-tour/1", "rules": {"max_km_per_day": ' + b"9" * 5000 + b"}}",
    b'{"format": "speaker-tour/1", "tour": {"name": NaN}}',
    b"\xff\xfe\x00\x00",
    json.dumps(VALID).encode("utf-16"),
    b'{"a": "\\ud800"}',
]


@settings(FUZZ, max_examples=30)
@given(
    content=st.one_of(
        st.sampled_from(RAW_FILES),
        broken_instances().map(lambda d: json.dumps(d).encode()),
        st.builds(lambda key, value: (json.dumps(VALID)[:-1] + f', "{key}": '
                                      + json.dumps(value) + "}").encode(),
                  st.sampled_from(["format", "tour", "requests", "speakers", "pinned"]),
                  st.one_of(malformed_date(), st.just([]), st.just(None))),
    ),
    previous=st.one_of(st.none(), json_values()),
)
@example(content=RAW_FILES[1], previous=None)
@example(content=RAW_FILES[2], previous=None)
@example(content=json.dumps(VALID).encode(), previous=[{"request": 1}])
@example(content=json.dumps(VALID).encode(), previous={"assignments": [[]]})
@example(content=json.dumps(VALID).encode(), previous={"assignments": [{"date": "2027-02-30"}]})
@example(content=json.dumps(VALID_V2).encode(), previous={"request": ["x"]})
@example(content=json.dumps(VALID_V2).encode(),
         previous={"assignments": [{"request": ["x"], "speaker": "sp-1", "date": "2027-03-03"}]})
def test_the_solve_command_exits_0_or_2_with_one_line_never_a_traceback(
    capsys, file_with, tmp_path, content, previous
):
    args = [file_with(content), "--time-limit", "2", "--workers", "1"]
    if previous is not None:
        previous_path = tmp_path / "previous.json"
        previous_path.write_text(json.dumps(previous), encoding="utf-8")
        args += ["--previous", str(previous_path)]
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    if code == 0:
        solution = json.loads(out)
        assert check_solution(json.loads(content), solution) == [] or solution["status"] in (
            "INFEASIBLE", "UNKNOWN")
    else:
        assert code == 2
        assert err.startswith("error: ") and err.count("\n") == 1, err


def test_python_m_scheduler_solver_answers_deeply_nested_json_with_exit_2_and_one_line(
    file_with,
):
    """The real interpreter and entry point, on the file that overflows the JSON parser's stack."""
    result = subprocess.run(
        [sys.executable, "-m", "scheduler.solver", file_with(RAW_FILES[1]), "--time-limit", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr

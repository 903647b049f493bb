"""The solver benchmark: generated instances, the by-hand baseline, the solver as a subprocess.

For each size it generates the instance with a fixed seed, builds the baseline, runs
``python -m scheduler.solver`` as a child process and measures its wall time, the time to its
first solution (from its ``--progress`` lines) and the peak memory of it and its own child
processes (bench/maxrss.py), then checks both schedules with the independent checker.
Prints a table and writes it as JSON to bench/results/.

Usage: bench/run [--sizes small,medium,metro-medium] [--time-limit S] [--workers 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.baseline import solve_by_hand
from bench.generate import SIZES, generate
from scheduler.solver.checker import check_solution

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MAXRSS = ROOT / "bench" / "maxrss.py"
DEFAULT_TIME_LIMIT = {"small": 60, "medium": 60, "large": 60, "xl": 300, "metro-medium": 60,
                      "metro-large": 60}
# Past its time limit a solver gets this much grace before the benchmark kills it.
GRACE_SECONDS = 120
ELAPSED = re.compile(r"elapsed\D{0,3}(\d+(?:\.\d+)?)", re.IGNORECASE)
SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*s\b")


@dataclass
class Row:
    size: str
    requests: int
    speakers: int
    weeks: int
    status: str
    valid: bool
    violations: list[str]
    served_weight: int | None
    bound: int | None
    gap_percent: float | None
    baseline_valid: bool
    baseline_served_weight: int
    ratio_to_baseline: float | None
    preference_penalty: int | None
    travel_km: float | None
    first_solution_seconds: float | None
    first_solution_seconds_from_launch: float | None
    wall_seconds: float
    peak_memory_mib: float
    exit_code: int
    time_limit: float


@dataclass
class ChildRun:
    exit_code: int
    wall_seconds: float
    peak_memory_mib: float
    progress: list[tuple[float, str]]  # (seconds since launch, line)
    stderr_tail: list[str]


def run_child(command: list[str], timeout: float) -> ChildRun:
    """Run ``command``, timestamp its stderr lines and measure the peak memory of it and its
    child processes.

    The command runs under bench/maxrss.py, a bare interpreter that reports the peak memory of the
    command and its own child processes: measured from this (large) process instead, every child
    would inherit this process's size as its starting peak. The whole process group is killed on
    timeout.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".maxrss") as report:
        wrapped = [sys.executable, "-S", str(MAXRSS), report.name, "--", *command]
        started = time.monotonic()
        child = subprocess.Popen(
            wrapped,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        watchdog = threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL))
        watchdog.start()
        lines: list[tuple[float, str]] = []
        try:
            for line in child.stderr:
                lines.append((time.monotonic() - started, line.rstrip("\n")))
            exit_code = child.wait()
        finally:
            watchdog.cancel()
            child.stderr.close()
        wall = time.monotonic() - started
        peak_kib = int(report.read().strip() or 0)
    return ChildRun(
        exit_code=exit_code,
        wall_seconds=wall,
        peak_memory_mib=peak_kib / 1024,  # Linux reports KiB
        progress=lines,
        stderr_tail=[text for _, text in lines[-5:]],
    )


def first_solution_seconds(progress: list[tuple[float, str]]) -> tuple[float | None, float | None]:
    """(seconds the solver reports on its first progress line, seconds since launch it arrived)."""
    for arrived, line in progress:
        match = ELAPSED.search(line) or SECONDS.search(line)
        if match:
            return float(match.group(1)), arrived
    return None, None


def bench_size(size: str, seed: int, time_limit: float, workers: int, stamp: str) -> Row:
    n_requests, n_speakers, weeks, _ = SIZES[size]
    instance = generate(size, seed)
    folder = RESULTS / stamp
    folder.mkdir(parents=True, exist_ok=True)
    instance_path = folder / f"{size}-seed{seed}.json"
    solution_path = folder / f"{size}-seed{seed}.solution.json"
    instance_path.write_text(json.dumps(instance, indent=1, ensure_ascii=False))

    baseline = solve_by_hand(instance)
    (folder / f"{size}-seed{seed}.baseline.json").write_text(json.dumps(baseline, indent=1))
    baseline_valid = not check_solution(instance, baseline)
    base_served = baseline["objective"]["served_weight"]

    command = [
        sys.executable,
        "-m",
        "scheduler.solver",
        str(instance_path),
        "--time-limit",
        f"{time_limit:g}",
        "--workers",
        str(workers),
        "--seed",
        str(seed),
        "--progress",
        "--out",
        str(solution_path),
    ]
    print(f"[{size}] solving: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    child = run_child(command, time_limit + GRACE_SECONDS)
    (folder / f"{size}-seed{seed}.progress.txt").write_text(
        "".join(f"{t:8.2f} {line}\n" for t, line in child.progress)
    )
    reported_first, arrived_first = first_solution_seconds(child.progress)

    solution = None
    if child.exit_code == 0 and solution_path.exists():
        solution = json.loads(solution_path.read_text())
    if solution is None:
        problems = [f"solver exited {child.exit_code}: {' | '.join(child.stderr_tail)}"]
        served = bound = penalty = travel = None
        status = "ERROR"
    else:
        problems = [v.message for v in check_solution(instance, solution)]
        objective = solution.get("objective") or {}
        served = objective.get("served_weight")
        penalty = objective.get("preference_penalty")
        travel = objective.get("travel_km")
        bound = (solution.get("bound") or {}).get("served_weight")
        status = solution.get("status", "?")
    gap = None
    if served and bound is not None:
        gap = round(100 * (bound - served) / bound, 2) if bound else 0.0
    return Row(
        size=size,
        requests=n_requests,
        speakers=n_speakers,
        weeks=weeks,
        status=status,
        valid=solution is not None and not problems,
        violations=problems,
        served_weight=served,
        bound=bound,
        gap_percent=gap,
        baseline_valid=baseline_valid,
        baseline_served_weight=base_served,
        ratio_to_baseline=round(served / base_served, 3) if served and base_served else None,
        preference_penalty=penalty,
        travel_km=travel,
        first_solution_seconds=reported_first,
        first_solution_seconds_from_launch=(
            round(arrived_first, 2) if arrived_first is not None else None
        ),
        wall_seconds=round(child.wall_seconds, 2),
        peak_memory_mib=round(child.peak_memory_mib, 1),
        exit_code=child.exit_code,
        time_limit=time_limit,
    )


COLUMNS = [
    ("size", "size", "{}"),
    ("valid", "valid", "{}"),
    ("status", "status", "{}"),
    ("served", "served_weight", "{}"),
    ("bound", "bound", "{}"),
    ("gap %", "gap_percent", "{:.2f}"),
    ("baseline", "baseline_served_weight", "{}"),
    ("x base", "ratio_to_baseline", "{:.2f}"),
    ("pref pen", "preference_penalty", "{}"),
    ("travel km", "travel_km", "{:.1f}"),
    ("first s", "first_solution_seconds", "{:.2f}"),
    ("first s*", "first_solution_seconds_from_launch", "{:.2f}"),
    ("wall s", "wall_seconds", "{:.1f}"),
    ("peak MiB", "peak_memory_mib", "{:.0f}"),
]


def table(rows: list[Row]) -> str:
    cells = [[title for title, _, _ in COLUMNS]]
    for row in rows:
        values = asdict(row)
        cells.append(
            ["-" if values[key] is None else fmt.format(values[key]) for _, key, fmt in COLUMNS]
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(
        "gap % = (bound - served) / bound; x base = served / baseline served; first s = solver's "
        "own elapsed on its first --progress line, first s* = since process launch"
    )
    return "\n".join(lines)


# Issue 15's targets on a 2-core machine with 2 workers: (size, what, test, limit)
TARGETS = [
    ("medium", "served >= 1.4 x baseline", "ratio_to_baseline", 1.4, ">="),
    ("large", "served >= 1.4 x baseline", "ratio_to_baseline", 1.4, ">="),
    ("xl", "served >= 1.3 x baseline", "ratio_to_baseline", 1.3, ">="),
    ("large", "first solution <= 2 s", "first_solution_seconds", 2.0, "<="),
    ("xl", "peak memory < 2 GiB", "peak_memory_mib", 2048.0, "<"),
    ("medium", "gap <= 3 %", "gap_percent", 3.0, "<="),
    ("large", "gap <= 3 %", "gap_percent", 3.0, "<="),
    ("xl", "gap <= 6 %", "gap_percent", 6.0, "<="),
]
_COMPARE = {">=": float.__ge__, "<=": float.__le__, "<": float.__lt__}


def target_report(rows: list[Row]) -> list[str]:
    """A line per target of issue 15 for the sizes run: met or missed, with the value. Nothing is
    met by an invalid solution."""
    by_size = {r.size: asdict(r) for r in rows}
    lines = [f"{r.size}: every solution valid: {'met' if r.valid else 'MISSED'}" for r in rows]
    for size, what, key, limit, op in TARGETS:
        if size not in by_size:
            continue
        value = by_size[size][key]
        valid = by_size[size]["valid"]
        met = valid and value is not None and _COMPARE[op](float(value), limit)
        note = "" if valid else ", invalid solution"
        lines.append(f"{size}: {what}: {'met' if met else 'MISSED'} ({value}{note})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated (default all)")
    parser.add_argument(
        "--time-limit", type=float, help="seconds per instance (default 60; xl 300)"
    )
    parser.add_argument("--workers", type=int, default=2, help="solver workers (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="instance and solver seed (default 1)")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}; choose from {', '.join(SIZES)}")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    rows = []
    for size in sizes:
        limit = args.time_limit or DEFAULT_TIME_LIMIT[size]
        rows.append(bench_size(size, args.seed, limit, args.workers, stamp))
        print(table(rows[-1:]), file=sys.stderr, flush=True)
        for problem in rows[-1].violations[:10]:
            print(f"  INVALID {size}: {problem}", file=sys.stderr)
    print(table(rows))
    targets = target_report(rows)
    print("\n".join(targets))
    report = {
        "when": stamp,
        "workers": args.workers,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "rows": [asdict(r) for r in rows],
        "targets": targets,
    }
    out = RESULTS / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"written {out.relative_to(ROOT)}")
    return 0 if all(r.valid and r.baseline_valid for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Does the solver keep its time limit? For each tour and limit, run ``python -m scheduler.solver``
as a child process and compare its wall time with the limit (issue 16's target: at most
1.1 x limit + 2 s), checking the answer with the independent checker.

Two wall times: the process's, from launch to exit (the interpreter and OR-Tools start, reading
the file), and the solver's own (``wall_seconds`` in the solution, from the call of ``solve``),
which is what the limit is about. The load average is read when each run ends: the machine is
shared, and a loaded one is slower.

Usage: python -m bench.time_limits [--tours small,xl,2000x50x26] [--limits 3,5,10] [--workers 2]
A tour is a benchmark size (bench/generate.py) or REQUESTSxSPEAKERSxWEEKS, generated with the seed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from bench.generate import SIZES, generate, generate_instance
from bench.run import run_child
from scheduler.solver.checker import check_solution

GRACE_SECONDS = 120  # past its limit a run is killed after this long


def tour(name: str, seed: int) -> dict:
    if name in SIZES:
        return generate(name, seed)
    requests, speakers, weeks = (int(part) for part in name.split("x"))
    return generate_instance(requests, speakers, weeks, min(8, speakers), seed,
                             name=f"Bench {name} seed {seed}")


def measure(name: str, data: dict, limit: float, workers: int, seed: int, folder: Path) -> dict:
    instance = folder / f"{name}.json"
    if not instance.exists():
        instance.write_text(json.dumps(data))
    out = folder / f"{name}-{limit:g}.solution.json"
    command = [sys.executable, "-m", "scheduler.solver", str(instance), "--time-limit",
               f"{limit:g}", "--workers", str(workers), "--seed", str(seed), "--out", str(out)]
    child = run_child(command, limit + GRACE_SECONDS)
    load = os.getloadavg()[0]
    row = {"tour": name, "limit": limit, "wall": round(child.wall_seconds, 2),
           "solver": None, "status": "ERROR", "valid": False, "served": None, "bound": None,
           "load": round(load, 2), "target": round(1.1 * limit + 2, 2)}
    if child.exit_code == 0 and out.exists():
        solution = json.loads(out.read_text())
        row.update(solver=round(solution["wall_seconds"], 2), status=solution["status"],
                   valid=not check_solution(data, solution),
                   served=solution["objective"]["served_weight"],
                   bound=solution["bound"]["served_weight"])
    row["kept"] = row["solver"] is not None and row["wall"] <= row["target"]
    return row


COLUMNS = ["tour", "limit", "target", "solver", "wall", "kept", "status", "valid", "served",
           "bound", "load"]


def table(rows: list[dict]) -> str:
    cells = [COLUMNS] + [["-" if r[c] is None else str(r[c]) for c in COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("target = 1.1 x limit + 2; solver = the solution's wall_seconds (from the call of "
                 "solve); wall = the process, launch to exit; load = 1-min load average at the end")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tours", default="small,medium,large,xl")
    parser.add_argument("--limits", default="3,5,10", help="seconds, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.tours.split(","):
            data = tour(name, args.seed)
            for limit in (float(x) for x in args.limits.split(",")):
                rows.append(measure(name, data, limit, args.workers, args.seed, Path(tmp)))
                print(table(rows[-1:]).splitlines()[2], file=sys.stderr, flush=True)
    print(table(rows))
    return 0 if all(r["kept"] and r["valid"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

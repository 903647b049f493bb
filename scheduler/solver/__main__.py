"""Solve a tour-format instance from the command line.

    python -m scheduler.solver INSTANCE.json [--time-limit S] [--workers N] [--seed N]
        [--out FILE] [--progress] [--previous SOLUTION.json]

Writes the solution JSON (speaker-tour-solution/2) to stdout (or ``--out``). Bad input, the
instance or the previous solution, exits with status 2 and a one-line message naming the place,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from scheduler.solver import (
    InstanceError,
    Progress,
    parse_instance,
    parse_previous_solution,
    solve,
)


def _load(path: str, what: str) -> object:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise InstanceError(f"{path}: cannot read {what}: {e.strerror or e}") from None
    except (ValueError, RecursionError) as e:  # bad bytes or JSON, a huge number, deep nesting
        raise InstanceError(f"{path}: not JSON ({e})") from None


def _print_progress(p: Progress) -> None:
    print(f"{p.elapsed:8.2f}s  served {p.served_weight}  bound {p.bound}  gap {p.gap:.2%}  "
          f"[{p.phase}]", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None, prog: str = "python -m scheduler.solver") -> int:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Schedule a speaker tour with CP-SAT.")
    parser.add_argument("instance", help="tour instance JSON (speaker-tour/1 or /2)")
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="seconds for the whole search (default 60)")
    parser.add_argument("--workers", type=int, default=None,
                        help="CP-SAT workers (default: the number of cores)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", help="write the solution here instead of stdout")
    parser.add_argument("--progress", action="store_true",
                        help="print a line per improving solution to stderr")
    parser.add_argument("--previous",
                        help="a previous solution JSON to change as little as possible")
    args = parser.parse_args(argv)
    if args.time_limit < 0 or (args.workers is not None and args.workers < 1):
        print("error: --time-limit must be >= 0 and --workers >= 1", file=sys.stderr)
        return 2
    try:
        inst = parse_instance(_load(args.instance, "the instance"))
        previous = None
        if args.previous:
            try:
                previous = parse_previous_solution(_load(args.previous, "the previous solution"))
            except InstanceError as e:
                raise InstanceError(f"{args.previous}: not a solution: {e}") from None
        solution = solve(inst, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                         previous=previous,
                         on_progress=_print_progress if args.progress else None)
    except InstanceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = json.dumps(solution.to_dict(), indent=2) + "\n"
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            print(f"error: {args.out}: cannot write: {e.strerror or e}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The schedule a coordinator makes by hand, as the benchmark's point of comparison.

Pinned assignments first, then requests first come, first served (the order they arrived in),
each on its best-ranked date with the first speaker (in list order) who can take it without
breaking a hard rule given what is already placed. No look-ahead and no second thoughts: that is
what the solver has to beat.

Usage: python -m bench.baseline INSTANCE.json [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from scheduler.solver.checker import (
    SAME_DAY_KM,
    compute_objective,
    haversine_km,
    rules_of,
)

# No two points on Earth are further apart than half its circumference (6371.0 km radius).
MAX_DISTANCE_KM = math.pi * 6371.0


class SpeakerDiary:
    """What one speaker already has, with the question a coordinator asks: can they take this?"""

    def __init__(self, speaker: dict, rules: dict):
        self.speaker = speaker
        self.rules = rules
        self.languages = set(speaker.get("languages") or ["en"])
        self.unavailable = {date.fromisoformat(d) for d in speaker.get("unavailable", [])}
        self.max_events = speaker.get("max_events")
        self.by_day: dict[date, list[tuple[float, float]]] = defaultdict(list)
        self.per_week: dict[tuple[int, int], int] = defaultdict(int)
        self.count = 0
        # Beyond this many days apart no two venues can break the travel rule (H4).
        self.horizon = math.ceil(MAX_DISTANCE_KM / rules["max_km_per_day"])

    def can_take(self, day: date, where: tuple[float, float], language: str) -> bool:
        """True when adding an event at ``where`` on ``day`` keeps H2-H7 for this speaker."""
        if language not in self.languages or day in self.unavailable:
            return False
        if self.max_events is not None and self.count >= self.max_events:
            return False
        same_day = self.by_day.get(day, [])
        if len(same_day) >= self.rules["max_events_per_day"]:
            return False
        if any(haversine_km(*where, *other) > SAME_DAY_KM for other in same_day):
            return False
        if self.per_week[day.isocalendar()[:2]] >= self.rules["max_events_per_week"]:
            return False
        if not same_day and self._run_through(day) > self.rules["max_consecutive_days"]:
            return False
        return self._travel_ok(day, where)

    def take(self, day: date, where: tuple[float, float]) -> None:
        self.by_day[day].append(where)
        self.per_week[day.isocalendar()[:2]] += 1
        self.count += 1

    def _run_through(self, day: date) -> int:
        """Length of the run of worked days ``day`` would join."""
        length = 1
        for step in (-1, 1):
            other = day + timedelta(step)
            while self.by_day.get(other):
                length += 1
                other += timedelta(step)
        return length

    def _travel_ok(self, day: date, where: tuple[float, float]) -> bool:
        km_per_day = self.rules["max_km_per_day"]
        for offset in range(1, self.horizon + 1):
            for other_day in (day - timedelta(offset), day + timedelta(offset)):
                for other in self.by_day.get(other_day, ()):
                    if haversine_km(*where, *other) > km_per_day * offset:
                        return False
        return True


def solve_by_hand(instance: dict) -> dict:
    """A valid tour-format solution built the way a coordinator would, one request at a time."""
    started = time.perf_counter()
    rules = rules_of(instance)
    start = date.fromisoformat(instance["tour"]["start"])
    end = date.fromisoformat(instance["tour"]["end"])
    diaries = [SpeakerDiary(s, rules) for s in instance["speakers"]]
    by_id = {d.speaker["id"]: d for d in diaries}
    requests = {r["id"]: r for r in instance["requests"]}
    assignments: list[dict] = []
    placed: set[str] = set()

    for pin in instance.get("pinned") or []:
        request = requests[pin["request"]]
        by_id[pin["speaker"]].take(date.fromisoformat(pin["date"]), _where(request))
        assignments.append(dict(pin))
        placed.add(pin["request"])

    unassigned = []
    for request in instance["requests"]:
        if request["id"] in placed:
            continue
        choices = sorted(request["dates"], key=lambda c: (c.get("rank", 1), c["date"]))
        days = [date.fromisoformat(c["date"]) for c in choices]
        days = [d for d in days if start <= d <= end]
        taken = _first_fit(request, days, diaries)
        if taken:
            diary, day = taken
            diary.take(day, _where(request))
            assignments.append(
                {"request": request["id"], "speaker": diary.speaker["id"], "date": day.isoformat()}
            )
        else:
            unassigned.append({"request": request["id"], "reason": _reason(request, days, diaries)})

    objective = compute_objective(instance, assignments)
    return {
        "format": "speaker-tour-solution/1",
        "status": "FEASIBLE",
        "assignments": assignments,
        "unassigned": unassigned,
        "objective": objective,
        # A by-hand schedule proves nothing better: the only bound is serving everyone.
        "bound": {"served_weight": sum(r.get("priority", 1) for r in instance["requests"])},
        "wall_seconds": round(time.perf_counter() - started, 3),
    }


def _where(request: dict) -> tuple[float, float]:
    return float(request["venue"]["lat"]), float(request["venue"]["lon"])


def _first_fit(request: dict, days: list[date], diaries: list[SpeakerDiary]):
    language = request.get("language", "en")
    where = _where(request)
    for day in days:
        for diary in diaries:
            if diary.can_take(day, where, language):
                return diary, day
    return None


def _reason(request: dict, days: list[date], diaries: list[SpeakerDiary]) -> str:
    language = request.get("language", "en")
    if not days:
        return "no offered date inside the tour"
    speaking = [d for d in diaries if language in d.languages]
    if not speaking:
        return f"no speaker speaks {language}"
    if all(day in d.unavailable for d in speaking for day in days):
        return "every speaker who speaks the language is unavailable on every offered date"
    return "taken first come, first served: every able speaker was already booked nearby"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="tour-format instance JSON")
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    with open(args.instance, encoding="utf-8") as f:
        solution = solve_by_hand(json.load(f))
    text = json.dumps(solution, indent=1) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

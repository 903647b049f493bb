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
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from scheduler.solver.checker import SOLUTION_FORMAT, compute_objective, limits_of, rules_of
from scheduler.solver.geo import EARTH_RADIUS_KM, haversine_km

# No two points on Earth are further apart than half its circumference.
MAX_DISTANCE_KM = math.pi * EARTH_RADIUS_KM


@dataclass(frozen=True)
class _Talk:
    day: date
    start: datetime  # UTC
    end: datetime
    where: tuple[float, float]


class SpeakerDiary:
    """What one speaker already has, with the question a coordinator asks: can they take this?
    Every hard rule of the format is asked, the way a careful coordinator with a map, a clock
    and the speaker's own pace would."""

    def __init__(self, speaker: dict, rules: dict, start: date, end: date):
        self.speaker = speaker
        self.rules = rules
        self.limits = limits_of(speaker, rules)
        self.start, self.end = start, end
        self.languages = set(speaker.get("languages") or ["en"])
        self.unavailable = {date.fromisoformat(d) for d in speaker.get("unavailable", [])}
        self.max_events = speaker.get("max_events")
        home = speaker.get("home") or {}
        self.home = (home.get("lat"), home.get("lon"))
        self.by_day: dict[date, list[_Talk]] = defaultdict(list)
        self.per_week: dict[tuple[int, int], int] = defaultdict(int)
        self.count = 0
        # Beyond this many days apart no two venues can break the travel rule (H4).
        self.horizon = math.ceil(MAX_DISTANCE_KM / rules["max_km_per_day"])

    def can_take(self, talk: _Talk, language: str) -> bool:
        """True when adding ``talk`` keeps H2-H7, H9 and H10 for this speaker."""
        day, rules, limits = talk.day, self.rules, self.limits
        if language not in self.languages or day in self.unavailable:
            return False
        if self.max_events is not None and self.count >= self.max_events:
            return False
        same_day = self.by_day.get(day, [])
        if len(same_day) >= rules["max_events_per_day"]:
            return False
        if not all(self._same_day_ok(talk, other) for other in same_day):
            return False
        week_cap = limits["max_events_per_week"]
        if week_cap is not None and self.per_week[day.isocalendar()[:2]] >= week_cap:
            return False
        run_cap = limits["max_consecutive_days"]
        if not same_day and run_cap is not None and self._run_through(day) > run_cap:
            return False
        if rules["travel_from_home"] and not self._home_ok(talk):
            return False
        if not self._week_km_ok(talk):
            return False
        return self._travel_ok(talk)

    def take(self, talk: _Talk) -> None:
        self.by_day[talk.day].append(talk)
        self.per_week[talk.day.isocalendar()[:2]] += 1
        self.count += 1

    def _same_day_ok(self, a: _Talk, b: _Talk) -> bool:
        km = haversine_km(*a.where, *b.where)
        if km > self.rules["same_day_km"] or a.start == b.start:
            return False
        first, second = (a, b) if a.start < b.start else (b, a)
        gap = timedelta(minutes=self.rules["turnaround_minutes"],
                        hours=km / self.rules["same_day_speed_kmh"])
        return second.start >= first.end + gap

    def _home_ok(self, talk: _Talk) -> bool:
        if self.home[0] is None:
            return True
        km = haversine_km(*self.home, *talk.where)
        per_day = self.rules["max_km_per_day"]
        return (km <= per_day * ((talk.day - self.start).days + 1)
                and km <= per_day * ((self.end - talk.day).days + 1))

    def _week_km_ok(self, talk: _Talk) -> bool:
        cap = self.limits["max_km_per_week"]
        if cap is None:
            return True
        week = talk.day.isocalendar()[:2]
        talks = [t for d, lst in self.by_day.items() if d.isocalendar()[:2] == week for t in lst]
        talks = sorted([*talks, talk], key=lambda t: (t.day, t.start))
        km = sum(haversine_km(*a.where, *b.where) for a, b in zip(talks, talks[1:],
                                                                 strict=False))
        return km <= cap

    def _run_through(self, day: date) -> int:
        """Length of the run of worked days ``day`` would join."""
        length = 1
        for step in (-1, 1):
            other = day + timedelta(step)
            while self.by_day.get(other):
                length += 1
                other += timedelta(step)
        return length

    def _travel_ok(self, talk: _Talk) -> bool:
        km_per_day = self.rules["max_km_per_day"]
        for offset in range(1, self.horizon + 1):
            for other_day in (talk.day - timedelta(offset), talk.day + timedelta(offset)):
                for other in self.by_day.get(other_day, ()):
                    if haversine_km(*talk.where, *other.where) > km_per_day * offset:
                        return False
        return True


def solve_by_hand(instance: dict) -> dict:
    """A valid tour-format solution built the way a coordinator would, one request at a time."""
    started = perf_counter()
    rules = rules_of(instance)
    start = date.fromisoformat(instance["tour"]["start"])
    end = date.fromisoformat(instance["tour"]["end"])
    diaries = [SpeakerDiary(s, rules, start, end) for s in instance["speakers"]]
    by_id = {d.speaker["id"]: d for d in diaries}
    requests = {r["id"]: r for r in instance["requests"]}
    assignments: list[dict] = []
    placed: set[str] = set()

    for pin in instance.get("pinned") or []:
        request = requests[pin["request"]]
        by_id[pin["speaker"]].take(_talk(request, date.fromisoformat(pin["date"]),
                                         instance["tour"]))
        assignments.append(dict(pin))
        placed.add(pin["request"])

    unassigned = []
    for request in instance["requests"]:
        if request["id"] in placed:
            continue
        choices = sorted(request["dates"], key=lambda c: (c.get("rank", 1), c["date"]))
        days = [date.fromisoformat(c["date"]) for c in choices]
        days = [d for d in days if start <= d <= end]
        taken = _first_fit(request, days, diaries, instance["tour"])
        if taken:
            diary, day, talk = taken
            diary.take(talk)
            assignments.append(
                {"request": request["id"], "speaker": diary.speaker["id"], "date": day.isoformat()}
            )
        else:
            unassigned.append({"request": request["id"], "reason": _reason(request, days, diaries)})

    objective = compute_objective(instance, assignments)
    return {
        "format": SOLUTION_FORMAT,
        "status": "FEASIBLE",
        "assignments": assignments,
        "unassigned": unassigned,
        "objective": objective,
        # A by-hand schedule proves nothing better: the only bound is serving everyone.
        "bound": {"served_weight": sum(r.get("priority", 1) for r in instance["requests"])},
        "wall_seconds": round(perf_counter() - started, 3),
    }


def _where(request: dict) -> tuple[float, float]:
    return float(request["venue"]["lat"]), float(request["venue"]["lon"])


def _talk(request: dict, day: date, tour: dict) -> _Talk:
    """The talk of ``request`` on ``day`` with its instants from the venue's clock."""
    zone = ZoneInfo(request["venue"].get("timezone") or tour.get("timezone") or "UTC")
    clock = time.fromisoformat(request.get("start_time", "19:00"))
    start = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
    return _Talk(day, start, start + timedelta(minutes=request.get("duration_minutes", 90)),
                 _where(request))


def _first_fit(request: dict, days: list[date], diaries: list[SpeakerDiary], tour: dict):
    language = request.get("language", "en")
    for day in days:
        talk = _talk(request, day, tour)
        for diary in diaries:
            if diary.can_take(talk, language):
                return diary, day, talk
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
    return ("taken first come, first served: every able speaker was already booked nearby, "
            "too far from home or at their weekly limits")


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

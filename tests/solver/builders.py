"""Small tour-format instances built in the test that uses them, and an independent brute force.

Every speaker lives at the base point (``at(0)``) unless a test says otherwise, and every venue
keeps America/Chicago's clock. Coordinates are written as km north of the base point (1 degree of
latitude is 111.19 km on the format's sphere), so a test reads as "600 km apart" rather than as
latitudes.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BASE_LAT, BASE_LON = 38.0, -97.0
KM_PER_DEGREE = 6371.0 * math.pi / 180
TOUR_START = date(2027, 3, 1)  # a Monday


def day(n: int) -> str:
    """The ISO date ``n`` days after the tour start (day(0) is Monday 2027-03-01)."""
    return (TOUR_START + timedelta(days=n)).isoformat()


def at(km_north: float) -> dict:
    return {"lat": BASE_LAT + km_north / KM_PER_DEGREE, "lon": BASE_LON}


def speaker(sid: str, **kw) -> dict:
    return {"id": sid, "name": f"Speaker {sid}", "home": at(0), **kw}


def request(rid: str, dates: list[str], km: float = 0.0, **kw) -> dict:
    return {
        "id": rid,
        "chapter": f"Chapter {rid}",
        "venue": {"name": f"Hall {rid}", **at(km), "timezone": "America/Chicago"},
        "dates": [{"date": d, "rank": i + 1} for i, d in enumerate(dates)],
        **kw,
    }


def instance(requests: list[dict], speakers: list[dict] | None = None, days: int = 28,
             pinned: list[dict] | None = None, **rules) -> dict:
    return {
        "format": "speaker-tour/1",
        "tour": {"name": "Test tour", "start": day(0), "end": day(days - 1),
                 "timezone": "America/Chicago"},
        "rules": rules,
        "speakers": speakers if speakers is not None else [speaker("sp-1")],
        "requests": requests,
        "pinned": pinned or [],
    }


def haversine(a: dict, b: dict) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _instant(req: dict, d: date) -> datetime:
    clock = time.fromisoformat(req.get("start_time", "19:00"))
    return datetime.combine(d, clock, tzinfo=ZoneInfo(req["venue"]["timezone"])).astimezone(UTC)


def _valid(inst: dict, plan: list[tuple[dict, dict, date]]) -> bool:
    """H1-H10 for a plan of (request, speaker, date), written from the format text alone."""
    rules = {"max_km_per_day": 650, "max_events_per_day": 1, "max_events_per_week": 5,
             "max_consecutive_days": 4, "same_day_km": 100, "same_day_speed_kmh": 50,
             "turnaround_minutes": 45, "travel_from_home": True, "max_km_per_week": None,
             **inst.get("rules", {})}
    start = date.fromisoformat(inst["tour"]["start"])
    end = date.fromisoformat(inst["tour"]["end"])
    for req, spk, d in plan:
        if not start <= d <= end or d.isoformat() not in {c["date"] for c in req["dates"]}:
            return False
        if d.isoformat() in spk.get("unavailable", []):
            return False
        if req.get("language", "en") not in spk.get("languages", ["en"]):
            return False
        if rules["travel_from_home"]:
            km = haversine(spk["home"], req["venue"])
            per_day = rules["max_km_per_day"]
            if km > per_day * ((d - start).days + 1) or km > per_day * ((end - d).days + 1):
                return False
    placed = {(req["id"], spk["id"], d.isoformat()) for req, spk, d in plan}
    for pin in inst.get("pinned", []):
        if (pin["request"], pin["speaker"], pin["date"]) not in placed:
            return False
    for spk in inst["speakers"]:
        own = sorted(((req, d) for req, s, d in plan if s is spk),
                     key=lambda e: (e[1], _instant(e[0], e[1])))
        limit = {k: spk[k] if k in spk else rules[k] for k in
                 ("max_events_per_week", "max_consecutive_days", "max_km_per_week")}
        if spk.get("max_events") is not None and len(own) > spk["max_events"]:
            return False
        if any(n > rules["max_events_per_day"] for n in Counter(d for _, d in own).values()):
            return False
        weeks = Counter(d.isocalendar()[:2] for _, d in own)
        if limit["max_events_per_week"] is not None and any(
                n > limit["max_events_per_week"] for n in weeks.values()):
            return False
        for (ra, da), (rb, db) in itertools.combinations(own, 2):
            km = haversine(ra["venue"], rb["venue"])
            gap = abs((db - da).days)
            if gap > 0 and km > rules["max_km_per_day"] * gap:
                return False
            if gap == 0:
                sa, sb = _instant(ra, da), _instant(rb, db)
                ready = (sa + timedelta(minutes=ra.get("duration_minutes", 90)
                                        + rules["turnaround_minutes"])
                         + timedelta(hours=km / rules["same_day_speed_kmh"]))
                if km > rules["same_day_km"] or sa == sb or sb < ready:
                    return False
        worked = {d for _, d in own}
        for d in worked:
            run = 1
            while d + timedelta(days=run) in worked:
                run += 1
            if limit["max_consecutive_days"] is not None and run > limit["max_consecutive_days"]:
                return False
        if limit["max_km_per_week"] is not None:
            for week in weeks:
                mine = [req for req, d in own if d.isocalendar()[:2] == week]
                km = sum(haversine(a["venue"], b["venue"])
                         for a, b in zip(mine, mine[1:], strict=False))
                if km > limit["max_km_per_week"]:
                    return False
    return True


def brute_force_weight(inst: dict) -> int:
    """The best served weight over every possible plan (tiny instances only)."""
    choices = []
    for req in inst["requests"]:
        opts = [None] + [(spk, date.fromisoformat(c["date"]))
                         for spk in inst["speakers"] for c in req["dates"]]
        choices.append(opts)
    best = -1
    for combo in itertools.product(*choices):
        plan = [(req, o[0], o[1]) for req, o in zip(inst["requests"], combo, strict=True) if o]
        weight = sum(req.get("priority", 1) for req, _, _ in plan)
        if weight > best and _valid(inst, plan):
            best = weight
    return best

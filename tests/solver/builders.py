"""Small tour-format instances built in the test that uses them, and an independent brute force.

Coordinates are written as km north of a base point (1 degree of latitude is 111.19 km on the
format's sphere), so a test reads as "600 km apart" rather than as latitudes.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import date, timedelta

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
        "venue": {"name": f"Hall {rid}", **at(km)},
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


def _valid(inst: dict, plan: list[tuple[dict, dict, date]]) -> bool:
    """H1-H8 for a plan of (request, speaker, date), written from the format text alone."""
    rules = {"max_km_per_day": 650, "max_events_per_day": 1, "max_events_per_week": 5,
             "max_consecutive_days": 4, **inst.get("rules", {})}
    start = date.fromisoformat(inst["tour"]["start"])
    end = date.fromisoformat(inst["tour"]["end"])
    for req, spk, d in plan:
        if not start <= d <= end or d.isoformat() not in {c["date"] for c in req["dates"]}:
            return False
        if d.isoformat() in spk.get("unavailable", []):
            return False
        if req.get("language", "en") not in spk.get("languages", ["en"]):
            return False
    placed = {(req["id"], spk["id"], d.isoformat()) for req, spk, d in plan}
    for pin in inst.get("pinned", []):
        if (pin["request"], pin["speaker"], pin["date"]) not in placed:
            return False
    for spk in inst["speakers"]:
        own = [(req, d) for req, s, d in plan if s is spk]
        if spk.get("max_events") is not None and len(own) > spk["max_events"]:
            return False
        if any(n > rules["max_events_per_day"] for n in Counter(d for _, d in own).values()):
            return False
        weeks = Counter(d.isocalendar()[:2] for _, d in own)
        if any(n > rules["max_events_per_week"] for n in weeks.values()):
            return False
        for (ra, da), (rb, db) in itertools.combinations(own, 2):
            km = haversine(ra["venue"], rb["venue"])
            gap = abs((db - da).days)
            if (gap == 0 and km > 100) or (gap > 0 and km > rules["max_km_per_day"] * gap):
                return False
        worked = {d for _, d in own}
        for d in worked:
            run = 1
            while d + timedelta(days=run) in worked:
                run += 1
            if run > rules["max_consecutive_days"]:
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

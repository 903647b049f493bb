"""Small valid speaker-tour instances (/1, and /2 with every key the format allows) and ways to
break them, shared by the import and solver fuzz tests."""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from tests.fuzz.strategies import json_values

VALID = {
    "format": "speaker-tour/1",
    "tour": {"name": "Fuzz Tour", "start": "2027-03-01", "end": "2027-04-25",
             "timezone": "America/New_York"},
    "rules": {"max_km_per_day": 650, "max_events_per_day": 1, "max_events_per_week": 5,
              "max_consecutive_days": 4},
    "speakers": [
        {"id": "sp-1", "name": "Speaker A", "home": {"lat": 34.05, "lon": -118.24},
         "languages": ["en", "ko"], "unavailable": ["2027-03-14"], "max_events": 40},
        {"id": "sp-2", "name": "Speaker B", "home": {"lat": 40.71, "lon": -74.0},
         "languages": ["en"]},
    ],
    "requests": [
        {"id": "rq-1", "chapter": "LiNK at UCLA",
         "venue": {"name": "Royce Hall", "lat": 34.0729, "lon": -118.4422,
                   "timezone": "America/Los_Angeles"},
         "dates": [{"date": "2027-03-03", "rank": 1}, {"date": "2027-03-04", "rank": 2}],
         "start_time": "19:00", "duration_minutes": 90, "priority": 2, "language": "en",
         "preferred_speakers": ["sp-1"]},
        {"id": "rq-2", "chapter": "LiNK at NYU",
         "venue": {"name": "Kimmel Center", "lat": 40.7295, "lon": -73.9965,
                   "timezone": "America/New_York"},
         "dates": [{"date": "2027-03-10", "rank": 1}],
         "start_time": "18:30", "duration_minutes": 60, "priority": 1, "language": "ko"},
    ],
    "pinned": [{"request": "rq-2", "speaker": "sp-1", "date": "2027-03-10"}],
}


# the same tour in speaker-tour/2, every new key present: the clock, home, weekly driving and
# the speakers' own pace (one of them without any weekly cap of talks)
VALID_V2 = copy.deepcopy(VALID)
VALID_V2["format"] = "speaker-tour/2"
VALID_V2["rules"].update(same_day_km=100, same_day_speed_kmh=50, turnaround_minutes=45,
                         travel_from_home=True, max_km_per_week=4000)
VALID_V2["speakers"][0].update(max_events_per_week=3, max_consecutive_days=2,
                               max_km_per_week=None)
VALID_V2["speakers"][1].update(max_events_per_week=None)


def paths(value, prefix=()) -> list[tuple]:
    """Every place in a JSON value: each key of each object and each item of each list."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found.extend(paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((*prefix, index))
            found.extend(paths(inner, (*prefix, index)))
    return found


PATHS = paths(VALID)
PATHS_V2 = paths(VALID_V2)


def changed(path: tuple, new, delete: bool = False, base: dict = VALID) -> dict:
    """``base`` with the value at ``path`` replaced by ``new`` (or removed)."""
    data = copy.deepcopy(base)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return data


@st.composite
def broken_instances(draw, base: dict = VALID) -> dict:
    """``base`` with one value of the wrong type or shape, or one key missing."""
    path = draw(st.sampled_from(PATHS if base is VALID else paths(base)))
    if draw(st.booleans()):
        return changed(path, None, delete=True, base=base)
    return changed(path, draw(json_values()), base=base)

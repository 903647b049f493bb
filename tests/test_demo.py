"""The demo: a realistic open tour, loaded once by `make run`, that the solver accepts."""

import json
from datetime import date, timedelta

from scheduler import gazetteer
from scheduler.demo import DEMO_EMAIL, METRO, demo_window, load_demo
from scheduler.extensions import db
from scheduler.models import CoordinatorUser, RequestState, Tour, TourState
from scheduler.services.proposal import tour_instance
from scheduler.services.requests import closed_reason
from scheduler.solver import parse_instance
from scheduler.tour_format import import_tour


def tours() -> list[Tour]:
    return list(db.session.execute(db.select(Tour)).scalars())


def test_demo_command_loads_the_tour_and_prints_a_working_login(runner, client):
    result = runner.invoke(args=["demo"], env={"DEMO_PASSWORD": "demo-password-1"})
    assert result.exit_code == 0, result.output
    assert DEMO_EMAIL in result.output
    assert "demo-password-1" in result.output
    tour, under_way = tours()
    assert tour.name == "Jamadang Tour (demo)"
    assert under_way.name == "Jamadang Tour, autumn (demo, under way)"
    assert tour.state == TourState.OPEN
    assert len(tour.speakers) == 6
    assert 60 <= len(tour.requests) <= 70
    response = client.post(
        "/coordinator/login", data={"email": DEMO_EMAIL, "password": "demo-password-1"}
    )
    assert response.status_code == 302
    assert client.get(f"/coordinator/tours/{tour.slug}/requests").status_code == 200


def test_demo_password_is_random_without_the_environment_variable(runner, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    printed = runner.invoke(args=["demo"]).output
    password = printed.split("password:")[1].split()[0]
    assert len(password) >= 12
    user = db.session.execute(db.select(CoordinatorUser).filter_by(email=DEMO_EMAIL)).scalar_one()
    assert user.check_password(password)


def test_if_empty_loads_once_and_then_says_it_did_nothing(runner):
    first = runner.invoke(args=["demo", "--if-empty"], env={"DEMO_PASSWORD": "pw-123456789"})
    second = runner.invoke(args=["demo", "--if-empty"], env={"DEMO_PASSWORD": "pw-123456789"})
    assert first.exit_code == second.exit_code == 0
    assert "Loaded" in first.output
    assert "not loaded" in second.output
    assert len(tours()) == 2  # the demo and the demo under way


def test_if_empty_leaves_a_database_with_any_tour_alone(runner, make):
    make.tour()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in result.output
    assert [tour.slug for tour in tours()] == ["spring-2027"]


def test_demo_window_is_eight_weeks_from_a_monday_weeks_ahead():
    for today in (date(2026, 11, 23), date(2027, 2, 28), date(2027, 12, 31)):
        start, end = demo_window(today)
        assert start.isoweekday() == 1
        assert 21 <= (start - today).days < 28
        assert (end - start).days + 1 == 56


def test_demo_content_is_realistic(app):
    tour = load_demo(date(2026, 11, 23))
    requests = tour.requests
    languages = {speaker.display_name: speaker.languages for speaker in tour.speakers}
    assert all(name.startswith("Speaker ") for name in languages)
    assert all(s.full_name and s.contact_email.endswith("@example.org") for s in tour.speakers)
    assert all(s.unavailable_dates for s in tour.speakers)
    assert {"en", "ko"} <= {code for codes in languages.values() for code in codes}
    assert len({r.city for r in requests}) >= 50
    for request in requests:
        city = gazetteer.lookup(request.city)
        assert city is not None, request.city
        assert request.timezone == city.timezone
        assert abs(request.lat - city.lat) < 0.05 and abs(request.lon - city.lon) < 0.05
        assert 1 <= len(request.choices) <= 5
        assert [c.rank for c in request.choices] == list(range(1, len(request.choices) + 1))
        assert request.dates_in_tour, "every choice lies inside the window"
        assert all(tour.start <= c.first_date <= c.last_date <= tour.end for c in request.choices)
        assert 1 <= request.priority <= 5
        assert all(request.language in s.languages for s in request.preferred_speakers)
    korean = [r for r in requests if r.language == "ko"]
    assert 3 <= len(korean) <= 20
    assert any(r.preferred_speakers for r in requests)
    assert any(r.notes for r in requests)
    assert {len(r.choices) for r in requests} >= {1, 2, 3}
    ranges = [c for r in requests for c in r.choices if c.first_date != c.last_date]
    singles = [c for r in requests for c in r.choices if c.first_date == c.last_date]
    assert len(ranges) >= 10 and len(singles) >= 10
    assert len({r.priority for r in requests}) == 5
    assert any(r.state == RequestState.WITHDRAWN for r in requests)


def test_demo_is_the_same_every_time_apart_from_its_dates(app):
    def content(tour):
        return [
            (
                r.chapter.name,
                r.city,
                r.lat,
                r.priority,
                r.language,
                r.notes,
                [
                    (
                        c.rank,
                        (c.first_date - tour.start).days,
                        (c.last_date - tour.start).days,
                        c.weekdays,
                    )
                    for c in r.choices
                ],
            )
            for r in tour.requests
        ]

    first = load_demo(date(2026, 11, 23))
    second = load_demo(date(2027, 5, 4))
    assert second.slug == "jamadang-tour-demo-2"
    assert content(first) == content(second)
    assert first.start != second.start


def test_demo_export_parses_with_the_solver_and_round_trips(app):
    tour = load_demo(date(2026, 11, 23))
    exported = tour_instance(tour)
    instance = parse_instance(exported)
    submitted = [r for r in tour.requests if r.state == RequestState.SUBMITTED]
    assert len(instance.requests) == len(submitted)
    assert len(instance.speakers) == 6
    text = json.dumps(exported, indent=2, ensure_ascii=False)
    again = json.dumps(tour_instance(import_tour(json.loads(text))), indent=2, ensure_ascii=False)
    assert again == text


def test_demo_tour_accepts_requests_today(app):
    tour = load_demo()
    assert closed_reason(tour) is None
    assert tour.start - date.today() >= timedelta(days=21)


def test_demo_speakers_live_across_the_country_under_a_weekly_cap(app):
    tour = load_demo(date(2026, 11, 23))
    assert tour.max_km_per_week == 2000 and tour.travel_from_home
    assert tour.max_events_per_day == 2
    zones = {gazetteer.lookup(s.home_city).timezone for s in tour.speakers}
    assert {"America/Los_Angeles", "America/Chicago", "America/New_York"} <= zones
    assert any(s.max_events_per_week is not None for s in tour.speakers)  # someone's own pace


def test_demo_boston_campuses_ask_for_the_same_days_at_different_hours(app):
    tour = load_demo(date(2026, 11, 23))
    names = {f"LiNK at {campus[0]}" for campus in METRO}
    metro = [r for r in tour.requests if r.chapter.name in names]
    assert len(metro) == len(METRO) >= 4
    assert all(r.city.endswith("Massachusetts") for r in metro)
    assert len({tuple(r.offered_dates) for r in metro}) == 1  # the same days, same order
    assert len({r.start_time for r in metro}) == len(metro)  # each at its own hour


def test_the_solved_demo_is_drivable_by_the_independent_checker(app):
    """The issue's target: no first talk out of a speaker's reach from home, no week over the
    cap, and (the metro) a speaker giving two talks on one day."""
    from scheduler.solver import haversine_km, solve
    from scheduler.solver.checker import check_solution

    tour = load_demo(date(2026, 11, 23))
    instance = tour_instance(tour)
    solution = solve(parse_instance(instance), time_limit=10, workers=1).to_dict()

    assert check_solution(instance, solution) == []  # H1-H10, with H9 (home) and H10 (week)
    requests = {r["id"]: r for r in instance["requests"]}
    start = date.fromisoformat(instance["tour"]["start"])
    days = {}
    for speaker in instance["speakers"]:
        own = sorted(
            (a for a in solution["assignments"] if a["speaker"] == speaker["id"]),
            key=lambda a: a["date"],
        )
        if not own:
            continue
        first = requests[own[0]["request"]]["venue"]
        home = speaker["home"]
        km = haversine_km(home["lat"], home["lon"], first["lat"], first["lon"])
        driving_days = (date.fromisoformat(own[0]["date"]) - start).days + 1
        assert km <= instance["rules"]["max_km_per_day"] * driving_days, speaker["name"]
        for a in own:
            days.setdefault((a["speaker"], a["date"]), []).append(a["request"])
    assert any(len(talks) >= 2 for talks in days.values())
    assert len(solution["assignments"]) >= 0.8 * len(instance["requests"])

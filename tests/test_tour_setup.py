"""Setting up a tour and its speakers: what is saved, and what bad input is told beside its field
(input kept, nothing saved, never a server error)."""

from datetime import date

import pytest
from sqlalchemy import select

from scheduler.coordinator.forms import parse_unavailable
from scheduler.extensions import db
from scheduler.models import (
    RequestState,
    ScheduleVersion,
    Speaker,
    SpeakerUnavailability,
    Tour,
    TourState,
)
from scheduler.solving import runs
from scheduler.solving.execute import run_solve

TOUR_FORM = {
    "name": "Jamadang Tour Fall 2027",
    "slug": "",
    "description": "Twelve weeks across the West Coast.",
    "start": "2027-09-06",
    "end": "2027-11-26",
    "timezone_choice": "America/Los_Angeles",
    "timezone_other": "",
    "max_km_per_day": "600",
    "max_events_per_day": "1",
    "max_events_per_week": "4",
    "max_consecutive_days": "3",
    "same_day_km": "80",
    "same_day_speed_kmh": "45",
    "turnaround_minutes": "30",
    "travel_from_home": "y",
    "max_km_per_week": "1800",
    "request_deadline": "2027-08-15",
    "state": "open",
}
SPEAKER_FORM = {
    "display_name": "Joseph",
    "full_name": "Kim Joseph Private",
    "home_city": "Seattle, Washington",
    "home_lat": "",
    "home_lon": "",
    "languages": ["en", "ko"],
    "unavailable": "2027-03-14 family visit\n2027-03-20",
    "max_events": "12",
    "max_events_per_week": "3",
    "max_consecutive_days": "",
    "max_km_per_week": "1200",
    "contact_email": "Joseph@Example.org",
    "contact_phone": "+1 206 555 0100",
    "locale": "ko",
}


def tour_named(slug):
    return db.session.execute(select(Tour).filter_by(slug=slug)).scalar_one_or_none()


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def logged_in(auth):
    auth.login()


# -- tours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/coordinator/tours/new", "/coordinator/tours/spring-2027",
             "/coordinator/tours/spring-2027/edit", "/coordinator/tours/spring-2027/speakers"]
)
def test_setup_pages_require_login(client, make, path):
    make.tour()
    response = client.get(path)
    assert response.status_code == 302 and "/coordinator/login" in response.location


def test_dashboard_links_to_tours_and_to_creating_one(client, logged_in, make):
    make.tour()
    html = page(client.get("/coordinator/"))
    assert 'href="/coordinator/tours/new"' in html
    assert 'href="/coordinator/tours/spring-2027"' in html


def test_new_tour_is_saved_with_its_rules_and_a_slug_from_its_name(client, logged_in):
    response = client.post("/coordinator/tours/new", data=TOUR_FORM)
    assert response.status_code == 302
    assert response.location == "/coordinator/tours/jamadang-tour-fall-2027"
    tour = tour_named("jamadang-tour-fall-2027")
    assert (tour.start, tour.end, tour.timezone) == (
        date(2027, 9, 6), date(2027, 11, 26), "America/Los_Angeles"
    )
    assert (tour.max_km_per_day, tour.max_events_per_week, tour.max_consecutive_days) == (600, 4, 3)
    assert tour.request_deadline == date(2027, 8, 15) and tour.state == TourState.OPEN
    assert (
        tour.same_day_km,
        tour.same_day_speed_kmh,
        tour.turnaround_minutes,
        tour.travel_from_home,
        tour.max_km_per_week,
    ) == (80, 45, 30, True, 1800)


def test_the_new_tour_form_proposes_a_weekly_cap_and_explains_each_rule(client, logged_in):
    html = page(client.get("/coordinator/tours/new"))
    assert 'name="max_km_per_week" step="any" type="number" value="2000"' in html
    assert "Two talks on one day are at most this far apart." in html
    assert "Leave blank for no cap." in html
    assert "is home again the day after the last" in html


def test_a_cleared_weekly_cap_and_an_unticked_home_rule_are_saved(client, logged_in):
    data = {**TOUR_FORM, "max_km_per_week": ""}
    del data["travel_from_home"]
    assert client.post("/coordinator/tours/new", data=data).status_code == 302
    tour = tour_named("jamadang-tour-fall-2027")
    assert tour.max_km_per_week is None and tour.travel_from_home is False
    overview = page(client.get(f"/coordinator/tours/{tour.slug}"))
    assert "no cap" in overview


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2027-09-01"}, "The last day must not be before the first day."),
        ({"end": "2029-12-31"}, "A tour lasts at most 366 days."),
        ({"start": "not a date"}, "Not a valid date value."),
        ({"timezone_choice": "other", "timezone_other": "Mars/Olympus"},
         "&#34;Mars/Olympus&#34; is not a time zone name"),
        ({"timezone_choice": "other", "timezone_other": ""}, "Type a time zone"),
        ({"request_deadline": "2027-12-01"}, "Requests must close by the tour&#39;s last day."),
        ({"max_km_per_day": "far"}, "Not a valid float value."),
        ({"max_events_per_week": "0"}, "Number must be between 1 and 70."),
        ({"same_day_km": "-1"}, "Number must be between 0 and 1000."),
        ({"same_day_speed_kmh": ""}, "This field is required."),
        ({"turnaround_minutes": "soon"}, "Not a valid integer value."),
        ({"max_km_per_week": "0"}, "Number must be between 1 and 20000."),
        ({"slug": "Bad Slug!"}, "Use lowercase letters, digits and single hyphens."),
        ({"name": ""}, "This field is required."),
        ({"state": "published"}, "Not a valid choice."),
    ],
)
def test_bad_tour_input_is_refused_beside_its_field_and_kept(client, logged_in, changes, message):
    response = client.post("/coordinator/tours/new", data={**TOUR_FORM, **changes})
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Twelve weeks across the West Coast." in html  # what was typed is still there
    assert db.session.scalar(select(db.func.count(Tour.id))) == 0


def test_another_zone_typed_by_name_is_accepted(client, logged_in):
    data = {**TOUR_FORM, "timezone_choice": "other", "timezone_other": "America/Puerto_Rico"}
    assert client.post("/coordinator/tours/new", data=data).status_code == 302
    assert tour_named("jamadang-tour-fall-2027").timezone == "America/Puerto_Rico"


def test_a_slug_already_taken_is_refused(client, logged_in, make):
    make.tour(slug="fall")
    response = client.post("/coordinator/tours/new", data={**TOUR_FORM, "slug": "fall"})
    assert "Another tour already uses &#34;fall&#34;." in page(response)
    assert db.session.scalar(select(db.func.count(Tour.id))) == 1


def test_editing_shows_the_stored_tour_and_saves_changes(client, logged_in, make):
    make.tour(timezone="America/Puerto_Rico")
    html = page(client.get("/coordinator/tours/spring-2027/edit"))
    assert 'value="America/Puerto_Rico"' in html and '<option selected value="other">' in html
    data = {**TOUR_FORM, "slug": "spring-2027", "name": "Spring, renamed", "state": "closed"}
    response = client.post("/coordinator/tours/spring-2027/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    tour = tour_named("spring-2027")
    assert (tour.name, tour.state, tour.timezone) == (
        "Spring, renamed", TourState.CLOSED, "America/Los_Angeles"
    )


def test_a_refused_edit_changes_nothing(client, logged_in, make):
    make.tour()
    data = {**TOUR_FORM, "slug": "spring-2027", "name": "Changed", "end": "2027-01-01"}
    response = client.post("/coordinator/tours/spring-2027/edit", data=data)
    assert response.status_code == 200 and "Changed" in page(response)
    db.session.expire_all()
    assert tour_named("spring-2027").name == "Jamadang Tour Spring 2027"


def test_overview_sums_up_requests_speakers_solve_and_publication(client, logged_in, make):
    tour = make.tour()
    make.speaker(tour)
    make.request(tour)
    make.request(tour, dates=(date(2027, 3, 12),), state=RequestState.WITHDRAWN)
    run = run_solve(runs.start(tour, 5, "coord@example.org").id)
    db.session.add(ScheduleVersion(tour=tour, number=3, published_by="lead@example.org"))
    db.session.commit()
    html = page(client.get("/coordinator/tours/spring-2027"))
    assert "1 withdrawn" in html and f"Run #{run.id}" in html and "served 1 of 1" in html
    assert "v3" in html and "lead@example.org" in html
    for section in ("Overview", "Speakers", "Solve"):
        assert f">{section}</a>" in html


def test_unknown_tour_is_not_found(client, logged_in):
    assert client.get("/coordinator/tours/nope").status_code == 404
    assert client.get("/coordinator/tours/nope/speakers/new").status_code == 404


# -- speakers -------------------------------------------------------------------------------


def test_speaker_home_comes_from_the_city_and_every_field_is_saved(client, logged_in, make):
    make.tour()
    response = client.post("/coordinator/tours/spring-2027/speakers/new", data=SPEAKER_FORM)
    assert response.status_code == 302
    speaker = db.session.scalars(select(Speaker)).one()
    assert speaker.home_city == "Seattle, Washington"
    assert speaker.home_lat == pytest.approx(47.61, abs=0.05)
    assert speaker.home_lon == pytest.approx(-122.33, abs=0.05)
    assert speaker.languages == ["en", "ko"] and speaker.locale == "ko"
    assert speaker.max_events == 12 and speaker.contact_email == "joseph@example.org"
    own_pace = (speaker.max_events_per_week, speaker.max_consecutive_days, speaker.max_km_per_week)
    assert own_pace == (3, None, 1200)  # blank: the tour's
    assert speaker.own_limit("max_consecutive_days") == 4 and speaker.uncapped == []
    assert [(u.date, u.note) for u in speaker.unavailability] == [
        (date(2027, 3, 14), "family visit"),
        (date(2027, 3, 20), ""),
    ]


def test_a_speaker_may_have_no_cap_of_their_own(client, logged_in, make):
    make.tour(max_km_per_week=2000.0)
    data = {**SPEAKER_FORM, "max_km_per_week": "", "uncapped": ["max_km_per_week"]}
    assert client.post("/coordinator/tours/spring-2027/speakers/new", data=data).status_code == 302
    speaker = db.session.scalars(select(Speaker)).one()
    assert speaker.weekly_km_cap is None and speaker.own_limit("max_events_per_week") == 3
    form = page(client.get(f"/coordinator/tours/spring-2027/speakers/{speaker.id}/edit"))
    ticked = 'checked id="uncapped-2" name="uncapped" type="checkbox" value="max_km_per_week"'
    assert ticked in form


def test_typed_coordinates_win_over_an_unknown_city(client, logged_in, make):
    make.tour()
    data = {**SPEAKER_FORM, "home_city": "Somewhere small", "home_lat": "44.5", "home_lon": "-89.5"}
    assert client.post("/coordinator/tours/spring-2027/speakers/new", data=data).status_code == 302
    speaker = db.session.scalars(select(Speaker)).one()
    assert (speaker.home_lat, speaker.home_lon) == (44.5, -89.5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"home_city": "Atlantis"}, "City not found."),
        ({"home_lat": "40.1"}, "Give both latitude and longitude, or neither."),
        ({"home_lat": "100", "home_lon": "0"}, "Number must be between -90 and 90."),
        ({"languages": []}, "Tick at least one language."),
        ({"unavailable": "2027-03-14\n2027-02-30 oops"},
         "Line 2: &#34;2027-02-30&#34; is not a date (YYYY-MM-DD)."),
        ({"max_events": "many"}, "Not a valid integer value."),
        ({"max_events_per_week": "0"}, "Number must be between 1 and 70."),
        ({"max_km_per_week": "lots"}, "Not a valid float value."),
        ({"uncapped": ["max_km_per_week"]}, "Give a number or tick “no cap”, not both."),
        ({"contact_email": "not-an-address"}, "Invalid email address."),
        ({"display_name": ""}, "This field is required."),
    ],
)
def test_bad_speaker_input_is_refused_beside_its_field_and_kept(
    client, logged_in, make, changes, message
):
    make.tour()
    response = client.post(
        "/coordinator/tours/spring-2027/speakers/new", data={**SPEAKER_FORM, **changes}
    )
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert "Kim Joseph Private" in html
    assert db.session.scalar(select(db.func.count(Speaker.id))) == 0


def test_editing_a_speaker_keeps_dates_still_listed_with_who_marked_them(client, logged_in, make):
    tour = make.tour()
    speaker = make.speaker(tour, home_city="Los Angeles, California", home_lat=34.05223,
                           home_lon=-118.24368)
    speaker.unavailability = [
        SpeakerUnavailability(date=date(2027, 3, 14), note="doctor", marked_by="speaker"),
        SpeakerUnavailability(date=date(2027, 3, 15)),
    ]
    db.session.commit()
    url = f"/coordinator/tours/spring-2027/speakers/{speaker.id}/edit"
    html = page(client.get(url))
    assert "2027-03-14 doctor\n2027-03-15" in html
    data = {**SPEAKER_FORM, "home_city": "Chicago, Illinois",
            "unavailable": "2027-03-14 doctor\n2027-04-01 conference"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert [(u.date, u.note, u.marked_by) for u in speaker.unavailability] == [
        (date(2027, 3, 14), "doctor", "speaker"),
        (date(2027, 4, 1), "conference", "coordinator"),
    ]
    assert speaker.home_lat == pytest.approx(41.85, abs=0.1)  # the new city moved the home


def test_a_speaker_of_another_tour_is_not_found(client, logged_in, make):
    make.tour()
    other = make.tour(slug="other")
    speaker = make.speaker(other)
    response = client.get(f"/coordinator/tours/spring-2027/speakers/{speaker.id}/edit")
    assert response.status_code == 404


def test_speaker_list_shows_private_details_to_coordinators(client, logged_in, make):
    tour = make.tour()
    make.speaker(tour, unavailable=(date(2027, 3, 14),), max_events=9)
    html = page(client.get("/coordinator/tours/spring-2027/speakers"))
    assert "Speaker A" in html and "Kim Private" in html and "1 day" in html
    assert "at most 9" in html


def test_speaker_list_names_each_speakers_languages_not_their_codes(client, logged_in, make):
    make.speaker(make.tour(), languages=["en", "ko"])
    html = page(client.get("/coordinator/tours/spring-2027/speakers"))
    assert '<span class="badge">English</span>' in html
    assert '<span class="badge">Korean</span>' in html
    assert '<span class="badge">ko</span>' not in html


def test_unavailable_lines_merge_duplicates_and_skip_blank_lines():
    days, errors = parse_unavailable("2027-03-14 a\n\n  2027-03-14\n20270315\n2027-W10-1")
    assert days == {date(2027, 3, 14): "a"}
    assert errors == [
        'Line 4: "20270315" is not a date (YYYY-MM-DD).',
        'Line 5: "2027-W10-1" is not a date (YYYY-MM-DD).',
    ]

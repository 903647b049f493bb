"""The chapter journey through the test client: the request form's rules one by one, then the
private link (view, edit, withdraw), against a real SQLite file."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, Request, RequestState, TourState
from scheduler.services import requests as request_service

FORM_URL = "/tours/spring-2027/request"


class Page(HTMLParser):
    """What a person sees of a form page: field values, error messages and the text."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.errors: dict[str, list[str]] = {}
        self.attrs_by_name: dict[str, dict] = {}
        self._error_list = None
        self._textarea = None
        self._select = None
        self._in_li = False
        self.text = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.attrs_by_name[a["name"]] = a
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.values.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self.attrs_by_name[a["name"]] = a
            self._textarea = a["name"]
            self.values[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value"))
        elif tag == "ul" and "errors" in (a.get("class") or "").split():
            self._error_list = a["id"].removesuffix("-errors")
            self.errors[self._error_list] = []
        elif tag == "li" and self._error_list:
            self.errors[self._error_list].append("")
            self._in_li = True

    def handle_endtag(self, tag):
        if tag == "textarea":
            # As in browsers: the newline right after <textarea> is not part of the value.
            value = self.values[self._textarea][0]
            for newline in ("\r\n", "\n"):
                if value.startswith(newline):
                    self.values[self._textarea][0] = value[len(newline):]
                    break
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "ul":
            self._error_list = None
        elif tag == "li":
            self._in_li = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data
        if self._error_list and self._in_li:
            self.errors[self._error_list][-1] += data
        self.text.append(data)

    def value(self, name: str) -> str:
        return (self.values.get(name) or [""])[0]

    def error(self, field_id: str) -> str:
        return " ".join(self.errors.get(field_id, []))


def page_of(response) -> Page:
    return Page(response.get_data(as_text=True))


def form_data(**overrides) -> dict:
    """A complete, valid request; ``None`` leaves a field out."""
    data = {
        "chapter_name": "LiNK at Cornell",
        "school": "Cornell University",
        "contact_name": "Jo Student",
        "contact_email": "jo@cornell.edu",
        "contact_phone": "",
        "venue_name": "Goldwin Smith Hall",
        "venue_address": "232 Tower Rd",
        "city": "Ithaca, New York",
        "lat": "",
        "lon": "",
        "start_time": "19:00",
        "duration_minutes": "90",
        "expected_audience": "120",
        "language": "en",
        "notes": "",
        "choices-0-first_date": "2027-03-10",
        "choices-0-kind": "date",
        "choices-0-last_date": "",
        "choices-0-weekdays": list("1234567"),
    }
    for row in range(1, 5):
        data |= {f"choices-{row}-first_date": "", f"choices-{row}-kind": "date",
                 f"choices-{row}-last_date": "", f"choices-{row}-weekdays": list("1234567")}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stored_requests() -> list[Request]:
    return list(db.session.execute(db.select(Request)).scalars())


@pytest.fixture
def tour(make):
    return make.tour(
        start=date(2027, 3, 1), end=date(2027, 4, 25), request_deadline=date(2027, 1, 31)
    )


def submit(client, **overrides):
    return client.post(FORM_URL, data=form_data(**overrides))


def assert_refused(response, field_id: str, message: str, kept: dict):
    """Nothing saved; the message sits beside its field; what was typed is still there."""
    assert response.status_code == 400
    page = page_of(response)
    assert message in page.error(field_id), page.errors
    for name, value in kept.items():
        assert page.value(name) == value
    assert stored_requests() == []


# --- Tours -------------------------------------------------------------------------------------


def test_index_lists_only_tours_that_accept_requests(client, make):
    make.tour(name="Open Tour", slug="open")
    make.tour(name="Closed Tour", slug="closed", state=TourState.CLOSED)
    make.tour(name="Draft Tour", slug="draft", state=TourState.DRAFT)
    make.tour(name="Late Tour", slug="late", request_deadline=date(2026, 1, 1))
    text = client.get("/").get_data(as_text=True)
    assert "Open Tour" in text
    assert "/tours/open/request" in text
    for hidden in ("Closed Tour", "Draft Tour", "Late Tour"):
        assert hidden not in text


def test_tour_page_explains_the_window_and_links_the_form(client, tour):
    text = client.get("/tours/spring-2027").get_data(as_text=True)
    assert "March 1 to April 25, 2027" in text
    assert "Requests until:</strong> January 31, 2027" in text
    assert FORM_URL in text


def test_a_tour_across_new_year_gives_the_year_of_both_ends(client, make):
    make.tour(start=date(2026, 12, 21), end=date(2027, 2, 14), request_deadline=date(2026, 12, 14))
    for url in ("/", "/tours/spring-2027", FORM_URL):
        text = client.get(url).get_data(as_text=True)
        assert "December 21, 2026 to February 14, 2027" in text, url
        assert "December 21 to" not in text, url


def test_a_range_choice_across_new_year_gives_the_year_of_its_first_day(client, make):
    make.tour(start=date(2026, 12, 21), end=date(2027, 2, 14), request_deadline=date(2026, 12, 14))
    response = submit(
        client,
        **{"choices-0-kind": "range", "choices-0-first_date": "2026-12-28",
           "choices-0-last_date": "2027-01-05"},
    )
    assert response.status_code == 303
    text = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "from Mon, Dec 28, 2026 to Tue, Jan 5, 2027" in text


def test_a_date_outside_a_tour_across_new_year_is_refused_with_both_years(client, make):
    make.tour(start=date(2026, 12, 21), end=date(2027, 2, 14), request_deadline=date(2026, 12, 14))
    response = submit(client, **{"choices-0-first_date": "2027-12-21"})
    assert_refused(
        response, "choices-0-first_date",
        "Choose a date between December 21, 2026 and February 14, 2027 (the tour's dates).",
        {"choices-0-first_date": "2027-12-21"},
    )


def test_tour_page_says_when_the_tour_is_closed(client, make):
    make.tour(state=TourState.CLOSED)
    response = client.get("/tours/spring-2027")
    assert response.status_code == 200
    assert "This tour is closed" in response.get_data(as_text=True)
    assert FORM_URL not in response.get_data(as_text=True)


def test_an_unknown_tour_is_not_found(client, tour):
    assert client.get("/tours/nope").status_code == 404
    assert client.get("/tours/nope/request").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": TourState.DRAFT}, "This tour is not open for requests yet."),
        ({"state": TourState.CLOSED}, "This tour is closed"),
        ({"request_deadline": date(2026, 11, 1)}, "Requests for this tour closed on November 1"),
    ],
)
def test_a_tour_not_open_refuses_requests_with_a_clear_message(client, make, fields, message):
    make.tour(**fields)
    shown = client.get(FORM_URL)
    assert shown.status_code == 403
    assert message in shown.get_data(as_text=True)
    posted = submit(client)
    assert posted.status_code == 403
    assert message in posted.get_data(as_text=True)
    assert stored_requests() == []


# --- The form ----------------------------------------------------------------------------------


def test_form_states_limits_time_zone_rule_and_shows_five_choice_rows(client, tour):
    response = client.get(FORM_URL)
    page = page_of(response)
    text = response.get_data(as_text=True)
    assert page.attrs_by_name["chapter_name"]["maxlength"] == "200"
    assert page.attrs_by_name["notes"]["maxlength"] == "4000"
    assert "Up to 4,000 characters" in text
    assert "Local time at the venue" in text
    assert [page.value(f"choices-{row}-first_date") for row in range(5)] == [""] * 5
    assert "choices-5-first_date" not in page.attrs_by_name
    assert 'name="csrf_token"' in text


def test_valid_request_is_saved_and_confirmation_gives_the_private_link(client, tour):
    response = submit(
        client,
        **{"choices-1-first_date": "2027-03-10", "choices-1-kind": "week",
           "choices-1-weekdays": ["2", "3", "4"]},
    )
    assert response.status_code == 303
    [saved] = stored_requests()
    assert response.headers["Location"] == f"/r/{saved.token}/created"
    assert len(saved.token) >= 43  # 256 bits, URL-safe base64
    assert (saved.city, saved.timezone) == ("Ithaca, New York", "America/New_York")
    assert (round(saved.lat, 2), round(saved.lon, 2)) == (42.44, -76.5)
    assert [(c.rank, c.first_date, c.last_date, c.weekdays) for c in saved.choices] == [
        (1, date(2027, 3, 10), date(2027, 3, 10), "1234567"),
        (2, date(2027, 3, 8), date(2027, 3, 14), "234"),
    ]
    confirmation = client.get(response.headers["Location"])
    text = confirmation.get_data(as_text=True)
    assert f"http://localhost/r/{saved.token}" in text
    assert "Keep this private link" in text
    assert "any Tue, Wed, Thu of the week of March 8, 2027" in text


def test_empty_rows_are_ignored_and_ranks_follow_the_filled_rows(client, tour):
    response = submit(
        client,
        **{"choices-0-first_date": "", "choices-2-first_date": "2027-03-17",
           "choices-4-first_date": "2027-03-24"},
    )
    assert response.status_code == 303
    [saved] = stored_requests()
    assert [(c.rank, c.first_date) for c in saved.choices] == [
        (1, date(2027, 3, 17)), (2, date(2027, 3, 24))
    ]


def test_a_request_needs_at_least_one_date(client, tour):
    response = submit(client, **{"choices-0-first_date": ""})
    assert_refused(
        response, "choices", "Give at least one date.", {"chapter_name": "LiNK at Cornell"}
    )


def test_date_outside_the_tour_window_is_refused(client, tour):
    response = submit(client, **{"choices-0-first_date": "2027-05-20"})
    assert_refused(
        response, "choices-0-first_date",
        "Choose a date between March 1 and April 25, 2027",
        {"choices-0-first_date": "2027-05-20", "venue_name": "Goldwin Smith Hall"},
    )


def test_date_in_the_past_is_refused(client, make):
    today = date.today()
    make.tour(start=today - timedelta(days=30), end=today + timedelta(days=60))
    yesterday = today - timedelta(days=2)
    response = submit(client, **{"choices-0-first_date": yesterday.isoformat()})
    assert_refused(
        response, "choices-0-first_date", "is in the past",
        {"choices-0-first_date": yesterday.isoformat()},
    )


def test_the_same_dates_twice_are_refused(client, tour):
    response = submit(
        client,
        **{"choices-0-first_date": "2027-03-08", "choices-0-kind": "week",
           "choices-1-first_date": "2027-03-08", "choices-1-kind": "range",
           "choices-1-last_date": "2027-03-14"},
    )
    assert_refused(
        response, "choices-1-first_date", "Same dates as an earlier choice.",
        {"choices-1-first_date": "2027-03-08", "choices-1-last_date": "2027-03-14"},
    )


def test_more_than_five_choices_are_refused(client, tour):
    extra = {f"choices-{row}-first_date": f"2027-03-{10 + row}" for row in range(6)}
    response = submit(client, **extra)
    assert_refused(
        response, "choices", "Give at most 5 choices.", {"choices-0-first_date": "2027-03-10"}
    )


def test_range_with_no_allowed_day_in_the_window_is_refused(client, tour):
    response = submit(
        client,
        **{"choices-0-kind": "range", "choices-0-first_date": "2027-03-08",
           "choices-0-last_date": "2027-03-10", "choices-0-weekdays": ["6", "7"]},
    )
    assert_refused(
        response, "choices-0-weekdays", "None of the ticked days falls between",
        {"choices-0-last_date": "2027-03-10"},
    )
    assert page_of(response).values["choices-0-weekdays"] == ["6", "7"]


def test_week_with_every_day_unticked_is_refused(client, tour):
    response = submit(client, **{"choices-0-kind": "week", "choices-0-weekdays": None})
    assert_refused(response, "choices-0-weekdays", "Tick at least one day.", {})


def test_range_ending_before_it_starts_is_refused(client, tour):
    response = submit(
        client,
        **{"choices-0-kind": "range", "choices-0-first_date": "2027-03-12",
           "choices-0-last_date": "2027-03-09"},
    )
    assert_refused(
        response, "choices-0-last_date", "The last date is before the first date.",
        {"choices-0-first_date": "2027-03-12", "choices-0-last_date": "2027-03-09"},
    )


def test_range_without_a_last_date_is_refused(client, tour):
    response = submit(client, **{"choices-0-kind": "range"})
    assert_refused(response, "choices-0-last_date", "Give the last date of the range.", {})


def test_a_last_date_without_a_first_date_is_refused(client, tour):
    response = submit(
        client, **{"choices-1-kind": "range", "choices-1-last_date": "2027-03-12"}
    )
    assert_refused(
        response, "choices-1-first_date", "Give the date (or the first date of the range).",
        {"choices-1-last_date": "2027-03-12"},
    )


def test_unreadable_date_is_refused_with_the_input_kept(client, tour):
    response = submit(client, **{"choices-0-first_date": "next tuesday"})
    assert_refused(
        response, "choices-0-first_date", "Not a valid date value.",
        {"choices-0-first_date": "next tuesday"},
    )


def test_unknown_city_is_refused(client, tour):
    response = submit(client, city="Atlantis, Ohio")
    assert_refused(response, "city", "Unknown city.", {"city": "Atlantis, Ohio"})


@pytest.mark.parametrize(
    ("lat", "lon", "field", "message"),
    [
        ("42.45", "", "lon", "Give both latitude and longitude, or neither."),
        ("", "-76.48", "lat", "Give both latitude and longitude, or neither."),
        ("91", "-76.48", "lat", "Must be a number between -90 and 90."),
        ("42.45", "-181", "lon", "Must be a number between -180 and 180."),
        ("nan", "-76.48", "lat", "Must be a number between -90 and 90."),
        ("north", "-76.48", "lat", "Not a valid float value."),
        ("42.45", "76.48", "lat", "km from Ithaca, New York"),
    ],
)
def test_bad_coordinates_are_refused(client, tour, lat, lon, field, message):
    response = submit(client, lat=lat, lon=lon)
    assert_refused(response, field, message, {"lat": lat, "lon": lon})


def test_exact_coordinates_override_the_city(client, tour):
    assert submit(client, lat="42.4534", lon="-76.4735").status_code == 303
    [saved] = stored_requests()
    assert (saved.lat, saved.lon, saved.timezone) == (42.4534, -76.4735, "America/New_York")


def test_bad_email_is_refused(client, tour):
    response = submit(client, contact_email="jo at cornell")
    assert_refused(
        response, "contact_email", "Enter an email address like name@school.edu.",
        {"contact_email": "jo at cornell"},
    )


def test_missing_required_text_is_refused(client, tour):
    response = submit(client, venue_name="   ")
    assert_refused(
        response, "venue_name", "This field is required.", {"chapter_name": "LiNK at Cornell"}
    )


def test_text_over_its_stated_limit_is_refused(client, tour):
    response = submit(client, chapter_name="x" * 201)
    assert_refused(
        response, "chapter_name", "Use at most 200 characters (this has 201).",
        {"chapter_name": "x" * 201},
    )


def test_time_zone_of_a_known_city_is_named_on_the_form(client, tour):
    response = submit(
        client, city="Los Angeles, California", **{"choices-0-first_date": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "Local time at the venue: Pacific Time (Los Angeles, California)" in (
        response.get_data(as_text=True)
    )


def test_preferred_speakers_are_offered_by_display_name_only(client, tour, make):
    chosen = make.speaker(tour, display_name="Speaker Hope", full_name="Private Kim",
                          home_city="Secret Town", contact_email="hidden@example.org")
    other_tour = make.tour(slug="other", name="Other")
    stranger = make.speaker(other_tour, display_name="Other Tour Speaker")
    text = client.get(FORM_URL).get_data(as_text=True)
    assert "Speaker Hope" in text
    for private in ("Private Kim", "Secret Town", "hidden@example.org", "Other Tour Speaker"):
        assert private not in text
    refused = submit(client, preferred_speakers=[str(stranger.id)])
    assert refused.status_code == 400 and stored_requests() == []
    assert submit(client, preferred_speakers=[str(chosen.id)]).status_code == 303
    assert [s.display_name for s in stored_requests()[0].preferred_speakers] == ["Speaker Hope"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"choices-0-first_date": "2027-03-10"},
        {"duration_minutes": "9" * 400, "expected_audience": "-5", "start_time": "25:99"},
        {"choices-99999999999999999999-first_date": "2027-03-10", "choices-0-kind": "nope"},
        {"preferred_speakers": ["abc", "99999999999999999999"], "language": "xx"},
        {"lat": "1e400", "lon": "-1e400", "choices-0-weekdays": ["8", "x"]},
        {"city": "\x00Ithaca, New York", "notes": "a\x00b"},
    ],
)
def test_garbage_posts_are_refused_without_a_server_error(client, tour, body):
    response = client.post(FORM_URL, data=body)
    assert response.status_code == 400
    assert "Nothing was saved yet" in response.get_data(as_text=True)
    assert stored_requests() == []


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("application/json", b"5"),
        ("application/json", b"{not json"),
        ("application/x-www-form-urlencoded", b"\xff\xfe=%ff%fe&&=&chapter_name=%E0%80"),
        ("multipart/form-data; boundary=zz", b"--zz\r\ngarbage"),
        ("text/plain", b"\x00" * 1000),
    ],
)
def test_malformed_bodies_are_refused_without_a_server_error(client, tour, content_type, raw):
    response = client.post(FORM_URL, data=raw, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert stored_requests() == []


def test_huge_field_is_refused_without_a_server_error(client, tour):
    response = submit(client, notes="x" * 2_000_000)
    assert response.status_code in (400, 413)
    assert stored_requests() == []


# --- The private link --------------------------------------------------------------------------


@pytest.fixture
def saved(client, tour) -> Request:
    assert submit(client).status_code == 303
    return stored_requests()[0]


def test_private_pages_are_not_indexed_cached_or_referred(client, saved):
    for path in ("", "/created", "/edit", "/withdraw"):
        response = client.get(f"/r/{saved.token}{path}")
        assert response.status_code == 200
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["", "/created", "/edit", "/withdraw"])
def test_a_wrong_token_is_not_found(client, saved, path):
    assert client.get(f"/r/{saved.token[:-1]}x{path}").status_code == 404
    assert client.get(f"/r/{'a' * 500}{path}").status_code == 404
    assert client.post(f"/r/wrong{path}", data=form_data()).status_code in (404, 405)


def test_private_page_shows_the_request_and_nobody_elses(client, saved, make):
    make.request(saved.tour, chapter_name="Another Chapter", contact_email="other@x.edu")
    text = client.get(f"/r/{saved.token}").get_data(as_text=True)
    assert "LiNK at Cornell" in text and "Wed, Mar 10, 2027" in text
    assert "(Eastern Time)" in text and "America/New_York" not in text
    assert "Another Chapter" not in text and "other@x.edu" not in text


def test_the_private_page_gives_the_venue_by_name_address_and_city_not_coordinates(
    client, saved
):
    text = client.get(f"/r/{saved.token}").get_data(as_text=True)
    venue = text[text.index("<dt>Venue</dt>") : text.index("</dd>", text.index("<dt>Venue</dt>"))]
    assert "Goldwin Smith Hall, 232 Tower Rd" in venue and "Ithaca, New York" in venue
    assert f"{saved.lat:.4f}" not in venue and f"{saved.lon:.4f}" not in venue


def test_edit_form_is_prefilled_and_saves_changes(client, saved):
    page = page_of(client.get(f"/r/{saved.token}/edit"))
    assert page.value("venue_name") == "Goldwin Smith Hall"
    assert page.value("city") == "Ithaca, New York"
    assert page.value("choices-0-first_date") == "2027-03-10"
    assert page.value("lat") == ""  # the city's own coordinates are not "exact" ones
    response = client.post(
        f"/r/{saved.token}/edit",
        data=form_data(venue_name="Bailey Hall", **{"choices-0-first_date": "2027-03-11"}),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/r/{saved.token}"
    db.session.refresh(saved)
    assert saved.venue_name == "Bailey Hall"
    assert [c.first_date for c in saved.choices] == [date(2027, 3, 11)]
    assert len(stored_requests()) == 1


def test_edit_with_a_bad_date_keeps_the_stored_request(client, saved):
    response = client.post(
        f"/r/{saved.token}/edit",
        data=form_data(venue_name="Bailey Hall", **{"choices-0-first_date": "2027-06-01"}),
    )
    assert response.status_code == 400
    page = page_of(response)
    assert "Choose a date between" in page.error("choices-0-first_date")
    assert page.value("venue_name") == "Bailey Hall"
    db.session.refresh(saved)
    assert saved.venue_name == "Goldwin Smith Hall"


def test_editing_is_refused_once_the_tour_closes(client, saved):
    saved.tour.state = TourState.CLOSED
    db.session.commit()
    assert "Change this request" not in client.get(f"/r/{saved.token}").get_data(as_text=True)
    for response in (
        client.get(f"/r/{saved.token}/edit"),
        client.post(f"/r/{saved.token}/edit", data=form_data(venue_name="Changed")),
    ):
        assert response.status_code == 403
        assert "This tour is closed" in response.get_data(as_text=True)
    db.session.refresh(saved)
    assert saved.venue_name == "Goldwin Smith Hall"


def test_withdrawing_asks_first_then_withdraws(client, saved):
    confirm = client.get(f"/r/{saved.token}/withdraw")
    assert "Withdraw your request?" in confirm.get_data(as_text=True)
    db.session.refresh(saved)
    assert saved.state == RequestState.SUBMITTED
    response = client.post(f"/r/{saved.token}/withdraw")
    assert response.status_code == 303
    db.session.refresh(saved)
    assert saved.state == RequestState.WITHDRAWN
    text = client.get(f"/r/{saved.token}").get_data(as_text=True)
    assert "You withdrew this request." in text
    assert client.get(f"/r/{saved.token}/edit").status_code == 403


def test_withdrawing_cancels_a_confirmed_visit(client, saved, make):
    speaker = make.speaker(saved.tour)
    visit = make.assignment(saved, speaker, date(2027, 3, 10), sequence=2)
    db.session.commit()
    assert "is confirmed. Withdrawing cancels it." in client.get(
        f"/r/{saved.token}/withdraw").get_data(as_text=True)
    client.post(f"/r/{saved.token}/withdraw")
    db.session.refresh(visit)
    assert visit.state == AssignmentState.CANCELLED
    assert visit.sequence == 3
    assert visit.cancelled_at is not None


def test_after_publication_the_page_shows_date_local_time_and_speaker(client, saved, make):
    speaker = make.speaker(saved.tour, display_name="Speaker Hope", full_name="Private Kim",
                           contact_email="hidden@example.org")
    make.assignment(saved, speaker, date(2027, 3, 10))
    db.session.commit()
    text = client.get(f"/r/{saved.token}").get_data(as_text=True).replace("\u202f", " ")
    assert "Your event is confirmed" in text
    assert "Wednesday, March 10, 2027" in text
    assert "7:00 PM Eastern Time" in text and "America/New_York" not in text
    assert "Speaker Hope" in text
    assert "Private Kim" not in text and "hidden@example.org" not in text
    from scheduler.feeds.links import chapter_feed_links

    assert chapter_feed_links(saved).https in text


def test_a_proposed_but_unpublished_visit_is_not_shown(client, saved, make):
    speaker = make.speaker(saved.tour, display_name="Speaker Hope")
    make.assignment(saved, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    text = client.get(f"/r/{saved.token}").get_data(as_text=True)
    assert "Speaker Hope" not in text
    assert "Once the schedule is published" in text


def test_an_expired_form_is_shown_again_with_the_input_kept(app, client, tour):
    app.config["WTF_CSRF_ENABLED"] = True
    response = submit(client, venue_name="Bailey Hall")
    assert response.status_code == 400
    page = page_of(response)
    assert "This form had expired, so nothing was saved." in response.get_data(as_text=True)
    assert page.value("venue_name") == "Bailey Hall"
    assert page.value("csrf_token")
    assert stored_requests() == []



@pytest.mark.parametrize(
    "path", ["/tours/nope/request", "/r/wrong/edit", "/r/wrong/withdraw", "/r/{token}/withdraw"]
)
def test_posts_without_a_form_token_are_refused_plainly(app, client, saved, path):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(path.format(token=saved.token), data=form_data())
    assert response.status_code == 400
    assert "Nothing was changed." in response.get_data(as_text=True)
    db.session.refresh(saved)
    assert saved.state == RequestState.SUBMITTED

# --- The rules without HTTP (what scripts and other features call) -----------------------------


def draft(**fields) -> request_service.RequestDraft:
    fields.setdefault("choices", [request_service.ChoiceDraft("date", date(2027, 3, 10))])
    fields.setdefault("venue_name", "Goldwin Smith Hall")
    return request_service.RequestDraft(
        chapter_name="LiNK at Cornell", contact_name="Jo", contact_email="jo@cornell.edu",
        city="Ithaca, NY", **fields,
    )


def test_a_week_is_cut_to_the_tour_window_and_to_the_days_still_to_come(app, make):
    tour = make.tour(start=date(2027, 3, 3), end=date(2027, 4, 25))
    week = request_service.ChoiceDraft("week", date(2027, 3, 4), weekdays="12345")
    saved = request_service.create(tour, draft(choices=[week]), today=date(2027, 1, 5))
    assert (saved.choices[0].first_date, saved.choices[0].last_date) == (
        date(2027, 3, 3), date(2027, 3, 7)
    )
    assert saved.city == "Ithaca, New York"
    late = request_service.create(tour, draft(choices=[week]), today=date(2027, 3, 4))
    assert late.choices[0].first_date == date(2027, 3, 4)


def test_a_closed_tour_refuses_through_the_service_too(app, make):
    tour = make.tour(state=TourState.CLOSED)
    with pytest.raises(request_service.RequestRejected) as refused:
        request_service.create(tour, draft())
    assert "This tour is closed" in refused.value.errors["tour"][0]
    assert stored_requests() == []


def test_a_withdrawn_request_cannot_be_changed(app, make):
    tour = make.tour()
    saved = request_service.create(tour, draft())
    request_service.withdraw(saved)
    with pytest.raises(request_service.RequestRejected):
        request_service.update(saved, draft(venue_name="Elsewhere"))
    assert saved.venue_name == "Goldwin Smith Hall"


def test_a_blank_draft_names_every_missing_field(app, make):
    tour = make.tour()
    blank = request_service.RequestDraft(
        chapter_name="", contact_name=" ", contact_email="", venue_name="", city="", choices=[]
    )
    assert set(request_service.problems(tour, blank)) == {
        "chapter_name", "contact_name", "contact_email", "venue_name", "city", "choices"
    }


# --- One choice open, the city by name, the error summary --------------------------------------


def hidden_choice_rows(text: str) -> list[bool]:
    return [
        " hidden>" in tag or " hidden " in tag
        for tag in re.findall(r'<fieldset class="choice[^>]*>', text)
    ]


def test_the_empty_form_opens_one_choice_and_stays_small(client, tour):
    response = client.get(FORM_URL)
    text = response.get_data(as_text=True)
    assert hidden_choice_rows(text) == [False, True, True, True, True]
    assert 'name="add_choice"' in text and "Add another choice" in text
    assert "<option value=\"Ithaca, New York\">" not in text  # no list of every city
    assert len(response.data) < 60_000


def test_add_another_choice_without_javascript_keeps_what_was_typed(client, tour):
    response = client.post(FORM_URL, data=form_data(add_choice="1", shown_choices="1"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    page = page_of(response)
    assert hidden_choice_rows(text) == [False, False, True, True, True]
    assert page.value("shown_choices") == "2"
    assert page.value("venue_name") == "Goldwin Smith Hall"
    assert page.value("choices-0-first_date") == "2027-03-10"
    assert "autofocus" in page.attrs_by_name["choices-1-first_date"]
    assert page.errors == {} and "Nothing was saved yet" not in text
    assert stored_requests() == []

    again = client.post(
        FORM_URL, data=form_data(add_choice="1", shown_choices="4")
    ).get_data(as_text=True)
    assert hidden_choice_rows(again) == [False] * 5
    assert "Add another choice" not in again


def test_the_edit_form_opens_every_choice_the_request_has(client, tour):
    client.post(FORM_URL, data=form_data(**{"choices-1-first_date": "2027-03-17"}))
    [saved] = stored_requests()
    text = client.get(f"/r/{saved.token}/edit").get_data(as_text=True)
    assert hidden_choice_rows(text) == [False, False, True, True, True]


def test_a_city_name_only_one_city_has_is_enough(client, tour):
    response = submit(client, city="Ithaca")
    assert response.status_code == 303
    [saved] = stored_requests()
    assert (saved.city, saved.timezone) == ("Ithaca, New York", "America/New_York")


def test_a_name_several_cities_share_offers_them_to_choose_from(client, tour):
    response = submit(client, city="Springfield")
    assert_refused(response, "city", "Several cities are called Springfield", {
        "city": "Springfield"})
    page = page_of(response)
    assert "Springfield, Illinois" in page.error("city")
    text = response.get_data(as_text=True)
    assert '<option value="Springfield, Massachusetts">' in text  # offered in the city's list


def test_city_search_suggests_cities_as_they_are_typed(client):
    response = client.get("/cities?q=itha")
    assert response.get_json() == {"cities": ["Ithaca, New York"]}
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert client.get("/cities?q=springfield, i").get_json() == {
        "cities": ["Springfield, Illinois"]}
    assert client.get("/cities?q=x").get_json() == {"cities": []}


def test_the_error_summary_lists_and_links_every_marked_field(client, tour):
    response = submit(client, chapter_name="", contact_email="nope",
                      **{"choices-0-first_date": "2099-01-01"})
    text = response.get_data(as_text=True)
    summary = text[text.index('id="error-summary"'):text.index("</div>", text.index(
        'id="error-summary"'))]
    assert 'tabindex="-1"' in summary
    links = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary)
    assert [anchor for anchor, _ in links] == ["chapter_name", "contact_email",
                                              "choices-0-first_date"]
    assert links[1][1] == "Email: Enter an email address like name@school.edu."
    assert links[2][1].startswith("Choice 1, Date: Choose a date between")
    for anchor, _ in links:
        assert f'id="{anchor}"' in text


@pytest.mark.parametrize("shown", ["abc", "-3", "99999999999999999999999", "", "²"])
def test_a_tampered_count_of_open_choices_neither_blocks_nor_breaks_the_form(client, tour, shown):
    response = submit(client, shown_choices=shown)
    assert response.status_code == 303
    assert len(stored_requests()) == 1
    added = client.post(FORM_URL, data=form_data(add_choice="1", shown_choices=shown))
    assert added.status_code == 200
    assert 1 <= hidden_choice_rows(added.get_data(as_text=True)).count(False) <= 5

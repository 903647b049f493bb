"""The coordinator's request list: sort, filter, priority per row, CSV export, login."""

import csv
import io
import re
from datetime import date, datetime

import pytest

from scheduler.extensions import db
from scheduler.models import RequestChoice, RequestState

LIST = "/coordinator/tours/spring-2027/requests"


@pytest.fixture
def tour(app, make):
    """Three requests with distinct names, cities, priorities, states and creation times."""
    tour = make.tour()
    make.request(
        tour,
        chapter_name="Bravo Chapter",
        city="Chicago, Illinois",
        priority=2,
        created_at=datetime(2026, 11, 2, 9, 0),
    )
    make.request(
        tour,
        chapter_name="alpha chapter",
        city="Boston, Massachusetts",
        priority=5,
        created_at=datetime(2026, 11, 3, 9, 0),
        state=RequestState.WITHDRAWN,
    )
    make.request(
        tour,
        chapter_name="Charlie Chapter",
        city="Austin, Texas",
        priority=1,
        created_at=datetime(2026, 11, 1, 9, 0),
    )
    return tour


def chapters_in_order(response) -> list[str]:
    body = response.get_data(as_text=True)
    return re.findall(r'<tr id="request-\d+">\s*<td>([^<]+)', body)


def test_anonymous_users_are_sent_to_login(client, tour):
    for url in (LIST, LIST + ".csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/coordinator/login" in response.headers["Location"]
    response = client.post(
        f"{LIST}/priorities", data={f"priority-{tour.requests[0].id}": "5"}
    )
    assert response.status_code == 302
    assert tour.requests[0].priority == 2


def test_list_shows_newest_first_by_default(client, auth, tour):
    auth.login()
    response = client.get(LIST)
    assert response.status_code == 200
    assert chapters_in_order(response) == ["alpha chapter", "Bravo Chapter", "Charlie Chapter"]
    assert 'aria-sort="descending"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("sort=chapter&dir=asc", ["alpha chapter", "Bravo Chapter", "Charlie Chapter"]),
        ("sort=chapter&dir=desc", ["Charlie Chapter", "Bravo Chapter", "alpha chapter"]),
        ("sort=city&dir=asc", ["Charlie Chapter", "alpha chapter", "Bravo Chapter"]),
        ("sort=priority&dir=desc", ["alpha chapter", "Bravo Chapter", "Charlie Chapter"]),
        ("sort=priority&dir=asc", ["Charlie Chapter", "Bravo Chapter", "alpha chapter"]),
        ("sort=created&dir=asc", ["Charlie Chapter", "Bravo Chapter", "alpha chapter"]),
        ("sort=state&dir=desc", ["alpha chapter", "Charlie Chapter", "Bravo Chapter"]),
        ("sort=nonsense&dir=sideways", ["Charlie Chapter", "Bravo Chapter", "alpha chapter"]),
    ],
)
def test_list_sorts_by_the_chosen_column(client, auth, tour, query, expected):
    auth.login()
    assert chapters_in_order(client.get(f"{LIST}?{query}")) == expected


def test_sorted_header_links_flip_direction_and_say_so(client, auth, tour):
    auth.login()
    body = client.get(f"{LIST}?sort=city&dir=asc&state=submitted").get_data(as_text=True)
    city_header = re.search(
        r'<th scope="col" aria-sort="ascending">\s*<a href="([^"]+)">City', body
    )
    assert city_header, "the sorted column carries aria-sort"
    assert "sort=city" in city_header.group(1) and "dir=desc" in city_header.group(1)
    assert "state=submitted" in city_header.group(1)
    assert body.count("aria-sort=") == 1


@pytest.mark.parametrize(
    "state, expected",
    [
        ("submitted", ["Bravo Chapter", "Charlie Chapter"]),
        ("withdrawn", ["alpha chapter"]),
        ("all", ["alpha chapter", "Bravo Chapter", "Charlie Chapter"]),
    ],
)
def test_list_filters_by_state(client, auth, tour, state, expected):
    auth.login()
    assert chapters_in_order(client.get(f"{LIST}?state={state}")) == expected


def test_list_only_shows_this_tours_requests(client, auth, tour, make):
    other = make.tour(slug="other", name="Other tour")
    make.request(other, chapter_name="Elsewhere")
    auth.login()
    assert "Elsewhere" not in client.get(LIST).get_data(as_text=True)
    assert client.get("/coordinator/tours/nope/requests").status_code == 404


def test_the_talks_language_is_named_not_coded(client, auth, tour):
    tour.requests[0].language = "ko"
    db.session.commit()
    auth.login()
    body = client.get(LIST).get_data(as_text=True)
    assert "<td>Korean</td>" in body and "<td>English</td>" in body
    assert "<td>ko</td>" not in body and "<td>en</td>" not in body


def test_choices_show_single_dates_and_flexible_ranges_in_rank_order(client, auth, tour):
    request = tour.requests[0]
    request.choices.append(
        RequestChoice(
            rank=2, first_date=date(2027, 3, 8), last_date=date(2027, 3, 14), weekdays="234"
        )
    )
    request.choices.append(
        RequestChoice(
            rank=3, first_date=date(2027, 3, 29), last_date=date(2027, 4, 4), weekdays="24"
        )
    )
    db.session.commit()
    auth.login()
    body = client.get(LIST).get_data(as_text=True)
    assert (
        '<li value="1">Wed, Mar 10</li><li value="2">Mar 8\u2009–\u200914, Tue–Thu</li>'
        '<li value="3">Mar 29\u2009–\u2009Apr 4, Tue/Thu</li>'
    ) in body
    row = read_csv(client.get(f"{LIST}.csv?sort=chapter&dir=asc"))[1]
    assert row["choices"] == (
        "1. Wed, Mar 10; 2. Mar 8\u2009–\u200914, Tue–Thu; 3. Mar 29\u2009–\u2009Apr 4, Tue/Thu"
    )


def test_many_priorities_are_saved_with_one_save_and_the_view_is_kept(client, auth, tour):
    auth.login()
    first, second, third = tour.requests
    response = client.post(
        f"{LIST}/priorities?sort=city&dir=desc&state=submitted",
        data={f"priority-{first.id}": "2", f"priority-{second.id}": "3",
              f"priority-{third.id}": "4"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "sort=city" in location and "dir=desc" in location and "state=submitted" in location
    db.session.refresh(second)
    db.session.refresh(third)
    assert (first.priority, second.priority, third.priority) == (2, 3, 4)
    page = client.get(location).get_data(as_text=True)
    assert "Saved 2 priorities: alpha chapter 3, Charlie Chapter 4." in page
    assert page.count("Save priorities") == 2


@pytest.mark.parametrize("value", ["0", "6", "high", "2.5", ""])
def test_one_bad_priority_saves_none_and_says_which(client, auth, tour, value):
    auth.login()
    first, second, _ = tour.requests
    response = client.post(
        f"{LIST}/priorities",
        data={f"priority-{first.id}": value, f"priority-{second.id}": "1"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="priority-{first.id}-error"' in body
    assert "Nothing saved:" in body and "Check Bravo Chapter." in body
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.priority, second.priority) == (2, 5)


def test_priority_of_another_tours_request_is_ignored(client, auth, tour, make):
    other = make.tour(slug="other", name="Other tour")
    foreign = make.request(other, chapter_name="Elsewhere")
    auth.login()
    response = client.post(f"{LIST}/priorities", data={f"priority-{foreign.id}": "5"})
    assert response.status_code == 302
    db.session.refresh(foreign)
    assert foreign.priority == 1


def read_csv(response) -> list[dict]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM tells Excel the file is UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_follows_the_filter_and_sort(client, auth, tour):
    auth.login()
    response = client.get(f"{LIST}.csv?state=submitted&sort=chapter&dir=asc")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "spring-2027-requests-submitted.csv" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [row["chapter"] for row in rows] == ["Bravo Chapter", "Charlie Chapter"]
    assert rows[0]["priority"] == "2"
    assert rows[0]["contact_email"] == "jo@example.edu"
    assert rows[0]["lon"] == "-118.4422"
    assert rows[0]["choices"] == "1. Wed, Mar 10"


def test_csv_keeps_korean_and_neutralises_formulas(client, auth, app, make):
    tour = make.tour()
    make.request(
        tour,
        chapter_name='=HYPERLINK("http://evil.example","click")',
        school='자유 대학교, "서울"',
        notes="+1 line one\r\nline two; -2",
        venue_name="@SUM(A1)",
        contact_name="-Lee",
    )
    auth.login()
    row = read_csv(client.get(f"{LIST}.csv"))[0]
    assert row["chapter"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["school"] == '자유 대학교, "서울"'
    assert row["notes"] == "'+1 line one\r\nline two; -2"
    assert row["venue"] == "'@SUM(A1)"
    assert row["contact_name"] == "'-Lee"
    assert row["lat"] == "34.0729"


def test_page_links_back_to_the_tour_page_or_the_dashboard(client, auth, tour, app, monkeypatch):
    auth.login()
    if "coordinator.tour_detail" in app.view_functions:
        assert 'href="/coordinator/tours/spring-2027"' in client.get(LIST).get_data(as_text=True)
    monkeypatch.delitem(app.view_functions, "coordinator.tour_detail", raising=False)
    assert '<a href="/coordinator/">← All tours</a>' in client.get(LIST).get_data(as_text=True)


def test_search_finds_requests_by_chapter_or_city(client, auth, tour):
    auth.login()
    assert chapters_in_order(client.get(f"{LIST}?q=austin")) == ["Charlie Chapter"]
    assert chapters_in_order(client.get(f"{LIST}?q=BRAVO")) == ["Bravo Chapter"]
    page = client.get(f"{LIST}?q=nowhere").get_data(as_text=True)
    assert "0 requests matching “nowhere”." in page


def test_a_long_list_comes_in_pages_that_keep_the_sort(client, auth, tour, make):
    for number in range(100):
        make.request(tour, chapter_name=f"Extra {number:03d}")
    auth.login()
    first = client.get(f"{LIST}?sort=chapter&dir=asc").get_data(as_text=True)
    assert "Page 1 of 2 · 103 in all" in first
    second = client.get(f"{LIST}?sort=chapter&dir=asc&page=2")
    assert chapters_in_order(second) == ["Extra 097", "Extra 098", "Extra 099"]

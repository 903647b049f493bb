"""The speaker's private page: their confirmed itinerary, their unavailable dates, and nothing
of anyone else's, behind a token that is the only key."""

import re
import xml.etree.ElementTree as ET
from datetime import date, time, timedelta

import pytest

from scheduler.extensions import db
from scheduler.models import AssignmentState, SpeakerUnavailability, new_token
from scheduler.speakers.availability import mark_unavailable


def get(client, speaker, path=""):
    return client.get(f"/speaker/{speaker.feed_token}{path}")


def event_blocks(html: str) -> list[str]:
    """Each event's block, with CLDR's narrow no-break spaces ("7:00\u202fPM") read as spaces."""
    html = html.replace("\u202f", " ").replace("\xa0", " ")
    return re.findall(r'<article class="card event.*?</article>', html, re.S)


def marks_of(speaker) -> list[tuple[date, str, str]]:
    db.session.expire_all()
    return [(m.date, m.note, m.marked_by) for m in speaker.unavailability]


@pytest.fixture
def tour(make):
    return make.tour(start=date(2027, 3, 1), end=date(2027, 4, 25))


def test_itinerary_shows_exactly_the_confirmed_events_in_order_on_each_venues_clock(
    client, make, tour
):
    speaker = make.speaker(tour)
    boston = make.request(
        tour, dates=(date(2027, 3, 12),), chapter_name="LiNK at Harvard",
        venue_name="Sanders Theatre", city="Cambridge, Massachusetts", lat=42.3765,
        lon=-71.1150, timezone="America/New_York", start_time=time(18, 30),
    )
    los_angeles = make.request(tour, dates=(date(2027, 3, 10),), venue_name="Royce Hall")
    chicago = make.request(
        tour, dates=(date(2027, 3, 20),), chapter_name="LiNK at UChicago",
        venue_name="Mandel Hall", city="Chicago, Illinois", lat=41.7911, lon=-87.5994,
        timezone="America/Chicago", start_time=time(17, 0),
    )
    proposed = make.request(tour, dates=(date(2027, 3, 15),), venue_name="Proposed Hall")
    cancelled = make.request(tour, dates=(date(2027, 3, 16),), venue_name="Cancelled Hall")
    make.assignment(chicago, speaker, date(2027, 3, 20))
    make.assignment(boston, speaker, date(2027, 3, 12))
    make.assignment(los_angeles, speaker, date(2027, 3, 10))
    make.assignment(proposed, speaker, date(2027, 3, 15), state=AssignmentState.PROPOSED)
    make.assignment(cancelled, speaker, date(2027, 3, 16), state=AssignmentState.CANCELLED)

    response = get(client, speaker)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    blocks = event_blocks(html)
    assert len(blocks) == 3
    royce, sanders, mandel = blocks
    assert "Royce Hall" in royce and "Wednesday, March 10, 2027" in royce
    assert "7:00 PM – 8:30 PM" in royce and "Pacific Standard Time" in royce
    assert "Sanders Theatre" in sanders and "Friday, March 12, 2027" in sanders
    assert "6:30 PM – 8:00 PM" in sanders and "Eastern Standard Time" in sanders
    # Daylight saving time began on March 14, 2027: Chicago is on CDT by the 20th.
    assert "Mandel Hall" in mandel and "5:00 PM – 6:30 PM" in mandel
    assert "Central Daylight Time" in mandel
    assert "Proposed Hall" not in html
    assert "Cancelled Hall" not in html


def test_a_venue_in_indiana_names_its_zone_in_the_speakers_language_not_an_offset(
    client, make, tour
):
    speaker = make.speaker(tour, locale="ko")
    purdue = make.request(
        tour, dates=(date(2027, 3, 10),), venue_name="Memorial Hall",
        city="West Lafayette, Indiana", lat=40.4259, lon=-86.9081,
        timezone="America/Indiana/Indianapolis", start_time=time(18, 30),
    )
    make.assignment(purdue, speaker, date(2027, 3, 10))

    for path in ("", "/days"):
        html = get(client, speaker, path).get_data(as_text=True)
        assert "미 동부 표준시 (EST)" in html, path
        assert "GMT" not in html, path


def test_each_event_names_the_chapter_venue_address_and_contact(client, make, tour):
    speaker = make.speaker(tour)
    request = make.request(
        tour, chapter_name="LiNK at UCLA", venue_name="Royce Hall",
        venue_address="340 Royce Dr", city="Los Angeles, California",
        contact_name="Jo Student", contact_email="jo@example.edu",
    )
    request.chapter.contact_phone = "+1 310 555 0100"
    db.session.commit()
    make.assignment(request, speaker, date(2027, 3, 10))

    (block,) = event_blocks(get(client, speaker).get_data(as_text=True))

    for text in ("LiNK at UCLA", "Royce Hall", "340 Royce Dr", "Los Angeles, California",
                 "Jo Student", "mailto:jo@example.edu", "tel:+13105550100"):
        assert text in block


def test_travel_is_counted_from_home_and_then_from_the_previous_talk(client, make, tour):
    """On the equator one degree of longitude is 6371 km * pi / 180 = 111.19 km."""
    speaker = make.speaker(tour, home_lat=0.0, home_lon=0.0)
    first = make.request(tour, venue_name="One Degree", lat=0.0, lon=1.0)
    second = make.request(tour, venue_name="Three Degrees", lat=0.0, lon=3.0)
    make.assignment(first, speaker, date(2027, 3, 10))
    make.assignment(second, speaker, date(2027, 3, 13))

    one, three = event_blocks(get(client, speaker).get_data(as_text=True))

    assert "111 km from home" in one
    assert "222 km from the previous talk" in three
    assert "3 days later" in three
    page = get(client, speaker).get_data(as_text=True)
    assert "After your last talk: 334 km back home." in page  # 3 degrees back to 0


def test_the_route_map_starts_and_ends_at_home_on_the_speakers_own_page_only(
    client, make, tour
):
    speaker = make.speaker(tour, home_city="Secret Town, Ohio", home_lat=40.0, home_lon=-83.0)
    request = make.request(tour, chapter_name="LiNK at UCLA")
    make.assignment(request, speaker, date(2027, 3, 10))

    page = get(client, speaker).get_data(as_text=True)

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<g class="home">' in svg
    points = re.search(r'<polyline class="route" points="([^"]+)"', svg).group(1).split()
    assert len(points) == 3 and points[0] == points[-1]  # home, UCLA, home
    chapter_response = client.get(f"/r/{request.token}")
    assert chapter_response.status_code == 200
    chapter_page = chapter_response.get_data(as_text=True)
    assert "Secret Town" not in chapter_page and 'class="home"' not in chapter_page


def state_titles(page: str) -> list[str]:
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    names = "{http://www.w3.org/2000/svg}"
    return [path.find(f"{names}title").text for path in svg.iter(f"{names}path")
            if path.get("class") == "state"]


def test_a_korean_speakers_route_map_names_the_states_in_korean(client, make, tour):
    speaker = make.speaker(tour, locale="ko")
    make.assignment(make.request(tour), speaker, date(2027, 3, 10))

    korean = state_titles(get(client, speaker).get_data(as_text=True))
    english = state_titles(get(client, speaker, "?lang=en").get_data(as_text=True))

    assert len(korean) == len(english) == 49
    assert "캘리포니아주" in korean and "California" in english
    assert not set(korean) & set(english)  # no state left in English on the Korean page


def test_the_next_seven_days_are_summarised_at_the_top(client, make):
    today = date.today()
    tour = make.tour(start=today - timedelta(days=10), end=today + timedelta(days=60),
                     timezone="UTC")
    speaker = make.speaker(tour)
    soon = make.request(tour, venue_name="Soon Hall", timezone="UTC")
    later = make.request(tour, venue_name="Later Hall", timezone="UTC")
    make.assignment(soon, speaker, today + timedelta(days=3))
    make.assignment(later, speaker, today + timedelta(days=20))

    html = get(client, speaker).get_data(as_text=True)

    week = html.split('class="card this-week"', 1)[1].split("</section>", 1)[0]
    assert "Soon Hall" in week
    assert "Later Hall" not in week


def test_the_next_seven_days_in_korean_write_their_dates_like_the_talks_below(client, make):
    today = date.today()
    tour = make.tour(start=today - timedelta(days=10), end=today + timedelta(days=60),
                     timezone="UTC")
    speaker = make.speaker(tour, locale="ko")
    make.assignment(make.request(tour, timezone="UTC"), speaker, today + timedelta(days=3))

    html = get(client, speaker).get_data(as_text=True)

    heading = html.split('id="this-week-title"', 1)[1].split("</h2>", 1)[0]
    week_end = today + timedelta(days=6)
    assert f"{today.month}월 {today.day}일" in heading
    assert f"{week_end.month}월 {week_end.day}일" in heading
    assert not re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\.", heading)  # not "2026. 11. 25."


def test_another_speakers_token_never_shows_this_speakers_data(client, make, tour):
    alice = make.speaker(tour, display_name="Alice", full_name="Alice Private",
                         home_city="Secret Town", contact_email="alice@example.org")
    bob = make.speaker(tour, display_name="Bob", full_name="Bob Private",
                       home_city="Bobville", contact_email="bob@example.org")
    alice_talk = make.request(tour, venue_name="Alice Hall", chapter_name="Alice Chapter",
                              contact_name="Alice Contact")
    bob_talk = make.request(tour, venue_name="Bob Hall", chapter_name="Bob Chapter")
    make.assignment(alice_talk, alice, date(2027, 3, 10))
    make.assignment(bob_talk, bob, date(2027, 3, 11))
    db.session.add(SpeakerUnavailability(speaker=alice, date=date(2027, 3, 20),
                                         note="Alice's hospital visit", marked_by="speaker"))
    db.session.commit()

    pages = get(client, bob).get_data(as_text=True) + get(
        client, bob, "/availability").get_data(as_text=True)

    assert "Bob Hall" in pages
    for secret in ("Alice", "Secret Town", "alice@example.org", "hospital", alice.feed_token):
        assert secret not in pages


@pytest.mark.parametrize("path", ["", "/availability"])
def test_a_wrong_or_rotated_token_is_not_found(client, make, tour, path):
    speaker = make.speaker(tour)
    old_token = speaker.feed_token
    assert client.get(f"/speaker/{old_token}{path}").status_code == 200

    speaker.feed_token = new_token()
    db.session.commit()

    assert client.get(f"/speaker/{old_token}{path}").status_code == 404
    assert client.get(f"/speaker/not-a-real-token{path}").status_code == 404
    assert client.post(f"/speaker/{old_token}/availability",
                       data={"day": "2027-03-20"}).status_code == 404
    assert marks_of(speaker) == []


@pytest.mark.parametrize("path", ["", "/availability", "/wrong-token-probe"])
def test_speaker_pages_are_noindex_and_send_no_referrer(client, make, tour, path):
    speaker = make.speaker(tour)
    url = f"/speaker/{speaker.feed_token}{path}" if path != "/wrong-token-probe" else (
        "/speaker/wrong-token")

    response = client.get(url)

    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    if response.status_code == 200:
        assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)
        assert "no-store" in response.headers["Cache-Control"]


def test_speaker_marks_a_date_with_a_private_note(client, make, tour):
    speaker = make.speaker(tour)

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-20", "note": "Family wedding"},
                           follow_redirects=True)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Saved: you cannot do Saturday, March 20, 2027" in html
    assert "Family wedding" in html
    assert marks_of(speaker) == [(date(2027, 3, 20), "Family wedding", "speaker")]


def test_marking_a_day_with_a_confirmed_talk_says_the_coordinator_will_be_in_touch(
    client, make, tour
):
    speaker = make.speaker(tour)
    make.assignment(make.request(tour, dates=(date(2027, 3, 10),)), speaker, date(2027, 3, 10))

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-10"}, follow_redirects=True)

    assert "You have a talk that day" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-02-28", "Choose a date within the tour, from March 1, 2027 to April 25, 2027."),
        ("2027-04-26", "Choose a date within the tour, from March 1, 2027 to April 25, 2027."),
        ("20/03/2027", "Enter the date as year-month-day, for example 2027-03-14."),
        ("2027-02-30", "Enter the date as year-month-day, for example 2027-03-14."),
        ("", "Choose a date."),
    ],
)
def test_a_bad_date_is_refused_with_a_clear_message(client, make, tour, day, message):
    speaker = make.speaker(tour)

    response = client.post(f"/speaker/{speaker.feed_token}/availability", data={"day": day})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert html.count(message) == 1
    assert marks_of(speaker) == []


def test_a_date_already_past_is_refused(client, make):
    today = date.today()
    tour = make.tour(start=today - timedelta(days=30), end=today + timedelta(days=30),
                     timezone="UTC")
    speaker = make.speaker(tour)

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": (today - timedelta(days=1)).isoformat()})

    assert response.status_code == 422
    assert "That date has already passed." in response.get_data(as_text=True)
    assert marks_of(speaker) == []


def test_a_date_marked_twice_is_refused(client, make, tour):
    speaker = make.speaker(tour, unavailable=(date(2027, 3, 20),))

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-20"})

    assert response.status_code == 422
    assert "Saturday, March 20, 2027 is already marked as a day you cannot do." in (
        response.get_data(as_text=True))
    assert len(marks_of(speaker)) == 1


def test_a_note_over_500_characters_is_refused(client, make, tour):
    speaker = make.speaker(tour)

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-20", "note": "x" * 501})

    assert response.status_code == 422
    assert "Keep the note under 500 characters." in response.get_data(as_text=True)
    assert marks_of(speaker) == []


def test_speaker_removes_their_own_mark(client, make, tour):
    speaker = make.speaker(tour)
    client.post(f"/speaker/{speaker.feed_token}/availability", data={"day": "2027-03-20"})
    (mark,) = speaker.unavailability

    response = client.post(
        f"/speaker/{speaker.feed_token}/availability/{mark.id}/remove", follow_redirects=True)

    assert "Removed: Saturday, March 20, 2027 is open again." in response.get_data(as_text=True)
    assert marks_of(speaker) == []


def test_a_coordinators_mark_or_another_speakers_mark_cannot_be_removed(client, make, tour):
    speaker = make.speaker(tour, unavailable=(date(2027, 3, 20),))  # marked by a coordinator
    other = make.speaker(tour, display_name="Other")
    db.session.add(SpeakerUnavailability(speaker=other, date=date(2027, 3, 21),
                                         marked_by="speaker"))
    db.session.commit()
    coordinators_mark, others_mark = speaker.unavailability[0], other.unavailability[0]

    page = get(client, speaker, "/availability").get_data(as_text=True)
    assert "Marked by your coordinator" in page
    assert f"/availability/{coordinators_mark.id}/remove" not in page
    for mark in (coordinators_mark, others_mark):
        response = client.post(f"/speaker/{speaker.feed_token}/availability/{mark.id}/remove")
        assert response.status_code == 404
    assert len(marks_of(speaker)) == 1
    assert len(marks_of(other)) == 1


def test_forms_refuse_a_post_without_the_csrf_token(app_config, request, make):
    app_config["WTF_CSRF_ENABLED"] = True
    app = request.getfixturevalue("app")
    client = app.test_client()
    tour = make.tour()
    speaker = make.speaker(tour)

    response = client.post(f"/speaker/{speaker.feed_token}/availability",
                           data={"day": "2027-03-20"})

    assert response.status_code == 400
    assert marks_of(speaker) == []


def test_past_talks_are_folded_away_below_the_coming_ones(client, make):
    today = date.today()
    tour = make.tour(start=today - timedelta(days=30), end=today + timedelta(days=30),
                     timezone="UTC")
    speaker = make.speaker(tour)
    make.assignment(make.request(tour, venue_name="Done Hall", timezone="UTC"), speaker,
                    today - timedelta(days=5))
    make.assignment(make.request(tour, venue_name="Next Hall", timezone="UTC"), speaker,
                    today + timedelta(days=10))

    html = get(client, speaker).get_data(as_text=True)

    folded = html.split('<details class="past-talks">', 1)[1].split("</details>", 1)[0]
    assert "Done Hall" in folded and "Next Hall" not in folded
    talks = html.split('id="all-talks-title"', 1)[1]
    assert "Your confirmed talks (1)" in talks
    assert talks.index("Done Hall") < talks.index("Next Hall")


def test_a_talk_on_a_day_the_speaker_cannot_do_says_the_coordinator_will_call(
    client, make, tour
):
    speaker = make.speaker(tour, unavailable=(date(2027, 3, 10),))
    make.assignment(make.request(tour, venue_name="Clash Hall"), speaker, date(2027, 3, 10))
    make.assignment(make.request(tour, venue_name="Fine Hall"), speaker, date(2027, 3, 12))

    clash, fine = event_blocks(get(client, speaker).get_data(as_text=True))

    warning = "You told us you cannot do this day."
    assert "Clash Hall" in clash and warning in clash
    assert "Fine Hall" in fine and warning not in fine


def test_a_double_submit_of_the_same_date_is_stored_once(app, make, tour):
    speaker = make.speaker(tour)

    assert mark_unavailable(speaker, date(2027, 3, 20), "first") is not None
    assert mark_unavailable(speaker, date(2027, 3, 20), "second") is None
    assert marks_of(speaker) == [(date(2027, 3, 20), "first", "speaker")]

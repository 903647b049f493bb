"""What each feed holds and says: speakers', chapters' and the tour's, through their real URLs."""

from datetime import UTC, date, datetime, time, timedelta

from flask import render_template
from flask_babel import force_locale, gettext
from icalendar import Calendar

from scheduler.extensions import db
from scheduler.models import AssignmentState, RequestState
from scheduler.services import assignments


def feed(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.content_type == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def speaker_feed(client, speaker) -> Calendar:
    return feed(client, f"/feeds/speaker/{speaker.feed_token}.ics")


def chapter_feed(client, request) -> Calendar:
    return feed(client, f"/feeds/chapter/{request.token}.ics")


def by_uid(calendar: Calendar) -> dict:
    return {event["UID"]: event for event in calendar.events}


def test_speaker_feed_holds_exactly_their_confirmed_events(client, make):
    tour = make.tour()
    mine, other = make.speaker(tour), make.speaker(tour, display_name="Speaker B")
    first = make.request(tour, venue_name="Royce Hall")
    second = make.request(tour, venue_name="Sather Hall", chapter_name="LiNK at Berkeley")
    proposed = make.request(tour, venue_name="Proposed Hall")
    theirs = make.request(tour, venue_name="Other Speaker Hall")
    make.assignment(first, mine, date(2027, 3, 10))
    make.assignment(second, mine, date(2027, 3, 12))
    make.assignment(proposed, mine, date(2027, 3, 14), state=AssignmentState.PROPOSED)
    make.assignment(theirs, other, date(2027, 3, 16))

    events = by_uid(speaker_feed(client, mine))

    assert set(events) == {f"{first.event_uid}@localhost", f"{second.event_uid}@localhost"}
    assert all(event["STATUS"] == "CONFIRMED" for event in events.values())
    royce = events[f"{first.event_uid}@localhost"]
    assert royce["SUMMARY"] == "Talk at Royce Hall (LiNK at UCLA)"
    assert royce["LOCATION"] == "Royce Hall, 340 Royce Dr, Los Angeles, California"
    assert "Contact: Jo Student <jo@example.edu>" in royce["DESCRIPTION"]
    assert (royce["GEO"].latitude, royce["GEO"].longitude) == (34.0729, -118.4422)
    assert royce["URL"] == f"http://localhost/speaker/{mine.feed_token}"


def test_event_times_are_right_across_dst_and_zones(client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    new_york = dict(timezone="America/New_York", city="New York, New York", lat=40.7, lon=-74.0)
    before = make.request(tour, venue_name="Before", **new_york)
    after = make.request(tour, venue_name="After", **new_york)
    west = make.request(tour, venue_name="West", start_time=time(18, 30))
    make.assignment(before, speaker, date(2027, 3, 13))
    make.assignment(after, speaker, date(2027, 3, 14))
    make.assignment(west, speaker, date(2027, 3, 14))

    calendar = speaker_feed(client, speaker)
    starts = {event["LOCATION"].split(",")[0]: event.start for event in calendar.events}

    assert starts["Before"].astimezone(UTC) == datetime(2027, 3, 14, 0, tzinfo=UTC)  # EST
    assert starts["After"].astimezone(UTC) == datetime(2027, 3, 14, 23, tzinfo=UTC)  # EDT
    assert starts["West"].astimezone(UTC) == datetime(2027, 3, 15, 1, 30, tzinfo=UTC)  # PDT
    assert {tz.tz_name for tz in calendar.timezones} == {"America/New_York", "America/Los_Angeles"}
    assert calendar.get_missing_tzids() == set()


def test_resolve_that_moves_an_event_raises_sequence_and_keeps_uid(client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)))
    first = make.assignment(request, speaker, date(2027, 3, 10))
    (before,) = speaker_feed(client, speaker).events

    assignments.cancel(first)
    resequenced = assignments.next_sequence(request)
    make.assignment(request, speaker, date(2027, 3, 12), sequence=resequenced)
    (after,) = speaker_feed(client, speaker).events

    assert after["UID"] == before["UID"] == f"{request.event_uid}@localhost"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["STATUS"] == "CONFIRMED"
    assert after.start.date() == date(2027, 3, 12)


def test_event_moved_to_another_speaker_is_cancelled_in_the_first_feed(client, make):
    tour = make.tour()
    first, second = make.speaker(tour), make.speaker(tour, display_name="Speaker B")
    request = make.request(tour)
    moved = make.assignment(request, first, date(2027, 3, 10))
    (was,) = speaker_feed(client, first).events

    assignments.cancel(moved)
    make.assignment(request, second, date(2027, 3, 10), sequence=assignments.next_sequence(request))

    (left,) = speaker_feed(client, first).events
    (taken,) = speaker_feed(client, second).events
    assert left["UID"] == taken["UID"] == was["UID"]
    assert left["STATUS"] == "CANCELLED"
    assert left["SEQUENCE"] > was["SEQUENCE"]
    assert taken["STATUS"] == "CONFIRMED"
    (chapters,) = chapter_feed(client, request).events
    assert chapters["STATUS"] == "CONFIRMED"
    assert "Speaker B" in chapters["SUMMARY"]


def test_removed_event_stays_cancelled_for_thirty_days_then_drops(client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour)
    row = make.assignment(request, speaker, date(2027, 3, 10))
    (confirmed,) = speaker_feed(client, speaker).events

    assignments.cancel(row)
    db.session.commit()
    (cancelled,) = speaker_feed(client, speaker).events
    assert cancelled["UID"] == confirmed["UID"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > confirmed["SEQUENCE"]

    row.cancelled_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=29)
    db.session.commit()
    assert len(speaker_feed(client, speaker).events) == 1

    row.cancelled_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=31)
    db.session.commit()
    assert speaker_feed(client, speaker).events == []


def test_withdrawn_request_is_cancelled_in_speaker_feed_even_if_nobody_cancelled_it(client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour)
    make.assignment(request, speaker, date(2027, 3, 10))
    (confirmed,) = speaker_feed(client, speaker).events

    request.state = RequestState.WITHDRAWN
    db.session.commit()

    (cancelled,) = speaker_feed(client, speaker).events
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] > confirmed["SEQUENCE"]


def test_chapter_feed_holds_only_its_event_and_the_speakers_display_name(client, make):
    tour = make.tour()
    speaker = make.speaker(
        tour,
        display_name="Joseph",
        full_name="Kim Private Fullname",
        home_city="Secret Hometown",
        contact_email="private-speaker@example.org",
        contact_phone="+1 555 0100",
    )
    ours = make.request(tour, venue_name="Royce Hall")
    theirs = make.request(tour, venue_name="Elsewhere Hall", chapter_name="Other Chapter")
    make.assignment(ours, speaker, date(2027, 3, 10))
    make.assignment(theirs, speaker, date(2027, 3, 12))

    raw = client.get(f"/feeds/chapter/{ours.token}.ics").data
    (event,) = Calendar.from_ical(raw).events

    assert event["UID"] == f"{ours.event_uid}@localhost"
    assert event["SUMMARY"] == "Joseph speaks at Royce Hall"
    assert event["URL"] == f"http://localhost/r/{ours.token}"
    unfolded = raw.replace(b"\r\n ", b"").decode()
    for secret in (
        "Kim Private Fullname",
        "Secret Hometown",
        "private-speaker@example.org",
        "555 0100",
        "Elsewhere Hall",
        "Other Chapter",
        speaker.feed_token,
        theirs.event_uid,
    ):
        assert secret not in unfolded


def test_tour_feed_holds_every_confirmed_event_once(client, make, auth):
    auth.login()
    tour = make.tour()
    first, second = make.speaker(tour), make.speaker(tour, display_name="Speaker B")
    moved = make.request(tour, venue_name="Moved Hall")
    kept = make.request(tour, venue_name="Kept Hall")
    old = make.assignment(moved, first, date(2027, 3, 10))
    assignments.cancel(old)
    make.assignment(moved, second, date(2027, 3, 11), sequence=assignments.next_sequence(moved))
    make.assignment(kept, first, date(2027, 3, 12))

    events = feed(client, f"/feeds/tour/{tour.slug}.ics").events

    assert sorted(event["SUMMARY"] for event in events) == [
        "Speaker A at Kept Hall (LiNK at UCLA)",
        "Speaker B at Moved Hall (LiNK at UCLA)",
    ]
    assert all(event["STATUS"] == "CONFIRMED" for event in events)
    assert {event["URL"] for event in events} == {
        f"http://localhost/coordinator/tours/{tour.slug}/requests"
    }


def test_korean_speaker_reads_their_feed_in_korean_from_the_catalogue(client, make):
    tour = make.tour()
    speaker = make.speaker(tour, locale="ko")
    row = make.assignment(make.request(tour), speaker, date(2027, 3, 14))
    english = "Talk at Royce Hall (LiNK at UCLA)"
    with force_locale("ko"):
        korean = gettext(
            "Talk at %(venue)s (%(chapter)s)", venue="Royce Hall", chapter="LiNK at UCLA"
        )
        cancelled = gettext("Cancelled: %(title)s", title=korean)
    assert korean != english  # the catalogue translates it

    (event,) = speaker_feed(client, speaker).events
    assert event["SUMMARY"] == korean
    assert "2027년 3월 14일 일요일" in event["DESCRIPTION"]
    assert "영어" in event["DESCRIPTION"]  # the talk's language, English, named in Korean

    assignments.cancel(row)
    db.session.commit()
    (event,) = speaker_feed(client, speaker).events
    assert event["SUMMARY"] == cancelled


def test_an_indiana_event_names_its_zone_in_words_in_the_feed(client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    purdue = make.request(
        tour, venue_name="Memorial Hall", city="West Lafayette, Indiana", lat=40.4259,
        lon=-86.9081, timezone="America/Indiana/Indianapolis",
    )
    make.assignment(purdue, speaker, date(2027, 3, 10))

    (event,) = speaker_feed(client, speaker).events

    assert "(Eastern Standard Time)" in event["DESCRIPTION"]
    assert "GMT" not in event["DESCRIPTION"]


def test_chapter_feed_stays_english_whatever_the_speakers_language(client, make):
    tour = make.tour()
    speaker = make.speaker(tour, locale="ko", display_name="Joseph")
    request = make.request(tour)
    make.assignment(request, speaker, date(2027, 3, 14))

    (event,) = chapter_feed(client, request).events

    assert event["SUMMARY"] == "Joseph speaks at Royce Hall"
    assert "Sunday, March 14, 2027" in event["DESCRIPTION"]


def test_cli_lists_every_feed_with_kind_name_and_url(app, runner, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour, venue_name="Royce Hall")
    withdrawn = make.request(tour, venue_name="Gone Hall", state=RequestState.WITHDRAWN)
    coordinator = make.coordinator()

    result = runner.invoke(args=["tour", "feeds", tour.slug, "--coordinator", coordinator.email])

    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert lines == [
        ["speaker", "Speaker A", f"http://localhost/feeds/speaker/{speaker.feed_token}.ics"],
        [
            "chapter",
            "LiNK at UCLA (Royce Hall)",
            f"http://localhost/feeds/chapter/{request.token}.ics",
        ],
        [
            "tour",
            tour.name,
            f"http://localhost/feeds/tour/{tour.slug}.ics?token={coordinator.feed_token}",
        ],
    ]
    assert withdrawn.token not in result.output


def test_cli_refuses_an_unknown_tour(runner):
    result = runner.invoke(args=["tour", "feeds", "no-such-tour"])
    assert result.exit_code != 0
    assert "No tour" in result.output


def assert_subscribe_links(html: str, https_url: str) -> None:
    webcal = "webcal://" + https_url.split("://", 1)[1]
    assert f'href="{webcal}"' in html
    assert f'value="{https_url}" readonly' in html
    assert f'href="{https_url}?download=1" download' in html
    assert "<label for=" in html


def test_chapter_and_speaker_partials_show_webcal_copy_and_download(app, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour)
    with app.test_request_context():
        chapter_html = render_template("feeds/_chapter_subscribe.html", chapter_request=request)
        speaker_html = render_template("feeds/_speaker_subscribe.html", speaker=speaker)

    assert_subscribe_links(chapter_html, f"http://localhost/feeds/chapter/{request.token}.ics")
    assert_subscribe_links(speaker_html, f"http://localhost/feeds/speaker/{speaker.feed_token}.ics")


def test_coordinator_page_lists_every_speakers_links_and_the_tour_feed(client, make, auth):
    auth.login()
    coordinator = make.coordinator()
    tour = make.tour()
    speakers = [make.speaker(tour), make.speaker(tour, display_name="Speaker B")]

    response = client.get(f"/coordinator/tours/{tour.slug}/feeds")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for speaker in speakers:
        assert_subscribe_links(html, f"http://localhost/feeds/speaker/{speaker.feed_token}.ics")
        assert f"/speakers/{speaker.id}/rotate-feed-token" in html
    tour_url = f"http://localhost/feeds/tour/{tour.slug}.ics?token={coordinator.feed_token}"
    assert f'value="{tour_url}" readonly' in html
    nav_link = f'href="/coordinator/tours/{tour.slug}/feeds" aria-current="page">Calendar feeds</a>'
    assert nav_link in html


def test_coordinator_page_requires_login(client, make):
    tour = make.tour()
    response = client.get(f"/coordinator/tours/{tour.slug}/feeds")
    assert response.status_code == 302
    assert "/coordinator/login" in response.headers["Location"]


def test_coordinator_copies_a_feed_link_and_rotates_it_in_the_browser(
    app, live_server, page, make, artifacts_dir
):
    """Real browser, CSRF on: the labelled read-only address, then rotation kills the old URL."""
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Joseph")
    make.assignment(make.request(tour), speaker, date(2027, 3, 10))
    make.coordinator()
    base = f"http://127.0.0.1:{live_server.server_port}"
    old_feed = f"{base}/feeds/speaker/{speaker.feed_token}.ics"

    page.goto(f"{base}/coordinator/login?next=/coordinator/tours/{tour.slug}/feeds")
    page.get_by_label("Email").fill("coord@example.org")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/coordinator/tours/{tour.slug}/feeds")

    address = page.get_by_label("Calendar address, for “add calendar from URL”").nth(1)
    assert address.input_value() == old_feed
    assert address.get_attribute("readonly") is not None
    subscribe = page.get_by_role("link", name="Subscribe in your calendar app").nth(1)
    assert subscribe.get_attribute("href") == "webcal://" + old_feed.split("://", 1)[1]
    page.screenshot(path=f"{artifacts_dir}/feeds-coordinator.png", full_page=True)
    assert page.request.get(old_feed).status == 200

    page.get_by_role("button", name="Rotate Joseph's feed link").click()
    page.get_by_text("The old link no longer works").wait_for()

    new_feed = address.input_value()
    assert new_feed != old_feed
    assert page.request.get(old_feed).status == 404
    assert page.request.get(new_feed).status == 200


def test_a_chapter_moving_its_start_time_raises_the_sequence_of_its_event(app, make):
    from datetime import date, time

    from scheduler.services import requests as request_service

    tour = make.tour()
    speaker = make.speaker(tour)
    chapter_request = make.request(tour, dates=(date(2027, 3, 10),))
    confirmed = make.assignment(chapter_request, speaker, date(2027, 3, 10))
    before = confirmed.sequence
    draft = request_service.draft_from(chapter_request)
    draft.start_time = time(18, 0)
    request_service.update(chapter_request, draft, today=date(2027, 1, 5))
    assert confirmed.sequence > before

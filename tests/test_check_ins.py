"""Check-ins: the speaker's one tap on the day of a talk, the coordinators' Today board, and one
email when a talk has no check-in an hour before its start. Times are the venue's."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.models import CheckIn, MissedCheckInAlert
from scheduler.services import check_ins
from tests.mailbox import outbox

ZONES = (
    "Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "Europe/London",
    "Asia/Seoul", "Pacific/Auckland",
)


def venue_zone_in_daytime() -> ZoneInfo:
    """A venue zone where it is now between 04:00 and 19:59, so a talk a few hours from now is
    still on today's date there."""
    for name in ZONES:
        if 4 <= datetime.now(ZoneInfo(name)).hour < 20:
            return ZoneInfo(name)
    raise AssertionError("some zone of ZONES is always in daytime")


def talk_starting_in(make, tour, speaker, zone: ZoneInfo, minutes: int, host_phone="", **fields):
    start = datetime.now(zone) + timedelta(minutes=minutes)
    chapter_request = make.request(
        tour, dates=(start.date(),), timezone=zone.key,
        start_time=time(start.hour, start.minute), **fields,
    )
    chapter_request.chapter.contact_phone = host_phone
    return make.assignment(chapter_request, speaker, start.date())


@pytest.fixture
def tour(app, make):
    today = date.today()
    return make.tour(start=today - timedelta(days=3), end=today + timedelta(days=30))


@pytest.fixture
def speaker(make, tour):
    return make.speaker(tour, display_name="Speaker Hana", contact_phone="+1 213 555 0199",
                        emergency_contact="Park Sister +1 213 555 0101")


def test_the_speakers_check_in_shows_on_the_today_board(client, app, auth, make, tour, speaker):
    zone = venue_zone_in_daytime()
    talk = talk_starting_in(make, tour, speaker, zone, 180, host_phone="+1 310 555 0123")
    page = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    assert "I have arrived" in page and "I am leaving" in page

    response = client.post(
        f"/speaker/{speaker.feed_token}/check-in/{talk.id}", data={"kind": "arrived"}
    )
    assert response.status_code == 302
    page = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    assert "Thank you: your coordinator knows you have arrived." in page

    auth.login()
    board = client.get("/coordinator/today").get_data(as_text=True)
    [saved] = CheckIn.query.all()
    arrived = saved.at.replace(tzinfo=UTC).astimezone(zone)
    assert re.search(rf"Arrived {arrived:%-I:%M}\s{arrived:%p}", board)
    assert zone.key not in board  # the venue's zone as people say it, not its IANA name
    assert "No check-in</span>" not in board
    assert "Royce Hall" in board
    assert "+1 310 555 0123" in board  # the host's day-of phone
    assert "Park Sister +1 213 555 0101" in board  # the speaker's emergency contact

    client.post(f"/speaker/{speaker.feed_token}/check-in/{talk.id}", data={"kind": "left"})
    assert '<span class="badge">Left ' in client.get("/coordinator/today").get_data(as_text=True)


def test_a_missing_check_in_is_highlighted_and_mailed_once(client, app, auth, runner, make,
                                                           tour, speaker):
    zone = venue_zone_in_daytime()
    talk_starting_in(make, tour, speaker, zone, 40)
    talk_starting_in(make, tour, make.speaker(tour, display_name="Speaker Min"), zone, 180,
                     venue_name="Later Hall")
    auth.login()

    board = client.get("/coordinator/today").get_data(as_text=True)
    assert board.count('class="overdue"') == 1
    assert "No check-in</span>" in board
    [alert] = outbox(app)
    assert alert["To"] == "coord@example.org"
    assert "Speaker Hana" in alert["Subject"] and "Royce Hall" in alert["Subject"]
    assert "Park Sister +1 213 555 0101" in alert.get_body(("plain",)).get_content()

    client.get("/coordinator/today")
    result = runner.invoke(args=["tour", "check-ins"])
    assert result.exit_code == 0, result.output
    assert "Every talk due within the hour" in result.output
    assert len(outbox(app)) == 1


def test_the_cli_sends_the_alert_when_nobody_opens_the_board(app, runner, make, tour, speaker):
    make.coordinator()
    zone = venue_zone_in_daytime()
    talk_starting_in(make, tour, speaker, zone, 20)
    result = runner.invoke(args=["tour", "check-ins"])
    assert result.exit_code == 0, result.output
    assert "1 talk(s) with no check-in" in result.output
    assert len(outbox(app)) == 1
    assert runner.invoke(args=["tour", "check-ins"]).exit_code == 0
    assert len(outbox(app)) == 1
    assert len(MissedCheckInAlert.query.all()) == 1


def test_an_alert_sent_after_the_start_does_not_say_the_talk_is_still_to_come(app, make, tour,
                                                                              speaker):
    make.coordinator()
    talk_starting_in(make, tour, speaker, venue_zone_in_daytime(), -90)
    assert check_ins.alert_missed() == 1
    [alert] = outbox(app)
    body = alert.get_body(("plain",)).get_content()
    assert "The talk has already started and the speaker never tapped" in body
    assert "starts within the hour" not in body


def test_a_check_in_before_the_hour_sends_no_alert(app, make, tour, speaker):
    make.coordinator()
    talk = talk_starting_in(make, tour, speaker, venue_zone_in_daytime(), 30)
    check_ins.record(talk, "arrived")
    assert check_ins.alert_missed() == 0
    assert outbox(app) == []


def test_check_ins_open_only_on_the_talks_day_and_only_for_ones_own_talk(client, make, tour,
                                                                          speaker):
    zone = venue_zone_in_daytime()
    later = make.assignment(
        make.request(tour, dates=(date.today() + timedelta(days=5),), timezone=zone.key),
        speaker, date.today() + timedelta(days=5),
    )
    other = make.speaker(tour, display_name="Speaker Min")
    others_talk = talk_starting_in(make, tour, other, zone, 60)
    for talk in (later, others_talk):
        response = client.post(
            f"/speaker/{speaker.feed_token}/check-in/{talk.id}", data={"kind": "arrived"}
        )
        assert response.status_code == 404
    response = client.post(
        f"/speaker/{speaker.feed_token}/check-in/{others_talk.id}", data={"kind": "dancing"}
    )
    assert response.status_code == 400
    assert CheckIn.query.count() == 0


def test_the_korean_check_in_card_calls_the_venue_a_lecture_hall(client, make, tour):
    speaker = make.speaker(tour, display_name="Speaker Min", locale="ko")
    talk_starting_in(make, tour, speaker, venue_zone_in_daytime(), 60)
    html = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    card = html.split('class="card check-in"', 1)[1].split("</section>", 1)[0]
    assert "강연장에 도착했을 때와 떠날 때" in card
    assert "공연장" not in card  # a concert hall, not where a talk is given


def test_the_board_holds_today_and_tomorrow_at_each_venue(app, make, tour, speaker):
    """At 23:30 in New York on 10 March it is already 11 March in Seoul: each venue's own dates
    decide, and a talk two venue days ahead is not on the board."""
    now = datetime(2027, 3, 11, 4, 30, tzinfo=UTC)  # 23:30 on 10 March in New York
    for day, zone, venue in (
        (date(2027, 3, 10), "America/New_York", "Tonight NY"),
        (date(2027, 3, 11), "America/New_York", "Tomorrow NY"),
        (date(2027, 3, 12), "America/New_York", "Later NY"),
        (date(2027, 3, 12), "Asia/Seoul", "Tomorrow Seoul"),
        (date(2027, 3, 10), "Asia/Seoul", "Yesterday Seoul"),
    ):
        make.assignment(make.request(tour, dates=(day,), timezone=zone, venue_name=venue),
                        speaker, day)
    venues = [row.request.venue_name for row in check_ins.board(now)]
    assert sorted(venues) == ["Tomorrow NY", "Tomorrow Seoul", "Tonight NY"]
    [tonight] = [row for row in check_ins.board(now) if row.request.venue_name == "Tonight NY"]
    assert tonight.overdue  # it started at 19:00 New York time with nobody checked in

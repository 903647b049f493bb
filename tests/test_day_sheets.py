"""The speaker's day sheets: where and when, the drive from last night's place, the host to call,
room, arrival, lodging and meals from the chapter's advance; Korean or English; own events only."""

from datetime import date, time

from scheduler.extensions import db
from scheduler.models import EventAdvance
from scheduler.solver.geo import haversine_km

HOME = (34.05, -118.24)
UCLA = {"lat": 34.0729, "lon": -118.4422, "city": "Los Angeles, California",
        "timezone": "America/Los_Angeles"}
SD = {"lat": 32.88, "lon": -117.23, "city": "San Diego, California",
      "timezone": "America/Los_Angeles"}


def _tour(make, locale="en"):
    tour = make.tour(same_day_speed_kmh=60)
    hana = make.speaker(tour, display_name="Hana", locale=locale,
                        home_lat=HOME[0], home_lon=HOME[1])
    other = make.speaker(tour, display_name="Min")
    ucla = make.request(tour, chapter_name="LiNK at UCLA", venue_name="Royce Hall", **UCLA)
    sd = make.request(tour, chapter_name="LiNK at UCSD", venue_name="Price Center", **SD)
    elsewhere = make.request(tour, chapter_name="LiNK at Elsewhere", venue_name="Other Hall")
    make.assignment(ucla, hana, date(2027, 3, 10))
    make.assignment(sd, hana, date(2027, 3, 12))
    make.assignment(elsewhere, other, date(2027, 3, 11))
    db.session.add_all([
        EventAdvance(request=ucla, host_name="Jo Host", host_phone="+1 (310) 555-0100",
                     building="Royce Hall", room="Room 314", arrival_time=time(17, 30),
                     interpreter="yes", lodging="host-housing", meals="Dinner after the talk",
                     consent_acknowledged=True),
        EventAdvance(request=elsewhere, host_name="Not Hanas Host", host_phone="+1 212 555 0199"),
    ])
    db.session.commit()
    return hana


def test_each_day_says_where_when_the_drive_and_whom_to_call(client, make):
    hana = _tour(make)
    page = client.get(f"/speaker/{hana.feed_token}/days").get_data(as_text=True)
    assert "Wednesday, March 10, 2027" in page and "Friday, March 12, 2027" in page
    assert "7:00\u202fPM" in page and "Pacific" in page
    first_km = haversine_km(*HOME, UCLA["lat"], UCLA["lon"])
    assert f"Drive from home: {round(first_km)} km" in page
    between = haversine_km(UCLA["lat"], UCLA["lon"], SD["lat"], SD["lon"])
    minutes = round(between / 60 * 60)
    assert (f"Drive from last night's place: {round(between)} km, about "
            f"{minutes // 60} h {minutes % 60} min") in page
    assert "Drive home after the last talk" in page
    assert 'href="tel:+13105550100"' in page and "Call +1 (310) 555-0100" in page
    assert "Room 314" in page and "5:30\u202fPM" in page
    assert "Host housing (a chapter member&#39;s home)" in page and "Dinner after the talk" in page
    assert "provides a Korean-English interpreter" in page
    # San Diego sent no advance yet: the sheet says so instead of inventing details.
    assert "The chapter has not sent every detail yet" in page


def test_the_sheet_shows_only_the_speakers_own_events(client, make):
    hana = _tour(make)
    page = client.get(f"/speaker/{hana.feed_token}/days").get_data(as_text=True)
    assert "Not Hanas Host" not in page and "555 0199" not in page
    assert "Other Hall" not in page and "Thursday, March 11" not in page


def test_the_sheet_reads_in_korean(client, make):
    hana = _tour(make, locale="ko")
    page = client.get(f"/speaker/{hana.feed_token}/days").get_data(as_text=True)
    assert '<html lang="ko">' in page
    assert "일별 안내" in page and "당일 담당자" in page and "집에서 출발" in page
    assert "2027년 3월 10일 수요일" in page and "오후 5:30" in page
    assert "Host on the day" not in page


def test_a_short_drive_is_given_in_minutes_alone_in_either_language(client, make):
    tour = make.tour(same_day_speed_kmh=60)
    near = {"lat": HOME[0] + 0.18, "lon": HOME[1], "city": "Pasadena, California",
            "timezone": "America/Los_Angeles"}
    minutes = round(haversine_km(*HOME, near["lat"], near["lon"]))  # at 60 km/h
    assert 0 < minutes < 60
    for locale, words in (("en", f"about {minutes} min"), ("ko", f"약 {minutes}분")):
        speaker = make.speaker(tour, display_name=f"Hana {locale}", locale=locale,
                               home_lat=HOME[0], home_lon=HOME[1])
        make.assignment(make.request(tour, venue_name="Near Hall", **near), speaker,
                        date(2027, 3, 10))
        page = client.get(f"/speaker/{speaker.feed_token}/days").get_data(as_text=True)
        assert words in page, locale
        assert "about 0 h" not in page and "약 0시간" not in page, locale


def test_the_speakers_calendar_event_carries_the_host_and_arrival_once_filed(client, make):
    """The advance reaches the speaker's feed (a new feed version), and no one else's host."""
    from icalendar import Calendar

    hana = _tour(make)
    ucla = next(r for r in hana.tour.requests if r.venue_name == "Royce Hall")
    sd = next(r for r in hana.tour.requests if r.venue_name == "Price Center")

    def descriptions():
        calendar = Calendar.from_ical(client.get(f"/feeds/speaker/{hana.feed_token}.ics").data)
        return {str(event["LOCATION"]).split(",")[0]: str(event["DESCRIPTION"])
                for event in calendar.events}

    before = descriptions()
    assert "Host on the day: Jo Host +1 (310) 555-0100" in before["Royce Hall"]
    assert "Room: Royce Hall, Room 314" in before["Royce Hall"]
    assert "Arrive at: 5:30\u202fPM" in before["Royce Hall"]
    assert "Host on the day" not in before["Price Center"]
    assert all("Not Hanas Host" not in text for text in before.values())

    client.post(f"/r/{sd.token}/advance", data={"host_name": "Pat Host",
                                                 "host_phone": "+1 858 555 0142"})
    after = descriptions()
    assert "Host on the day: Pat Host +1 858 555 0142" in after["Price Center"]
    assert ucla.token not in "".join(after.values())

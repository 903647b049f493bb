"""Consent and public names: what a chapter learns of its speaker is what the speaker allows.

Every chapter-facing place (request page, withdraw page, printable notice, email, calendar feed)
names the speaker through ``services.consent.public_name`` and carries the speaker's rules.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from scheduler.extensions import db
from scheduler.models import AssignmentState, PhotoConsent, PublicNaming
from scheduler.services.consent import HIDDEN_NAME, name_is_shown, public_name
from scheduler.services.publishing import publish
from tests.mailbox import empty_outbox, outbox

DISPLAY_NAME = "Kim Eunhee"
FIRST_NAME = "Eunhee"


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def chapter_feed_text(client, chapter_request) -> str:
    response = client.get(f"/feeds/chapter/{chapter_request.token}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    return "\n".join(
        str(event.get(name, "")) for event in calendar.events for name in ("SUMMARY", "DESCRIPTION")
    )


def everything_the_chapter_sees(client, app, chapter_request) -> str:
    token = chapter_request.token
    paths = (f"/r/{token}", f"/r/{token}/notice", f"/r/{token}/withdraw")
    pages = [client.get(path) for path in paths]
    assert [page.status_code for page in pages] == [200, 200, 200]
    texts = [page.get_data(as_text=True) for page in pages]
    texts.append(chapter_feed_text(client, chapter_request))
    texts.extend(
        body(message)
        for message in outbox(app)
        if message["To"] == chapter_request.chapter.contact_email
    )
    return "\n".join(texts)


def published_event(make, tour, speaker, day=date(2027, 3, 10), **request_fields):
    chapter_request = make.request(tour, dates=(day,), **request_fields)
    make.assignment(chapter_request, speaker, day, state=AssignmentState.PROPOSED)
    return chapter_request


def test_a_first_name_only_speaker_is_never_shown_by_display_name_to_a_chapter(client, app, make):
    tour = make.tour()
    speaker = make.speaker(
        tour,
        display_name=DISPLAY_NAME,
        public_naming=PublicNaming.FIRST_NAME,
        first_name=FIRST_NAME,
    )
    chapter_request = published_event(make, tour, speaker)
    publish(tour, "coord@example.org")
    assert len(outbox(app)) == 1

    seen = everything_the_chapter_sees(client, app, chapter_request)

    assert DISPLAY_NAME not in seen
    assert "Kim" not in seen
    assert f"{FIRST_NAME} speaks at Royce Hall" in seen  # the feed's title
    assert "Speaker:    Eunhee" in seen  # the email
    assert f'name the speaker only as "{FIRST_NAME}"' in seen


def test_a_chosen_name_left_empty_names_nobody_rather_than_the_display_name(app, make):
    tour = make.tour()
    speaker = make.speaker(tour, display_name=DISPLAY_NAME, public_naming=PublicNaming.PSEUDONYM)
    assert public_name(speaker, date(2027, 3, 10), "America/New_York") == HIDDEN_NAME


def test_every_host_reads_the_speakers_rules(client, app, make):
    tour = make.tour()
    speaker = make.speaker(
        tour,
        photo_consent=PhotoConsent.NO_FACES,
        recording_consent=False,
        livestream_consent=True,
        public_naming=PublicNaming.PSEUDONYM,
        pseudonym="Morning Star",
    )
    chapter_request = published_event(make, tour, speaker)
    publish(tour, "coord@example.org")

    seen = everything_the_chapter_sees(client, app, chapter_request)
    for source in seen.split("\n\n"):
        assert speaker.display_name not in source
    for rule in (
        "Photos only without the speaker's face",
        "No audio or video recording of the talk.",
        "Livestreaming the talk is allowed.",
        'name the speaker only as "Morning Star"',
    ):
        assert rule in seen
        assert rule in chapter_feed_text(client, chapter_request)
        assert rule in body(outbox(app)[0])


def test_the_name_is_kept_back_until_the_tours_window_opens(client, app, make):
    """The name appears on the venue's date N days before the event, not a day earlier."""
    tour = make.tour(name_shown_days_before=14)
    speaker = make.speaker(tour, display_name=DISPLAY_NAME)
    zone = "America/Los_Angeles"
    event_day = date(2027, 3, 20)
    opening = datetime(2027, 3, 6, 0, 30, tzinfo=UTC).astimezone(UTC)  # still 5 March in LA
    assert not name_is_shown(tour, event_day, zone, opening)
    assert public_name(speaker, event_day, zone, opening) == HIDDEN_NAME
    la_midnight = datetime(2027, 3, 6, 8, 0, tzinfo=UTC)  # 00:00 on 6 March in LA
    assert name_is_shown(tour, event_day, zone, la_midnight)
    assert public_name(speaker, event_day, zone, la_midnight) == DISPLAY_NAME


def test_chapters_read_a_speaker_from_north_korea_until_the_window(client, app, make):
    today = date.today()
    tour = make.tour(start=today, end=today + timedelta(days=90), name_shown_days_before=14)
    speaker = make.speaker(tour, display_name=DISPLAY_NAME)
    far = published_event(make, tour, speaker, day=today + timedelta(days=40))
    near = published_event(
        make, tour, speaker, day=today + timedelta(days=10), contact_email="near@example.edu"
    )
    publish(tour, "coord@example.org")

    far_seen = everything_the_chapter_sees(client, app, far)
    assert DISPLAY_NAME not in far_seen
    assert f"{HIDDEN_NAME} speaks at Royce Hall" in far_seen
    assert client.get(f"/r/{near.token}").get_data(as_text=True).count(DISPLAY_NAME) >= 1
    assert f"{DISPLAY_NAME} speaks at" in chapter_feed_text(client, near)
    [near_mail] = [m for m in outbox(app) if m["To"] == "near@example.edu"]
    assert DISPLAY_NAME in body(near_mail)


def test_a_tour_that_keeps_names_back_lists_no_names_on_the_request_form(client, make):
    tour = make.tour(name_shown_days_before=7)
    make.speaker(tour, display_name=DISPLAY_NAME)
    page = client.get(f"/tours/{tour.slug}/request").get_data(as_text=True)
    assert DISPLAY_NAME not in page


@pytest.fixture
def published_speaker(app, make):
    """A speaker with three published events: two for one chapter, one for another."""
    tour = make.tour()
    speaker = make.speaker(tour, display_name=DISPLAY_NAME, photo_consent=PhotoConsent.YES)
    first = published_event(make, tour, speaker, day=date(2027, 3, 10))
    published_event(make, tour, speaker, day=date(2027, 3, 17), contact_email="bu@example.edu")
    second = make.request(tour, dates=(date(2027, 3, 24),), venue_name="Pauley Pavilion")
    second.chapter_id = first.chapter_id
    db.session.commit()
    make.assignment(second, speaker, date(2027, 3, 24), state=AssignmentState.PROPOSED)
    publish(tour, "coord@example.org")
    empty_outbox(app)
    return speaker


def save_consent(client, speaker, **fields):
    """The speaker saves their consent page: no photos, no recording, no livestream, and the
    naming ``fields``."""
    form = {"photo_consent": PhotoConsent.NONE, "recording_consent": "False",
            "livestream_consent": "False", **fields}
    return client.post(f"/speaker/{speaker.feed_token}/consent", data=form)


def test_a_consent_change_after_publication_mails_each_affected_chapter_once(
    client, app, published_speaker
):
    response = save_consent(
        client, published_speaker, public_naming=PublicNaming.FIRST_NAME,
        first_name=FIRST_NAME, pseudonym="",
    )
    assert response.status_code == 302

    sent = outbox(app)
    assert sorted(message["To"] for message in sent) == ["bu@example.edu", "jo@example.edu"]
    [two_events] = [message for message in sent if message["To"] == "jo@example.edu"]
    text = body(two_events)
    assert "Royce Hall" in text and "Pauley Pavilion" in text
    assert "No photos of the speaker at all." in text
    assert f'name the speaker only as "{FIRST_NAME}"' in text
    assert DISPLAY_NAME not in text


def test_a_korean_speakers_change_reaches_the_chapter_in_english_with_the_date_written_out(
    client, app, published_speaker
):
    """Chapters read English, whatever the language of the speaker who saved the change."""
    published_speaker.locale = "ko"
    db.session.commit()
    response = save_consent(client, published_speaker, public_naming=PublicNaming.DISPLAY_NAME)
    assert response.status_code == 302

    [notice] = [message for message in outbox(app) if message["To"] == "jo@example.edu"]
    text = body(notice)
    assert "Wednesday, March 10, 2027 at Royce Hall" in text
    assert "Wednesday, March 24, 2027 at Pauley Pavilion" in text
    assert "수요일" not in text


def test_saving_the_same_consent_again_mails_nobody(client, app, published_speaker):
    form = {
        "photo_consent": PhotoConsent.YES,
        "recording_consent": "False",
        "livestream_consent": "False",
        "public_naming": PublicNaming.DISPLAY_NAME,
    }
    response = client.post(f"/speaker/{published_speaker.feed_token}/consent", data=form)
    assert response.status_code == 302
    assert outbox(app) == []


def test_a_coordinator_changing_consent_mails_the_chapters_too(
    client, app, auth, published_speaker
):
    auth.login()
    page = client.get(f"/coordinator/tours/spring-2027/speakers/{published_speaker.id}/edit")
    assert "Photos without my face only" in page.get_data(as_text=True)
    response = client.post(
        f"/coordinator/tours/spring-2027/speakers/{published_speaker.id}/edit",
        data={
            "display_name": DISPLAY_NAME,
            "home_city": "Los Angeles, California",
            "languages": ["en"],
            "locale": "en",
            "photo_consent": PhotoConsent.NO_FACES,
            "recording_consent": "False",
            "livestream_consent": "False",
            "public_naming": PublicNaming.DISPLAY_NAME,
            "emergency_contact": "Park Sister, +1 213 555 0101",
        },
    )
    assert response.status_code == 302
    assert len(outbox(app)) == 2
    db.session.refresh(published_speaker)
    assert published_speaker.emergency_contact == "Park Sister, +1 213 555 0101"


def test_the_speaker_must_give_the_first_name_they_chose(client, published_speaker):
    response = client.post(
        f"/speaker/{published_speaker.feed_token}/consent",
        data={
            "photo_consent": PhotoConsent.NONE,
            "recording_consent": "False",
            "livestream_consent": "False",
            "public_naming": PublicNaming.FIRST_NAME,
            "first_name": "  ",
        },
    )
    assert response.status_code == 422
    assert "Write the first name to use" in response.get_data(as_text=True)


def test_the_speaker_reads_their_consent_page_in_korean(client, make):
    tour = make.tour()
    speaker = make.speaker(tour, locale="ko")
    page = client.get(f"/speaker/{speaker.feed_token}/consent").get_data(as_text=True)
    assert "얼굴이 나오지 않는 사진만 허용" in page

"""The speaker reads their pages, messages and calendar events in Korean or English, from the
message catalogue; coordinators and chapters keep English."""

import os
from datetime import date

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from icalendar import Calendar

from scheduler.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KO_PO = os.path.join(ROOT, "translations", "ko", "LC_MESSAGES", "messages.po")
KO_MO = os.path.join(ROOT, "translations", "ko", "LC_MESSAGES", "messages.mo")
# "Your tour schedule" in Korean: written only in the catalogue, never in a template or module.
KO_TITLE = "나의 투어 일정"


def read_catalogue(path, reader):
    with open(path, "rb") as handle:
        return reader(handle)


def source_texts() -> str:
    texts = []
    for folder in ("templates", "scheduler"):
        for directory, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in names:
                if name.endswith((".html", ".py")):
                    with open(os.path.join(directory, name), encoding="utf-8") as handle:
                        texts.append(handle.read())
    return "\n".join(texts)


@pytest.fixture
def speaker(app, make):
    tour = make.tour()
    speaker = make.speaker(tour, locale="ko")
    make.assignment(make.request(tour, venue_name="Royce Hall"), speaker, date(2027, 3, 10))
    return speaker


def test_the_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what the app reads: ``make translations`` recompiles it."""
    assert os.path.exists(KO_MO), "translations not compiled: run `make translations`"
    def entries(catalogue):
        return {
            message.id if isinstance(message.id, str) else tuple(message.id):
            message.string if isinstance(message.string, str) else tuple(message.string)
            for message in catalogue if message.id and not message.fuzzy
        }

    po = entries(read_catalogue(KO_PO, read_po))
    mo = entries(read_catalogue(KO_MO, read_mo))
    assert mo == po, "translations/ko messages.mo is stale: run `make translations`"


def test_every_string_the_speaker_reads_has_a_korean_translation(tmp_path):
    template = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", os.path.join(ROOT, "babel.cfg"), "-k", "_l",
        "-k", "lazy_gettext", "-o", str(template), ROOT,
    ])
    extracted = {m.id for m in read_catalogue(template, read_po) if m.id}
    korean = {m.id: m for m in read_catalogue(KO_PO, read_po) if m.id}

    assert len(extracted) > 50
    untranslated = sorted(
        str(message_id) for message_id in extracted
        if message_id not in korean
        or korean[message_id].fuzzy
        or not all(korean[message_id].string if isinstance(message_id, tuple)
                   else [korean[message_id].string])
    )
    assert untranslated == [], "run `make translations` and translate these"


def test_the_page_renders_in_korean_from_the_catalogue_and_switches_back(client, speaker):
    assert KO_TITLE not in source_texts()

    korean = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    assert '<html lang="ko">' in korean
    assert KO_TITLE in korean
    assert "2027년 3월 10일 수요일" in korean
    assert "오후 7:00" in korean
    assert "Your tour schedule" not in korean

    response = client.post(f"/speaker/{speaker.feed_token}/language",
                           data={"locale": "en", "page": "itinerary"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/speaker/{speaker.feed_token}"
    db.session.expire_all()
    assert speaker.locale == "en"

    english = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Your tour schedule" in english
    assert "Wednesday, March 10, 2027" in english
    assert KO_TITLE not in english


def test_lang_parameter_shows_the_other_language_without_saving_it(client, speaker):
    english = client.get(f"/speaker/{speaker.feed_token}?lang=en").get_data(as_text=True)

    assert "Your tour schedule" in english
    assert f"/speaker/{speaker.feed_token}/availability?lang=en" in english
    db.session.expire_all()
    assert speaker.locale == "ko"
    assert KO_TITLE in client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)


def test_an_unknown_language_is_refused(client, speaker):
    response = client.post(f"/speaker/{speaker.feed_token}/language",
                           data={"locale": "fr", "page": "itinerary"})

    assert response.status_code == 400
    db.session.expire_all()
    assert speaker.locale == "ko"


def test_form_messages_and_dates_are_in_korean(client, speaker):
    bad = client.post(f"/speaker/{speaker.feed_token}/availability", data={"day": "10/03/2027"})
    assert "날짜를 연-월-일 형식으로 입력해 주십시오." in bad.get_data(as_text=True)

    saved = client.post(f"/speaker/{speaker.feed_token}/availability",
                        data={"day": "2027-03-20"}, follow_redirects=True)
    assert "저장했습니다. 2027년 3월 20일 토요일에는 강연하실 수 없습니다." in saved.get_data(
        as_text=True)


def test_the_speakers_calendar_feed_is_worded_in_their_language(client, speaker):
    feed = client.get(f"/feeds/speaker/{speaker.feed_token}.ics")
    assert feed.status_code == 200

    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")

    assert str(event["SUMMARY"]) == "Royce Hall 강연 (LiNK at UCLA)"
    assert "일시: 2027년 3월 10일 수요일" in str(event["DESCRIPTION"])


def test_coordinator_pages_stay_in_english_after_a_speaker_chooses_korean(app, client, speaker):
    assert "본문으로 건너뛰기" in client.get(f"/speaker/{speaker.feed_token}").get_data(
        as_text=True)

    with app.app_context():  # a request of its own, as in production (tests share one context)
        login = client.get("/coordinator/login").get_data(as_text=True)

    assert '<html lang="en">' in login
    assert "Skip to content" in login
    assert "본문으로 건너뛰기" not in login


def test_the_header_footer_and_title_of_a_korean_page_are_korean(client, speaker):
    korean = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    header = korean[korean.index("<header"):korean.index("</header>")]
    footer = korean[korean.index("<footer"):korean.index("</footer>")]
    title = korean[korean.index("<title>"):korean.index("</title>")]

    assert "강연 투어 일정 관리" in header and "강연 투어 일정 관리" in footer
    assert "강연 투어 일정 관리" in title
    assert 'aria-label="주 메뉴"' in header
    assert "Speaker Tour Scheduler" not in korean


def test_the_korean_feed_writes_times_the_way_the_korean_page_does(client, speaker):
    page = client.get(f"/speaker/{speaker.feed_token}").get_data(as_text=True)
    feed = client.get(f"/feeds/speaker/{speaker.feed_token}.ics")
    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")
    description = str(event["DESCRIPTION"])

    assert "오후 7:00" in page
    assert "2027년 3월 10일 수요일 오후 7:00" in description
    assert "PM" not in description

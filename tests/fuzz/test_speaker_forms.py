"""Hostile input on a speaker's own pages: the dates they cannot do (with a note) and their
language. A date is saved or refused with a message; a note is saved as typed (trimmed) and
shown as text, and it survives the coordinator's speaker form without turning into a date."""

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.extensions import db
from scheduler.models import SpeakerUnavailability
from tests.fuzz.checks import assert_inert, assert_refused_with_message, html_of, path_part, send
from tests.fuzz.strategies import (
    FUZZ,
    ICAL_INJECTION,
    IMG,
    SCRIPT,
    bad_number,
    hostile_text,
    malformed_date,
    oversized_text,
)
from tests.test_request_form import Page

FREE_DAY = "2027-03-20"


@pytest.fixture
def tour(make):
    return make.tour(start=date(2027, 3, 1), end=date(2027, 4, 25))


@pytest.fixture
def speaker(make, tour):
    return make.speaker(tour, unavailable=(date(2027, 3, 5),), locale="en")


def marks(speaker) -> list[tuple]:
    db.session.expire_all()
    return [(m.date, m.note, m.marked_by) for m in speaker.unavailability]


def availability_url(speaker) -> str:
    return f"/speaker/{speaker.feed_token}/availability"


def forget_speaker_marks(speaker) -> None:
    """Each example starts with only the coordinator's mark, so dates are free to mark again."""
    db.session.execute(
        db.delete(SpeakerUnavailability).where(
            SpeakerUnavailability.speaker_id == speaker.id,
            SpeakerUnavailability.marked_by == "speaker",
        )
    )
    db.session.commit()


@settings(FUZZ, max_examples=30)
@given(day=st.one_of(malformed_date(), hostile_text()))
@example(day="2027-02-30")
@example(day="27/3/2027")
@example(day="")
@example(day="0000-00-00")
@example(day="9" * 40)
@example(day="2027-03-05")
def test_a_malformed_or_impossible_date_is_refused_with_a_message(client, speaker, day):
    forget_speaker_marks(speaker)
    before = marks(speaker)
    response = send(client, "POST", availability_url(speaker), data={"day": day, "note": ""})
    if response.status_code == 302:
        added = [m for m in marks(speaker) if m not in before]
        assert len(added) == 1 and speaker.tour.start <= added[0][0] <= speaker.tour.end
    else:
        assert_refused_with_message(response, statuses=(422,))
        assert marks(speaker) == before


@settings(FUZZ, max_examples=30)
@given(note=st.one_of(hostile_text(), oversized_text()))
@example(note=SCRIPT)
@example(note=IMG)
@example(note=ICAL_INJECTION)
@example(note="family\n2027-04-01 smuggled")
@example(note="nul\x00byte")
def test_a_hostile_note_is_saved_trimmed_and_shown_as_text_or_refused(client, speaker, note):
    forget_speaker_marks(speaker)
    before = marks(speaker)
    response = send(client, "POST", availability_url(speaker), data={"day": FREE_DAY,
                                                                     "note": note})
    if response.status_code == 302:
        added = [m for m in marks(speaker) if m not in before]
        assert added == [(date.fromisoformat(FREE_DAY), note.strip(), "speaker")]
        assert_inert(html_of(send(client, "GET", availability_url(speaker))), note.strip())
    else:
        assert_refused_with_message(response, statuses=(422,))
        assert marks(speaker) == before


@settings(FUZZ, max_examples=10)
@given(note=hostile_text())
@example(note="family\n2027-04-01 smuggled")
@example(note="family\r2027-04-02")
@example(note="visit\u20282027-04-03")
def test_a_speakers_note_survives_the_coordinators_speaker_form_unchanged(
    client, auth, tour, speaker, note
):
    """The coordinator's form lists marks one per line: a note must not add a date, or block
    the coordinator from saving the speaker."""
    forget_speaker_marks(speaker)
    response = send(client, "POST", availability_url(speaker), data={"day": FREE_DAY,
                                                                     "note": note})
    if response.status_code != 302:
        assert_refused_with_message(response, statuses=(422,))
        return
    before = marks(speaker)
    auth.login()
    edit = f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/edit"
    shown = Page(html_of(send(client, "GET", edit)))
    data = {name: values if name == "languages" else values[0]
            for name, values in shown.values.items()}
    response = send(client, "POST", edit, data=data)
    assert response.status_code == 302, html_of(response)[-2000:]
    assert [(d, n) for d, n, _ in marks(speaker)] == [(d, n) for d, n, _ in before]
    auth.logout()


@settings(FUZZ, max_examples=20)
@given(locale=st.one_of(hostile_text(), st.sampled_from(["ko", "en", "fr", "KO", "ko\n"])),
       page=st.one_of(hostile_text(), st.sampled_from(["itinerary", "availability"])),
       lang=st.one_of(hostile_text(), st.just("ko")))
@example(locale="ko'; DROP TABLE speaker; --", page="itinerary", lang="ko")
@example(locale="ko", page="../../coordinator", lang=SCRIPT)
def test_a_hostile_language_choice_is_refused_and_keeps_the_saved_one(
    client, speaker, locale, page, lang
):
    speaker.locale = "en"
    db.session.commit()
    response = send(client, "POST", f"/speaker/{speaker.feed_token}/language",
                    query_string={"lang": lang}, data={"locale": locale, "page": page})
    db.session.expire_all()
    if locale in ("en", "ko") and page in ("itinerary", "availability"):
        assert response.status_code == 302 and speaker.locale == locale
    else:
        assert response.status_code == 400
        refused = html_of(response)
        assert "The request could not be read" in refused or "요청을 읽을 수 없습니다" in refused
        assert speaker.locale == "en"
    assert_inert(html_of(send(client, "GET", f"/speaker/{speaker.feed_token}",
                              query_string={"lang": lang})))


@settings(FUZZ, max_examples=20)
@given(mark_id=st.one_of(bad_number(), hostile_text()).filter(bool),
       token=st.one_of(hostile_text(), st.just("")))
@example(mark_id="1 OR 1=1", token="")
@example(mark_id="1", token="' OR '1'='1")
def test_hostile_ids_and_tokens_remove_no_mark(client, speaker, mark_id, token):
    before = marks(speaker)
    owner = token or speaker.feed_token
    url = f"/speaker/{path_part(owner)}/availability/{path_part(mark_id)}/remove"
    response = send(client, "POST", url)
    assert response.status_code in (404, 405)
    assert marks(speaker) == before

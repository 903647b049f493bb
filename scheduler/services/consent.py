"""What hosts and audiences may know of a speaker: the public name and the consent rules.

``public_name`` is the only place that decides how a speaker is named to a chapter: the request
page, the printable notice, every chapter email and the chapter's calendar feed call it. It
honours the speaker's naming choice and the tour's name timing, so a name a speaker keeps back
cannot slip out through one page that forgot a rule.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    PhotoConsent,
    PublicNaming,
    RequestState,
    Speaker,
    Tour,
)
from scheduler.services import mail, wording
from scheduler.web.urls import absolute_url

HIDDEN_NAME = "a speaker from North Korea"
PHOTO_RULES = {
    PhotoConsent.YES: "Photos of the speaker are welcome.",
    PhotoConsent.NO_FACES: (
        "Photos only without the speaker's face (from behind, or the stage and slides): "
        "no picture may show the face."
    ),
    PhotoConsent.NONE: "No photos of the speaker at all.",
}
# The speaker's choices, as a coordinator or the speaker sets them.
CONSENT_FIELDS = (
    "photo_consent",
    "recording_consent",
    "livestream_consent",
    "public_naming",
    "first_name",
    "pseudonym",
)


def venue_today(timezone: str, now: datetime | None = None) -> date:
    """The calendar date at the venue at ``now`` (default: this moment)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()


def name_is_shown(tour: Tour, event_day: date, timezone: str, now: datetime | None = None) -> bool:
    """Whether chapters may see the speaker's name yet: from publication, or only from
    ``tour.name_shown_days_before`` days before the event, counted at the venue."""
    if tour.name_shown_days_before is None:
        return True
    shown_from = event_day - timedelta(days=tour.name_shown_days_before)
    return venue_today(timezone, now) >= shown_from


def chosen_name(speaker: Speaker) -> str:
    """The name the speaker chose for the public, whatever the date. An empty choice names
    nobody: the speaker's display name is never the fallback of another choice."""
    if speaker.public_naming == PublicNaming.FIRST_NAME:
        return speaker.first_name.strip() or HIDDEN_NAME
    if speaker.public_naming == PublicNaming.PSEUDONYM:
        return speaker.pseudonym.strip() or HIDDEN_NAME
    return speaker.display_name


def public_name(
    speaker: Speaker, event_day: date, timezone: str, now: datetime | None = None
) -> str:
    """How a chapter names this speaker for the event on ``event_day`` at a venue in
    ``timezone``."""
    if not name_is_shown(speaker.tour, event_day, timezone, now):
        return HIDDEN_NAME
    return chosen_name(speaker)


def listed_name(speaker: Speaker) -> str | None:
    """The name in a list of the tour's speakers with no event to date it (the request form's
    preferred speakers): none while the tour keeps names back until shortly before events."""
    if speaker.tour.name_shown_days_before is not None:
        return None
    return chosen_name(speaker)


def public_name_at(assignment: Assignment, now: datetime | None = None) -> str:
    return public_name(assignment.speaker, assignment.date, assignment.request.timezone, now)


def consent_rules(speaker: Speaker, name: str) -> list[str]:
    """The rules in plain words for the host: photos, recording, livestream, naming."""
    return [
        PHOTO_RULES.get(speaker.photo_consent, PHOTO_RULES[PhotoConsent.NONE]),
        "Audio and video recording of the talk is allowed."
        if speaker.recording_consent
        else "No audio or video recording of the talk.",
        "Livestreaming the talk is allowed."
        if speaker.livestream_consent
        else "No livestreaming of the talk.",
        f'In public (posters, social media, introductions) name the speaker only as "{name}".',
    ]


def rules_for(assignment: Assignment, now: datetime | None = None) -> list[str]:
    return consent_rules(assignment.speaker, public_name_at(assignment, now))


def consent_of(speaker: Speaker) -> dict:
    """What hosts are told of the speaker, timing aside: compared before and after a change."""
    return {
        "photo_consent": speaker.photo_consent,
        "recording_consent": speaker.recording_consent,
        "livestream_consent": speaker.livestream_consent,
        "name": chosen_name(speaker),
    }


def upcoming_published_events(speaker: Speaker, now: datetime | None = None) -> list[Assignment]:
    """The speaker's confirmed events that chapters have been told of and that lie ahead."""
    if not speaker.tour.versions:
        return []
    rows = db.session.execute(
        db.select(Assignment).filter_by(speaker_id=speaker.id, state=AssignmentState.CONFIRMED)
    ).scalars()
    return [
        row
        for row in rows
        if row.request.state == RequestState.SUBMITTED
        and row.date >= venue_today(row.request.timezone, now)
    ]


def tell_chapters_of_change(speaker: Speaker, before: dict, now: datetime | None = None) -> int:
    """After a saved change: when what hosts are told changed and the schedule is published,
    email each chapter with an event of this speaker ahead once. Returns how many were sent."""
    if consent_of(speaker) == before:
        return 0
    by_chapter: dict[int, list[Assignment]] = defaultdict(list)
    for row in upcoming_published_events(speaker, now):
        by_chapter[row.request.chapter_id].append(row)
    notices = [
        _consent_notice(events, now)
        for events in by_chapter.values()
        if events[0].request.chapter.contact_email
    ]
    mail.send(notices)
    return len(notices)


def _consent_notice(events: list[Assignment], now: datetime | None) -> EmailMessage:
    """In English, as every chapter email is, even when a Korean speaker's save sends it."""
    chapter = events[0].request.chapter
    with force_locale("en"):
        body = render_template(
            "mail/consent_change.txt",
            contact_name=chapter.contact_name,
            tour_name=events[0].request.tour.name,
            events=[
                {
                    "day": wording.long_day(row.date),
                    "venue": row.request.venue_name,
                    "speaker": public_name_at(row, now),
                    "rules": rules_for(row, now),
                    "link": absolute_url("public.request_view", token=row.request.token),
                }
                for row in sorted(events, key=lambda row: row.date)
            ],
        )
    subject = "Your speaker's rules for photos, recording and naming have changed"
    return mail.message(chapter.contact_email, subject, body)

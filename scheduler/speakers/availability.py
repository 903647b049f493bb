"""The dates a speaker cannot do, as they mark them on their own page.

Marks are plain ``SpeakerUnavailability`` rows with ``marked_by="speaker"``, so the tour export
and the next solve respect them like a coordinator's; ``clashes`` shows coordinators what they
break. A speaker may remove only the marks they made themselves.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date, gettext
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.models import Speaker, SpeakerUnavailability, Tour
from scheduler.services.clashes import clashing_assignments
from scheduler.services.event_checks import Clash
from scheduler.services.review import preload

MARKED_BY_SPEAKER = "speaker"


def tour_today(tour: Tour) -> date:
    """"Today" on the tour's own clock, so the past ends at the same midnight for everyone."""
    return datetime.now(ZoneInfo(tour.timezone)).date()


def check_day(speaker: Speaker, day: date, today: date) -> str | None:
    """Why this date cannot be marked, in the speaker's language; None when it can."""
    tour = speaker.tour
    if not tour.start <= day <= tour.end:
        return gettext(
            "Choose a date within the tour, from %(start)s to %(end)s.",
            start=format_date(tour.start, "long"),
            end=format_date(tour.end, "long"),
        )
    if day < today:
        return gettext("That date has already passed.")
    if day in speaker.unavailable_dates:
        return already_marked(day)
    return None


def already_marked(day: date) -> str:
    return gettext("%(day)s is already marked as a day you cannot do.",
                   day=format_date(day, "full"))


def mark_unavailable(speaker: Speaker, day: date, note: str) -> SpeakerUnavailability | None:
    """None when the same date was stored meanwhile (a double submit): the unique key decides."""
    mark = SpeakerUnavailability(
        speaker=speaker, date=day, note=note.strip(), marked_by=MARKED_BY_SPEAKER
    )
    db.session.add(mark)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return mark


def own_mark(speaker: Speaker, mark_id: int) -> SpeakerUnavailability | None:
    """One of this speaker's own marks; another's, or a coordinator's, is not theirs to remove."""
    mark = db.session.get(SpeakerUnavailability, mark_id)
    if mark is None or mark.speaker_id != speaker.id or mark.marked_by != MARKED_BY_SPEAKER:
        return None
    return mark


def remove_mark(mark: SpeakerUnavailability) -> None:
    db.session.delete(mark)
    db.session.commit()


def clashes_on(speaker: Speaker, day: date) -> list[Clash]:
    """The speaker's own events that a mark on ``day`` breaks."""
    tour = preload(speaker.tour)[0]  # the whole tour is read: a few queries, not one a request
    return [
        clash
        for clash in clashing_assignments(tour)
        if clash.assignment.speaker_id == speaker.id and clash.assignment.date == day
    ]

"""What each reader's feed says about an event: the speaker, the chapter, the coordinators.

The chapter's wording is built only from its own request, the speaker's public name and consent
rules (``services.consent``), so no speaker contact, full name or home can leak into it, whatever
the templates of the others say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from flask_babel import force_locale, gettext

from scheduler import clock
from scheduler.feeds.selection import HeldEvent
from scheduler.models import Assignment, Request
from scheduler.services.advance import advance_of
from scheduler.services.calendar import CalendarEvent
from scheduler.services.consent import public_name_at, rules_for
from scheduler.services.itinerary import venue_times
from scheduler.web.urls import base_host


def event_uid(request: Request) -> str:
    """Fixed for the request's whole life, whoever speaks, whenever: re-solves never duplicate."""
    return f"{request.event_uid}@{base_host()}"


def venue_line(request: Request) -> str:
    parts = (request.venue_name, request.venue_address, request.city)
    return ", ".join(part for part in parts if part)


def _when(start: datetime, locale: str) -> str:
    """Date, local time and the zone's name, so nobody has to guess which clock is meant."""
    day = format_date(start, "full", locale=locale)
    zone = clock.zone_name(str(start.tzinfo), locale, start)
    return f"{day} {clock.short_time(start, locale)} ({zone})"


def _language_name(code: str, locale: str) -> str:
    try:
        return Locale.parse(code).get_display_name(locale) or code
    except (ValueError, UnknownLocaleError):
        return code


def _contact(chapter) -> str:
    return gettext(
        "Contact: %(name)s <%(email)s>", name=chapter.contact_name, email=chapter.contact_email
    )


def _summary(title: str, cancelled: bool) -> str:
    return gettext("Cancelled: %(title)s", title=title) if cancelled else title


def speaker_wording(assignment: Assignment, held: HeldEvent, locale: str) -> tuple[str, str]:
    """The speaker's own event: everything they need to get there and reach the chapter."""
    request, chapter = assignment.request, assignment.request.chapter
    start, _ = venue_times(request, assignment.date)
    title = gettext(
        "Talk at %(venue)s (%(chapter)s)", venue=request.venue_name, chapter=chapter.name
    )
    lines = [
        gettext("When: %(when)s", when=_when(start, locale)),
        gettext("Chapter: %(chapter)s", chapter=chapter.name),
    ]
    if chapter.school:
        lines.append(gettext("School: %(school)s", school=chapter.school))
    lines.append(_contact(chapter))
    if chapter.contact_phone:
        lines.append(gettext("Phone: %(phone)s", phone=chapter.contact_phone))
    lines.append(
        gettext("Talk language: %(language)s", language=_language_name(request.language, locale))
    )
    if request.expected_audience:
        lines.append(gettext("Expected audience: %(count)s", count=request.expected_audience))
    lines.extend(_advance_lines(request, start, locale))
    return _summary(title, held.cancelled), "\n".join(lines)


def _advance_lines(request: Request, start: datetime, locale: str) -> list[str]:
    """What the chapter's advance tells the speaker for the day: host, room and arrival."""
    details = advance_of(request)
    if details is None:
        return []
    lines = []
    if details.host_name or details.host_phone:
        lines.append(gettext("Host on the day: %(name)s %(phone)s", name=details.host_name,
                             phone=details.host_phone).strip())
    if details.building or details.room:
        lines.append(gettext("Room: %(room)s", room=", ".join(
            part for part in (details.building, details.room) if part)))
    if details.arrival_time:
        arrival = start.replace(hour=details.arrival_time.hour,
                                minute=details.arrival_time.minute)
        lines.append(gettext("Arrive at: %(time)s", time=clock.short_time(arrival, locale)))
    return lines


def chapter_wording(assignment: Assignment, held: HeldEvent, locale: str) -> tuple[str, str]:
    """The chapter's own event, naming the speaker only as the speaker allows, with the
    speaker's rules for photos, recording and livestreaming (in English, as chapters read)."""
    request = assignment.request
    start, _ = venue_times(request, assignment.date)
    speaker = public_name_at(assignment)
    title = gettext("%(speaker)s speaks at %(venue)s", speaker=speaker, venue=request.venue_name)
    lines = [
        gettext("When: %(when)s", when=_when(start, locale)),
        gettext("Speaker: %(speaker)s", speaker=speaker),
        gettext("Tour: %(tour)s", tour=request.tour.name),
        *(f"- {rule}" for rule in rules_for(assignment)),
    ]
    return _summary(title, held.cancelled), "\n".join(lines)


def coordinator_wording(assignment: Assignment, held: HeldEvent, locale: str) -> tuple[str, str]:
    """The whole tour at a glance: who speaks where, and whom to call at the chapter."""
    request, chapter = assignment.request, assignment.request.chapter
    start, _ = venue_times(request, assignment.date)
    speaker = assignment.speaker.display_name
    title = gettext(
        "%(speaker)s at %(venue)s (%(chapter)s)",
        speaker=speaker,
        venue=request.venue_name,
        chapter=chapter.name,
    )
    lines = [
        gettext("When: %(when)s", when=_when(start, locale)),
        gettext("Speaker: %(speaker)s", speaker=speaker),
        gettext("Chapter: %(chapter)s", chapter=chapter.name),
        _contact(chapter),
    ]
    return _summary(title, held.cancelled), "\n".join(lines)


Wording = Callable[[Assignment, HeldEvent, str], tuple[str, str]]


def calendar_events(
    held: list[HeldEvent],
    assignments: dict[int, Assignment],
    wording: Wording,
    locale: str,
    url_for_request: Callable[[Request], str | None],
) -> list[CalendarEvent]:
    """Every text is produced inside ``force_locale`` so the reader's catalogue is used."""
    events = []
    with force_locale(locale):
        for item in held:
            assignment = assignments[item.assignment_id]
            request = assignment.request
            start, end = venue_times(request, assignment.date)
            summary, description = wording(assignment, item, locale)
            events.append(
                CalendarEvent(
                    uid=event_uid(request),
                    start=start,
                    end=end,
                    summary=summary,
                    location=venue_line(request),
                    geo=(request.lat, request.lon),
                    description=description,
                    url=url_for_request(request),
                    sequence=item.sequence,
                    modified=item.modified,
                    cancelled=item.cancelled,
                )
            )
    return events

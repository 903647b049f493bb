"""A chapter's request: the rules for creating, changing and withdrawing it (no HTTP here).

Callers hand over a ``RequestDraft``; ``problems`` says what is wrong with it, keyed by the field
it concerns (``"city"``, ``"choices"``, ``"choices.2.last_date"`` for the third choice), so a form
can show each message beside its field and a script gets the same answers. A value of ``None`` in
a draft means "not given" for optional fields and "could not be read" for the rest; such values
are not checked again here, since whoever parsed them has already said what was wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton

from scheduler import gazetteer
from scheduler.extensions import db
from scheduler.models import (
    AssignmentState,
    Chapter,
    Request,
    RequestChoice,
    RequestState,
    Tour,
    TourState,
)
from scheduler.services import assignments
from scheduler.solver.geo import haversine_km
from scheduler.text import has_control_characters

MAX_CHOICES = 5
CHAPTER_LOCALE = "en"  # chapters' pages and messages are English (babel.cfg)
MAX_CITY_CHOICES = 12  # cities named in the message for an ambiguous name ("Springfield")
ALL_WEEKDAYS = "1234567"
LANGUAGES = {"en": "English", "ko": "Korean"}
# Text limits, in characters; the form states them and the database columns hold them.
LIMITS = {
    "chapter_name": 200,
    "school": 200,
    "contact_name": 200,
    "contact_email": 254,
    "contact_phone": 50,
    "venue_name": 200,
    "venue_address": 300,
    "city": 200,
    "notes": 4000,
}
REQUIRED_TEXT = ("chapter_name", "contact_name", "contact_email", "venue_name", "city")
MULTILINE = {"notes"}
# Exact coordinates further than this from the chosen city are most likely a typo (a lost minus).
MAX_KM_FROM_CITY = 150.0


class ChoiceKind:
    DATE = "date"
    WEEK = "week"
    RANGE = "range"
    ALL = (DATE, WEEK, RANGE)


@dataclass
class ChoiceDraft:
    """One ranked choice as a chapter states it: a date, the week of a date, or a range."""

    kind: str
    first_date: date | None
    last_date: date | None = None
    weekdays: str = ALL_WEEKDAYS


@dataclass
class RequestDraft:
    chapter_name: str
    contact_name: str
    contact_email: str
    venue_name: str
    city: str
    choices: list[ChoiceDraft]
    school: str = ""
    contact_phone: str = ""
    venue_address: str = ""
    lat: float | None = None
    lon: float | None = None
    start_time: time | None = time(19, 0)
    duration_minutes: int | None = 90
    expected_audience: int | None = None
    language: str = "en"
    preferred_speaker_ids: list[int] = field(default_factory=list)
    notes: str = ""


class RequestRejected(Exception):
    """The draft breaks the rules; ``errors`` maps a field key to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(m)}" for key, m in errors.items()))
        self.errors = errors


def _day(day: date, skeleton: str = "yMMMMd") -> str:
    """A date in the chapters' messages, Babel's way: "March 10, 2027", "Wed, March 10"."""
    if skeleton == "yMMMMd":
        return format_date(day, "long", locale=CHAPTER_LOCALE)
    return format_skeleton(skeleton, day, locale=CHAPTER_LOCALE)


def start_needs_year(start: date, end: date) -> bool:
    """A span's first day is written with its year only when the span crosses New Year: "March 1
    to April 25, 2027", but "December 21, 2026 to February 14, 2027", never "December 21 to
    February 14, 2027", which reads as a span running backwards."""
    return start.year != end.year


def closed_reason(tour: Tour, today: date | None = None) -> str | None:
    """Why a tour refuses requests now, in words for a chapter; None while it accepts them.

    The one rule for taking requests: the tour is open and its deadline has not passed.
    Publishing a schedule does not close a tour; requests made later go into the next solve.
    """
    today = today or date.today()
    if tour.state == TourState.DRAFT:
        return "This tour is not open for requests yet."
    if tour.state == TourState.CLOSED:
        return "This tour is closed: it no longer takes requests or changes to them."
    if tour.request_deadline is not None and today > tour.request_deadline:
        return (
            f"Requests for this tour closed on {_day(tour.request_deadline)}; "
            "it no longer takes requests or changes to them."
        )
    if today > tour.end:
        return "This tour is over."
    return None


def can_edit(request: Request, today: date | None = None) -> bool:
    return request.state == RequestState.SUBMITTED and closed_reason(request.tour, today) is None


def choice_span(choice: ChoiceDraft, tour: Tour, today: date) -> tuple[date, date]:
    """The first and last date a choice covers. A week is Monday to Sunday, cut to the tour's
    window and to the days still to come, since the chapter did not name those dates itself."""
    if choice.kind == ChoiceKind.WEEK:
        monday = choice.first_date - timedelta(days=choice.first_date.weekday())
        return max(monday, tour.start, today), min(monday + timedelta(days=6), tour.end)
    if choice.kind == ChoiceKind.RANGE:
        return choice.first_date, choice.last_date
    return choice.first_date, choice.first_date


def _weekdays(choice: ChoiceDraft) -> str:
    return ALL_WEEKDAYS if choice.kind == ChoiceKind.DATE else choice.weekdays


def _days(first: date, last: date, weekdays: str, not_before: date) -> frozenset[date]:
    first = max(first, not_before)
    return frozenset(
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if str((first + timedelta(days=n)).isoweekday()) in weekdays
    )


def _text_problems(draft: RequestDraft, add) -> None:
    """Text is stored exactly as typed, within its limit and without control characters
    (a line break only where several lines make sense)."""
    for name, limit in LIMITS.items():
        value = getattr(draft, name)
        if value is None:
            continue
        if name in REQUIRED_TEXT and not value.strip():
            add(name, "This field is required.")
        elif len(value) > limit:
            add(name, f"Use at most {limit:,} characters (this has {len(value):,}).")
        elif name in MULTILINE and has_control_characters(value, lines=True):
            add(name, "Remove the control characters.")
        elif name not in MULTILINE and has_control_characters(value):
            add(name, "Use a single line, without line breaks or control characters.")


def _place_problems(draft: RequestDraft, add) -> gazetteer.City | None:
    city = gazetteer.resolve(draft.city) if draft.city else None
    same_name = gazetteer.named(draft.city) if draft.city and city is None else []
    if same_name:
        add(
            "city",
            f"Several cities are called {same_name[0].name}. Write which one, as “City, "
            f"State”: {'; '.join(c.label for c in same_name[:MAX_CITY_CHOICES])}.",
        )
    elif draft.city and city is None:
        add(
            "city",
            "Unknown city. Choose one from the list, written “City, State”. If your town is "
            "not listed, choose the nearest city and give the venue's exact coordinates.",
        )
    coordinates_ok = True
    for key, value, limit in (("lat", draft.lat, 90), ("lon", draft.lon, 180)):
        if value is None:
            continue
        if not math.isfinite(value) or not -limit <= value <= limit:
            add(key, f"Must be a number between -{limit} and {limit}.")
            coordinates_ok = False
    if (draft.lat is None) != (draft.lon is None):
        missing = "lon" if draft.lon is None else "lat"
        add(missing, "Give both latitude and longitude, or neither.")
    elif draft.lat is not None and coordinates_ok and city is not None:
        km = haversine_km(city.lat, city.lon, draft.lat, draft.lon)
        if km > MAX_KM_FROM_CITY:
            add(
                "lat",
                f"These coordinates are {km:,.0f} km from {city.label}. Check them (west "
                "longitudes are negative), or choose the city nearest to the venue.",
            )
    return city


def _choice_problems(tour: Tour, choices: list[ChoiceDraft], today: date, add) -> None:
    if not choices:
        add("choices", "Give at least one date.")
    if len(choices) > MAX_CHOICES:
        add("choices", f"Give at most {MAX_CHOICES} choices.")
    first = _day(tour.start, "yMMMMd" if start_needs_year(tour.start, tour.end) else "MMMMd")
    window = f"{first} and {_day(tour.end)}"
    seen: set[frozenset[date]] = set()
    for index, choice in enumerate(choices):
        key = f"choices.{index}"
        if choice.kind not in ChoiceKind.ALL:
            add(f"{key}.kind", "Choose how flexible this choice is.")
            continue
        if choice.first_date is None:
            continue
        wrong = False
        for part, day in (("first_date", choice.first_date), ("last_date", choice.last_date)):
            if day is None or (part == "last_date" and choice.kind != ChoiceKind.RANGE):
                continue
            if day < today:
                add(f"{key}.{part}", f"{_day(day)} is in the past.")
                wrong = True
            elif not tour.start <= day <= tour.end:
                add(f"{key}.{part}", f"Choose a date between {window} (the tour's dates).")
                wrong = True
        if choice.kind == ChoiceKind.RANGE:
            if choice.last_date is None:
                add(f"{key}.last_date", "Give the last date of the range.")
                continue
            if choice.last_date < choice.first_date:
                add(f"{key}.last_date", "The last date is before the first date.")
                continue
        if wrong:
            continue
        first, last = choice_span(choice, tour, today)
        weekdays = _weekdays(choice)
        days = _days(first, last, weekdays, today)
        if not days:
            add(
                f"{key}.weekdays",
                "Tick at least one day." if not weekdays else
                f"None of the ticked days falls between {_day(first, 'MMMMEd')} and "
                f"{_day(last, 'MMMMEd')}.",
            )
            continue
        if days in seen:
            add(f"{key}.first_date", "Same dates as an earlier choice.")
            continue
        seen.add(days)


def _local_today(city: gazetteer.City | None, tour: Tour) -> date:
    return datetime.now(ZoneInfo(city.timezone if city else tour.timezone)).date()


def problems(tour: Tour, draft: RequestDraft, today: date | None = None) -> dict[str, list[str]]:
    """Everything wrong with a draft for this tour, keyed by field; empty when it can be saved.

    "Today" is the venue's today when its city is known (else the tour's), so a date is in the
    past exactly when it is in the past where the event happens.
    """
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    reason = closed_reason(tour, today)
    if reason:
        add("tour", reason)
    _text_problems(draft, add)
    city = _place_problems(draft, add)
    _choice_problems(tour, draft.choices, today or _local_today(city, tour), add)
    if draft.language not in LANGUAGES:
        add("language", "Choose English or Korean.")
    speaker_ids = {speaker.id for speaker in tour.speakers}
    if any(speaker_id not in speaker_ids for speaker_id in draft.preferred_speaker_ids):
        add("preferred_speakers", "Choose speakers of this tour only.")
    return errors


def _require_valid(
    tour: Tour, draft: RequestDraft, today: date | None
) -> tuple[gazetteer.City, date]:
    errors = problems(tour, draft, today)
    unread = [
        name for name in (*REQUIRED_TEXT, "start_time", "duration_minutes")
        if getattr(draft, name) is None
    ] + [f"choices.{i}.first_date" for i, c in enumerate(draft.choices) if c.first_date is None]
    for key in unread:
        errors.setdefault(key, ["This field is required."])
    if errors:
        raise RequestRejected(errors)
    city = gazetteer.resolve(draft.city)
    return city, today or _local_today(city, tour)


def _apply(request: Request, draft: RequestDraft, city: gazetteer.City, today: date) -> None:
    chapter = request.chapter
    chapter.name = draft.chapter_name
    chapter.school = draft.school
    chapter.contact_name = draft.contact_name
    chapter.contact_email = draft.contact_email
    chapter.contact_phone = draft.contact_phone
    request.venue_name = draft.venue_name
    request.venue_address = draft.venue_address
    request.city = city.label
    exact = draft.lat is not None
    request.lat = draft.lat if exact else city.lat
    request.lon = draft.lon if exact else city.lon
    request.timezone = city.timezone
    request.start_time = draft.start_time
    request.duration_minutes = draft.duration_minutes
    request.expected_audience = draft.expected_audience
    request.language = draft.language
    request.notes = draft.notes
    request.preferred_speakers = [
        speaker for speaker in request.tour.speakers if speaker.id in draft.preferred_speaker_ids
    ]
    request.choices = []
    for rank, choice in enumerate(draft.choices, start=1):
        first, last = choice_span(choice, request.tour, today)
        request.choices.append(
            RequestChoice(rank=rank, first_date=first, last_date=last, weekdays=_weekdays(choice))
        )


def create(tour: Tour, draft: RequestDraft, today: date | None = None) -> Request:
    """Save a new request (its private token comes from ``models.new_token``) or raise."""
    city, today = _require_valid(tour, draft, today)
    request = Request(tour=tour, chapter=Chapter())
    with db.session.no_autoflush:
        _apply(request, draft, city, today)
    db.session.add(request)
    db.session.commit()
    return request


def update(request: Request, draft: RequestDraft, today: date | None = None) -> Request:
    """Change a request while its tour accepts requests; its choices are replaced as a whole."""
    if request.state != RequestState.SUBMITTED:
        raise RequestRejected({"request": ["This request was withdrawn; it cannot be changed."]})
    city, today = _require_valid(request.tour, draft, today)
    before = assignments.event_details(request)
    with db.session.no_autoflush:
        _apply(request, draft, city, today)
    if assignments.event_details(request) != before:
        assignments.announce_change(request)
    db.session.commit()
    return request


def withdraw(request: Request) -> None:
    """Withdraw a request at any time; a planned or confirmed visit is cancelled with it."""
    if request.state == RequestState.WITHDRAWN:
        return
    request.state = RequestState.WITHDRAWN
    for assignment in request.assignments:
        if assignment.state in (AssignmentState.CONFIRMED, AssignmentState.PROPOSED):
            assignments.cancel(assignment)
    db.session.commit()


def draft_from(request: Request) -> RequestDraft:
    """A stored request as a draft, to prefill its edit form."""
    city = gazetteer.lookup(request.city)
    exact = city is None or (request.lat, request.lon) != (city.lat, city.lon)
    return RequestDraft(
        chapter_name=request.chapter.name,
        school=request.chapter.school,
        contact_name=request.chapter.contact_name,
        contact_email=request.chapter.contact_email,
        contact_phone=request.chapter.contact_phone,
        venue_name=request.venue_name,
        venue_address=request.venue_address,
        city=request.city,
        lat=request.lat if exact else None,
        lon=request.lon if exact else None,
        start_time=request.start_time,
        duration_minutes=request.duration_minutes,
        expected_audience=request.expected_audience,
        language=request.language,
        preferred_speaker_ids=[speaker.id for speaker in request.preferred_speakers],
        notes=request.notes,
        choices=[_choice_draft(choice) for choice in request.choices],
    )


def _choice_draft(choice: RequestChoice) -> ChoiceDraft:
    if choice.first_date == choice.last_date and choice.weekdays == ALL_WEEKDAYS:
        return ChoiceDraft(kind=ChoiceKind.DATE, first_date=choice.first_date)
    if choice.first_date.isoweekday() == 1 and (choice.last_date - choice.first_date).days == 6:
        return ChoiceDraft(
            kind=ChoiceKind.WEEK, first_date=choice.first_date, weekdays=choice.weekdays
        )
    return ChoiceDraft(
        kind=ChoiceKind.RANGE,
        first_date=choice.first_date,
        last_date=choice.last_date,
        weekdays=choice.weekdays,
    )


def left_out_of_published_schedule(request: Request) -> bool:
    """A schedule was published after this request came in, and it has no event for it.

    A request sent after the latest publication waits for the next solve instead.
    """
    versions = request.tour.versions
    return (
        bool(versions)
        and versions[-1].published_at >= request.created_at
        and request.assignment_in(AssignmentState.CONFIRMED) is None
    )

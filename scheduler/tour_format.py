"""The tour format (speaker-tour/2, see ../shared/tour-format.md): tours to and from plain JSON.

A ``speaker-tour/1`` file is read as version 2 with the format's defaults; version 2 is written.
The defaults are the solver's ``DEFAULT_RULES``, defined there once.

``export_tour`` writes keys in a fixed order and sorts every list, so the same tour always gives
the same bytes and export -> import -> export is an identity. ``import_tour`` checks the whole
file first (collecting every problem with its field path) and only then writes rows, in one
transaction: a bad file never leaves half a tour behind.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Chapter,
    Request,
    RequestChoice,
    RequestState,
    Speaker,
    SpeakerUnavailability,
    Tour,
    TourState,
)
from scheduler.solver.instance import (
    DEFAULT_RULES,
    INSTANCE_FORMAT,
    PERSONAL_LIMITS,
    READ_FORMATS,
    InstanceError,
    parse_instance,
)
from scheduler.solver.limits import TooLarge, check_sizes
from scheduler.text import has_control_characters, is_storable

FORMAT = INSTANCE_FORMAT
# The largest value each numeric rule may take: beyond these a tour is no longer a tour.
MAX_KM = 100_000
MAX_COUNT = 1000
MAX_TURNAROUND_MINUTES = 24 * 60
MAX_ERRORS_SHOWN = 20
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HH_MM = re.compile(r"^\d{2}:\d{2}$")


class TourFormatError(ValueError):
    """A file that is not a valid tour; each message starts with the bad field's path."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more else [])))


def natural_key(text: str) -> list:
    """Sort "sp-2" before "sp-10": ids compare by their digit runs as numbers."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)
    ]


def _number(value: float) -> int | float:
    """650.0 is written 650, as in the format's examples."""
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------------------------
# Export


def _export_speaker(speaker: Speaker) -> dict:
    entry = {
        "id": speaker.format_id,
        "name": speaker.display_name,
        "home": {"lat": speaker.home_lat, "lon": speaker.home_lon},
        "languages": sorted(speaker.languages or ["en"]),
        "unavailable": sorted(day.isoformat() for day in speaker.unavailable_dates),
    }
    if speaker.max_events is not None:
        entry["max_events"] = speaker.max_events
    for key in PERSONAL_LIMITS:  # absent: the tour's rule; null: no cap of their own
        value = getattr(speaker, key)
        if key in (speaker.uncapped or []):
            entry[key] = None
        elif value is not None:
            entry[key] = _number(value)
    return entry


def _export_request(request: Request) -> dict:
    return {
        "id": request.format_id,
        "chapter": request.chapter.name,
        "venue": {
            "name": request.venue_name,
            "lat": request.lat,
            "lon": request.lon,
            "timezone": request.timezone,
        },
        "dates": [{"date": day.isoformat(), "rank": rank} for day, rank in request.offered_dates],
        "start_time": request.start_time.strftime("%H:%M"),
        "duration_minutes": request.duration_minutes,
        "priority": request.priority,
        "language": request.language,
        "preferred_speakers": sorted(
            (speaker.format_id for speaker in request.preferred_speakers), key=natural_key
        ),
    }


def _pins(rows: Iterable[Assignment]) -> list[dict]:
    """The given rows as the format's pins, in request order."""
    pins = [
        {"request": row.request.format_id, "speaker": row.speaker.format_id,
         "date": row.date.isoformat()}
        for row in rows
    ]
    return sorted(pins, key=lambda pin: natural_key(pin["request"]))


def export_tour(
    tour: Tour, pinned: Iterable[Assignment] = (), requests: Iterable[Request] | None = None
) -> dict:
    """The tour as an instance: submitted requests only (of ``requests`` when given: a part of
    the tour checked alone), the given rows as its pins.

    Which rows a solve must keep is the proposal's business (``services.proposal.tour_instance``
    calls this with them); this module only writes what it is given.
    """
    requests = sorted(
        (r for r in (tour.requests if requests is None else requests)
         if r.state == RequestState.SUBMITTED),
        key=lambda r: natural_key(r.format_id),
    )
    speakers = sorted(tour.speakers, key=lambda s: natural_key(s.format_id))
    return {
        "format": FORMAT,
        "tour": {
            "name": tour.name,
            "start": tour.start.isoformat(),
            "end": tour.end.isoformat(),
            "timezone": tour.timezone,
        },
        "rules": {
            "max_km_per_day": _number(tour.max_km_per_day),
            "max_events_per_day": tour.max_events_per_day,
            "max_events_per_week": tour.max_events_per_week,
            "max_consecutive_days": tour.max_consecutive_days,
            "same_day_km": _number(tour.same_day_km),
            "same_day_speed_kmh": _number(tour.same_day_speed_kmh),
            "turnaround_minutes": tour.turnaround_minutes,
            "travel_from_home": tour.travel_from_home,
            "max_km_per_week": (
                None if tour.max_km_per_week is None else _number(tour.max_km_per_week)
            ),
        },
        "speakers": [_export_speaker(s) for s in speakers],
        "requests": [_export_request(r) for r in requests],
        "pinned": _pins(pinned),
    }


# ---------------------------------------------------------------------------------------------
# Validation: plain data in, checked values out, every problem named by its path


@dataclass
class _Checked:
    tour: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    speakers: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    pinned: list[dict] = field(default_factory=list)


def _is_language_code(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 10 and value.isprintable()


class _Validator:
    """Reads one value at a time; a bad value is recorded and read as ``None``."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(self, data: Any, path: str) -> dict | None:
        if not isinstance(data, dict):
            self.fail(path, "must be an object")
            return None
        return data

    def items(self, data: dict, key: str, path: str, *, required: bool = True) -> list:
        value = data.get(key, None if required else [])
        if not isinstance(value, list):
            self.fail(f"{path}.{key}" if path else key, "must be a list")
            return []
        return value

    def text(self, data: dict, key: str, path: str, *, max_length: int, default=None) -> str | None:
        where = f"{path}.{key}"
        value = data.get(key, default)
        if value is None:
            self.fail(where, "missing")
        elif not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty string")
        elif len(value) > max_length:
            self.fail(where, f"must be at most {max_length} characters")
        elif not is_storable(value):
            self.fail(where, "must be text: it holds a lone surrogate, which is no character")
        elif has_control_characters(value):
            self.fail(where, "must be one line, without control characters")
        else:
            return value
        return None

    def day(self, value: Any, where: str) -> date | None:
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, "not a date (YYYY-MM-DD)")
        return None

    def integer(self, data: dict, key: str, path: str, low: int, high: int, default=None):
        where = f"{path}.{key}"
        value = data.get(key, default)
        if value is None:
            self.fail(where, "missing")
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"must be an integer from {low} to {high}")
        else:
            return value
        return None

    def km(self, data: dict, key: str, path: str, *, zero: bool = False, nullable: bool = False):
        """A distance or speed in km (or km/h): a number above 0 (or at least 0 when ``zero``);
        ``None`` stays ``None`` when ``nullable`` (no cap)."""
        where = f"{path}.{key}"
        value = data.get(key)
        if value is None and nullable:
            return None
        low = "0" if zero else "above 0"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not (value >= 0 if zero else value > 0)
            or value > MAX_KM
        ):
            nothing = " or null (no cap)" if nullable else ""
            self.fail(where, f"must be a number from {low} to {MAX_KM}{nothing}")
            return None
        return value

    def coordinate(self, data: dict, key: str, path: str, limit: int) -> float | None:
        where = f"{path}.{key}"
        value = data.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.fail(where, "must be a number")
        elif not -limit <= value <= limit:
            self.fail(where, f"must be between -{limit} and {limit}")
        else:
            return value
        return None

    def timezone(self, data: dict, key: str, path: str) -> str | None:
        name = self.text(data, key, path, max_length=64)
        if name is None:
            return None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder ("America")
            self.fail(f"{path}.{key}", f'unknown time zone "{name}"')
            return None
        return name

    def unique_id(self, data: dict, path: str, seen: set[str]) -> str | None:
        ident = self.text(data, "id", path, max_length=100)
        if ident is not None:
            if ident in seen:
                self.fail(f"{path}.id", f'duplicate id "{ident}"')
                return None
            seen.add(ident)
        return ident

    # -- sections ---------------------------------------------------------------------------

    def tour(self, data: dict) -> dict:
        section = self.obj(data.get("tour"), "tour") or {}
        start = self.day(section.get("start"), "tour.start")
        end = self.day(section.get("end"), "tour.end")
        if start and end and end < start:
            self.fail("tour.end", "must not be before tour.start")
        return {
            "name": self.text(section, "name", "tour", max_length=200),
            "start": start,
            "end": end,
            "timezone": self.timezone(section, "timezone", "tour"),
        }

    def rules(self, data: dict) -> dict:
        section = self.obj(data.get("rules", {}), "rules") or {}
        section = {**DEFAULT_RULES, **section}
        travel_from_home = section["travel_from_home"]
        if not isinstance(travel_from_home, bool):
            self.fail("rules.travel_from_home", "must be true or false")
        return {
            "max_km_per_day": self.km(section, "max_km_per_day", "rules"),
            **{
                key: self.integer(section, key, "rules", 1, MAX_COUNT)
                for key in ("max_events_per_day", "max_events_per_week", "max_consecutive_days")
            },
            "same_day_km": self.km(section, "same_day_km", "rules", zero=True),
            "same_day_speed_kmh": self.km(section, "same_day_speed_kmh", "rules"),
            "turnaround_minutes": self.integer(
                section, "turnaround_minutes", "rules", 0, MAX_TURNAROUND_MINUTES
            ),
            "travel_from_home": travel_from_home,
            "max_km_per_week": self.km(section, "max_km_per_week", "rules", nullable=True),
        }

    def personal_limit(self, entry: dict, key: str, path: str):
        """A speaker's own weekly or in-a-row limit: absent (the tour's) and null (no cap of
        their own) are both read as None; ``speaker`` tells them apart."""
        if entry.get(key) is None:
            return None
        if key == "max_km_per_week":
            return self.km(entry, key, path)
        return self.integer(entry, key, path, 1, MAX_COUNT)

    def languages(self, values: Any, where: str) -> list[str]:
        if not isinstance(values, list) or not values:
            self.fail(where, "must be a non-empty list of language codes")
            return []
        for index, code in enumerate(values):
            if not _is_language_code(code):
                self.fail(f"{where}[{index}]", "must be a language code such as en or ko")
        if len(set(map(str, values))) != len(values):
            self.fail(where, "lists a language twice")
        return values

    def speaker(self, entry: Any, path: str, seen: set[str]) -> dict:
        entry = self.obj(entry, path) or {}
        home = self.obj(entry.get("home"), f"{path}.home") or {}
        unavailable = []
        for index, value in enumerate(self.items(entry, "unavailable", path, required=False)):
            day = self.day(value, f"{path}.unavailable[{index}]")
            if day in unavailable:
                self.fail(f"{path}.unavailable[{index}]", f"{day} is listed twice")
            unavailable.append(day)
        max_events = entry.get("max_events")
        if max_events is not None:
            max_events = self.integer(entry, "max_events", path, 0, 10_000)
        return {
            "id": self.unique_id(entry, path, seen),
            "name": self.text(entry, "name", path, max_length=100),
            "lat": self.coordinate(home, "lat", f"{path}.home", 90),
            "lon": self.coordinate(home, "lon", f"{path}.home", 180),
            "languages": self.languages(entry.get("languages", ["en"]), f"{path}.languages"),
            "unavailable": unavailable,
            "max_events": max_events,
            **{key: self.personal_limit(entry, key, path) for key in PERSONAL_LIMITS},
            "uncapped": [key for key in PERSONAL_LIMITS if key in entry and entry[key] is None],
        }

    def start_time(self, entry: dict, path: str) -> time | None:
        value = entry.get("start_time", "19:00")
        if isinstance(value, str) and HH_MM.match(value):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        self.fail(f"{path}.start_time", "not a time (HH:MM, 24-hour)")
        return None

    def dates(self, entry: dict, path: str) -> list:
        """Offered dates; one outside the tour window is kept (the format allows it, and the
        solver's reason for leaving the request unserved says it lies outside the tour)."""
        offered = []
        values = self.items(entry, "dates", path)
        if not values and isinstance(entry.get("dates"), list):
            self.fail(f"{path}.dates", "must offer at least one date")
        for index, item in enumerate(values):
            where = f"{path}.dates[{index}]"
            item = self.obj(item, where) or {}
            day = self.day(item.get("date"), f"{where}.date")
            rank = self.integer(item, "rank", where, 1, 1000, default=1)
            if day and day in [d for d, _ in offered]:
                self.fail(f"{where}.date", f"{day} is offered twice")
            offered.append((day, rank))
        return offered

    def request(self, entry: Any, path: str, seen: set[str], speakers: set[str]) -> dict:
        entry = self.obj(entry, path) or {}
        venue = self.obj(entry.get("venue"), f"{path}.venue") or {}
        preferred = self.items(entry, "preferred_speakers", path, required=False)
        for index, ident in enumerate(preferred):
            if not isinstance(ident, str) or ident not in speakers:
                self.fail(f"{path}.preferred_speakers[{index}]", f'unknown speaker "{ident}"')
        if len(set(map(str, preferred))) != len(preferred):
            self.fail(f"{path}.preferred_speakers", "lists a speaker twice")
        language = entry.get("language", "en")
        if not _is_language_code(language):
            self.fail(f"{path}.language", "must be a language code such as en or ko")
        return {
            "id": self.unique_id(entry, path, seen),
            "chapter": self.text(entry, "chapter", path, max_length=200),
            "venue_name": self.text(venue, "name", f"{path}.venue", max_length=200),
            "lat": self.coordinate(venue, "lat", f"{path}.venue", 90),
            "lon": self.coordinate(venue, "lon", f"{path}.venue", 180),
            "timezone": self.timezone(venue, "timezone", f"{path}.venue"),
            "dates": self.dates(entry, path),
            "start_time": self.start_time(entry, path),
            "duration_minutes": self.integer(entry, "duration_minutes", path, 1, 1440, default=90),
            "priority": self.integer(entry, "priority", path, 1, 5, default=1),
            "language": language,
            "preferred_speakers": preferred,
        }

    def pin(self, entry: Any, path: str, known: tuple[set[str], set[str]], seen: set, window):
        entry = self.obj(entry, path) or {}
        request, speaker = entry.get("request"), entry.get("speaker")
        requests, speakers = known
        if not isinstance(request, str) or request not in requests:
            self.fail(f"{path}.request", f'unknown request "{request}"')
        elif request in seen:
            self.fail(f"{path}.request", f'request "{request}" is pinned twice')
        else:
            seen.add(request)
        if not isinstance(speaker, str) or speaker not in speakers:
            self.fail(f"{path}.speaker", f'unknown speaker "{speaker}"')
        day = self.day(entry.get("date"), f"{path}.date")
        start, end = window
        if day and start and end and not start <= day <= end:
            self.fail(f"{path}.date", f"{day} is outside the tour window {start}..{end}")
        return {"request": request, "speaker": speaker, "date": day}

    def check(self, data: Any) -> _Checked:
        if not isinstance(data, dict):
            raise TourFormatError(["(top level): must be a JSON object"])
        if data.get("format", FORMAT) not in READ_FORMATS:
            self.fail("format", "must be " + " or ".join(f'"{name}"' for name in READ_FORMATS))
        checked = _Checked(tour=self.tour(data), rules=self.rules(data))
        window = (checked.tour["start"], checked.tour["end"])
        speaker_ids: set[str] = set()
        checked.speakers = [
            self.speaker(entry, f"speakers[{i}]", speaker_ids)
            for i, entry in enumerate(self.items(data, "speakers", ""))
        ]
        request_ids: set[str] = set()
        checked.requests = [
            self.request(entry, f"requests[{i}]", request_ids, speaker_ids)
            for i, entry in enumerate(self.items(data, "requests", ""))
        ]
        pinned_requests: set[str] = set()
        checked.pinned = [
            self.pin(entry, f"pinned[{i}]", (request_ids, speaker_ids), pinned_requests, window)
            for i, entry in enumerate(self.items(data, "pinned", "", required=False))
        ]
        return checked


def _solver_check(data: dict) -> None:
    """The solver's own parser, so an imported tour is one it can solve."""
    try:
        parse_instance(data)
    except InstanceError as error:
        raise TourFormatError([str(error)]) from error


# ---------------------------------------------------------------------------------------------
# Import


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "tour"


def unique_slug(name: str) -> str:
    base = slugify(name)
    taken = set(
        db.session.execute(db.select(Tour.slug).where(Tour.slug.like(f"{base}%"))).scalars()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _build(checked: _Checked) -> Tour:
    tour = Tour(
        name=checked.tour["name"],
        slug=unique_slug(checked.tour["name"]),
        start=checked.tour["start"],
        end=checked.tour["end"],
        timezone=checked.tour["timezone"],
        state=TourState.DRAFT,
        **checked.rules,
    )
    speakers = {}
    for entry in checked.speakers:
        speakers[entry["id"]] = Speaker(
            tour=tour,
            external_id=entry["id"],
            display_name=entry["name"],
            home_lat=entry["lat"],
            home_lon=entry["lon"],
            languages=entry["languages"],
            max_events=entry["max_events"],
            **{key: entry[key] for key in PERSONAL_LIMITS},
            uncapped=entry["uncapped"],
            unavailability=[SpeakerUnavailability(date=day) for day in entry["unavailable"]],
        )
    requests = {}
    for entry in checked.requests:
        requests[entry["id"]] = Request(
            tour=tour,
            external_id=entry["id"],
            chapter=Chapter(name=entry["chapter"], contact_name="", contact_email=""),
            venue_name=entry["venue_name"],
            lat=entry["lat"],
            lon=entry["lon"],
            timezone=entry["timezone"],
            start_time=entry["start_time"],
            duration_minutes=entry["duration_minutes"],
            priority=entry["priority"],
            language=entry["language"],
            state=RequestState.SUBMITTED,
            preferred_speakers=[speakers[ident] for ident in entry["preferred_speakers"]],
            choices=[
                RequestChoice(rank=rank, first_date=day, last_date=day)
                for day, rank in sorted(entry["dates"], key=lambda pair: (pair[1], pair[0]))
            ],
        )
    for entry in checked.pinned:
        Assignment(
            request=requests[entry["request"]],
            speaker=speakers[entry["speaker"]],
            date=entry["date"],
            state=AssignmentState.CONFIRMED,
            pinned=True,
        )
    return tour


def import_tour(data: dict) -> Tour:
    """Create a draft tour from a speaker-tour/1 or /2 instance, or raise ``TourFormatError``."""
    try:
        check_sizes(data)  # before reading any of it: a huge file is refused at once
    except TooLarge as error:
        raise TourFormatError([str(error)]) from None
    validator = _Validator()
    checked = validator.check(data)
    if validator.errors:
        raise TourFormatError(validator.errors)
    _solver_check(data)
    try:
        tour = _build(checked)
        db.session.add(tour)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return tour

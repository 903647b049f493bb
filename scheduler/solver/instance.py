"""The tour instance as frozen dataclasses, parsed from the tour-format dict with errors that name
the exact place (``requests[3].dates[1].date: not a date``), so a coordinator can fix the file
without reading code.

Both ``speaker-tour/1`` and ``speaker-tour/2`` are read; a /1 file is read as /2 with the
defaults (so the home rule applies to it too). ``DEFAULT_RULES`` and ``SPEAKER_DEFAULTS`` are the
format's defaults, defined here once; the app imports them from ``scheduler.solver``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.solver.limits import TooLarge, check_sizes, check_window

INSTANCE_FORMAT = "speaker-tour/2"
READ_FORMATS = ("speaker-tour/1", "speaker-tour/2")
# the tour's rules when a key is absent (tour-format.md); max_km_per_week None: no weekly cap
DEFAULT_RULES = MappingProxyType({
    "max_km_per_day": 650,
    "max_events_per_day": 1,
    "max_events_per_week": 5,
    "max_consecutive_days": 4,
    "same_day_km": 100,
    "same_day_speed_kmh": 50,
    "turnaround_minutes": 45,
    "travel_from_home": True,
    "max_km_per_week": None,
})
# a speaker's and a request's values when a key is absent (personal limits: the tour's)
SPEAKER_DEFAULTS = MappingProxyType({"languages": ("en",), "unavailable": (), "max_events": None})
REQUEST_DEFAULTS = MappingProxyType({"priority": 1, "language": "en", "rank": 1,
                                     "start_time": "19:00", "duration_minutes": 90})
# the limits a speaker may set for themselves, replacing the tour's (null: no cap)
MINUTES_CAP = 7 * 24 * 60  # durations and turnarounds beyond a week block a whole date anyway
PERSONAL_LIMITS = ("max_events_per_week", "max_consecutive_days", "max_km_per_week")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z")  # ASCII digits, no final newline


class InstanceError(ValueError):
    """The instance breaks the format; the message starts with the path of the bad value."""


@dataclass(frozen=True)
class Rules:
    """The tour's rules; ``None`` for a weekly limit means no cap."""

    max_km_per_day: float = 650
    max_events_per_day: int = 1
    max_events_per_week: int | None = 5
    max_consecutive_days: int | None = 4
    same_day_km: float = 100
    same_day_speed_kmh: float = 50
    turnaround_minutes: int = 45
    travel_from_home: bool = True
    max_km_per_week: float | None = None


@dataclass(frozen=True)
class Tour:
    name: str
    start: date
    end: date
    timezone: str


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    home: tuple[float, float]
    languages: tuple[str, ...]
    unavailable: frozenset[date]
    max_events: int | None
    # the speaker's own limits, already resolved: the tour's unless given (None: no cap)
    max_events_per_week: int | None = 5
    max_consecutive_days: int | None = 4
    max_km_per_week: float | None = None


@dataclass(frozen=True)
class DateChoice:
    date: date
    rank: int


@dataclass(frozen=True)
class Request:
    id: str
    chapter: str
    venue_name: str
    lat: float
    lon: float
    timezone: str
    dates: tuple[DateChoice, ...]
    start_time: str
    duration_minutes: int
    priority: int
    language: str
    preferred_speakers: tuple[str, ...]

    def start_utc(self, day: date) -> datetime:
        """The event's start instant on ``day`` (a venue-local date), in UTC."""
        local = datetime.combine(day, time.fromisoformat(self.start_time),
                                 tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(ZoneInfo("UTC"))

    def end_utc(self, day: date) -> datetime:
        """The start plus the duration; a duration beyond a week is taken as a week (it then
        blocks every other event of its date just the same, and stays within datetime's range)."""
        return self.start_utc(day) + timedelta(minutes=min(self.duration_minutes, MINUTES_CAP))


@dataclass(frozen=True)
class Pin:
    request: str
    speaker: str
    date: date


@dataclass(frozen=True)
class Instance:
    tour: Tour
    rules: Rules
    speakers: tuple[Speaker, ...]
    requests: tuple[Request, ...]
    pinned: tuple[Pin, ...]


def parse_instance(data: object) -> Instance:
    """Validate a tour-format dict and return it as an ``Instance``; raise ``InstanceError``."""
    obj = _dict(data, "instance")
    try:
        check_sizes(obj)
    except TooLarge as error:
        raise InstanceError(str(error)) from None
    fmt = obj.get("format", INSTANCE_FORMAT)
    if fmt not in READ_FORMATS:
        raise InstanceError(f"format: expected one of {', '.join(READ_FORMATS)}, got {fmt!r}")
    tour = _tour(obj.get("tour"), "tour")
    rules = _rules(obj.get("rules", {}), "rules")
    speakers = tuple(
        _speaker(s, f"speakers[{i}]", rules)
        for i, s in enumerate(_list(obj.get("speakers", []), "speakers"))
    )
    _unique((s.id for s in speakers), "speakers")
    speaker_ids = {s.id for s in speakers}
    requests = tuple(
        _request(r, f"requests[{i}]", speaker_ids)
        for i, r in enumerate(_list(obj.get("requests", []), "requests"))
    )
    _unique((r.id for r in requests), "requests")
    request_ids = {r.id for r in requests}
    pinned = tuple(
        _pin(p, f"pinned[{i}]", request_ids, speaker_ids)
        for i, p in enumerate(_list(obj.get("pinned", []), "pinned"))
    )
    return Instance(tour=tour, rules=rules, speakers=speakers, requests=requests, pinned=pinned)


def parse_previous_solution(data: object) -> list[dict]:
    """The assignments of a previous solution file (``--previous``), checked; raise
    ``InstanceError`` naming the bad place."""
    obj = _dict(data, "previous")
    return parse_previous_assignments(obj.get("assignments"), "previous.assignments")


def parse_previous_assignments(value: object, path: str = "previous") -> list[dict]:
    """A list of ``{"request", "speaker", "date"}`` objects with string ids and ISO dates."""
    out = []
    for i, a in enumerate(_list(value, path)):
        where = f"{path}[{i}]"
        a = _dict(a, where)
        out.append({"request": _str(a.get("request"), f"{where}.request"),
                    "speaker": _str(a.get("speaker"), f"{where}.speaker"),
                    "date": _date(a.get("date"), f"{where}.date").isoformat()})
    return out


def _tour(value, path: str) -> Tour:
    obj = _dict(value, path)
    start = _date(obj.get("start"), f"{path}.start")
    end = _date(obj.get("end"), f"{path}.end")
    if end < start:
        raise InstanceError(f"{path}.end: {end} is before the start {start}")
    try:
        check_window(start, end, path)
    except TooLarge as error:
        raise InstanceError(str(error)) from None
    return Tour(
        name=_str(obj.get("name", ""), f"{path}.name", allow_empty=True),
        start=start,
        end=end,
        timezone=_zone(obj.get("timezone", "UTC"), f"{path}.timezone"),
    )


def _rules(value, path: str) -> Rules:
    obj = {**DEFAULT_RULES, **_dict(value, path)}
    travel_from_home = obj["travel_from_home"]
    if not isinstance(travel_from_home, bool):
        raise InstanceError(f"{path}.travel_from_home: not true or false")
    return Rules(
        max_km_per_day=_positive(obj["max_km_per_day"], f"{path}.max_km_per_day"),
        max_events_per_day=_int(obj["max_events_per_day"], f"{path}.max_events_per_day", low=1),
        max_events_per_week=_optional_int(obj["max_events_per_week"],
                                          f"{path}.max_events_per_week"),
        max_consecutive_days=_optional_int(obj["max_consecutive_days"],
                                           f"{path}.max_consecutive_days"),
        same_day_km=_positive(obj["same_day_km"], f"{path}.same_day_km", zero=True),
        same_day_speed_kmh=_positive(obj["same_day_speed_kmh"], f"{path}.same_day_speed_kmh"),
        turnaround_minutes=_int(obj["turnaround_minutes"], f"{path}.turnaround_minutes", low=0),
        travel_from_home=travel_from_home,
        max_km_per_week=_optional_km(obj["max_km_per_week"], f"{path}.max_km_per_week"),
    )


def _optional_int(value, path: str) -> int | None:
    return None if value is None else _int(value, path, low=1)


def _optional_km(value, path: str) -> float | None:
    return None if value is None else _positive(value, path)


def _positive(value, path: str, zero: bool = False) -> float:
    """A finite number above 0 (or at least 0 when ``zero``)."""
    if (isinstance(value, bool) or not isinstance(value, int | float) or math.isinf(value)
            or math.isnan(value) or value < 0 or (not zero and value == 0)):
        raise InstanceError(f"{path}: not a {'non-negative' if zero else 'positive'} number")
    return value


def _speaker(value, path: str, rules: Rules) -> Speaker:
    obj = _dict(value, path)
    h = _dict(obj.get("home"), f"{path}.home")
    home = (_lat(h.get("lat"), f"{path}.home.lat"), _lon(h.get("lon"), f"{path}.home.lon"))
    own = {
        "max_events_per_week": (_optional_int(obj["max_events_per_week"],
                                              f"{path}.max_events_per_week")
                                if "max_events_per_week" in obj else rules.max_events_per_week),
        "max_consecutive_days": (_optional_int(obj["max_consecutive_days"],
                                               f"{path}.max_consecutive_days")
                                 if "max_consecutive_days" in obj else rules.max_consecutive_days),
        "max_km_per_week": (_optional_km(obj["max_km_per_week"], f"{path}.max_km_per_week")
                            if "max_km_per_week" in obj else rules.max_km_per_week),
    }
    languages = _list(obj.get("languages", list(SPEAKER_DEFAULTS["languages"])),
                      f"{path}.languages")
    unavailable = _list(obj.get("unavailable", list(SPEAKER_DEFAULTS["unavailable"])),
                        f"{path}.unavailable")
    max_events = obj.get("max_events")
    return Speaker(
        id=_str(obj.get("id"), f"{path}.id"),
        name=_str(obj.get("name", ""), f"{path}.name", allow_empty=True),
        home=home,
        languages=tuple(_str(x, f"{path}.languages[{i}]") for i, x in enumerate(languages)),
        unavailable=frozenset(
            _date(x, f"{path}.unavailable[{i}]") for i, x in enumerate(unavailable)
        ),
        max_events=None if max_events is None else _int(max_events, f"{path}.max_events", low=0),
        **own,
    )


def _request(value, path: str, speaker_ids: set[str]) -> Request:
    obj = _dict(value, path)
    venue = _dict(obj.get("venue"), f"{path}.venue")
    choices = []
    seen: set[date] = set()
    for i, c in enumerate(_list(obj.get("dates"), f"{path}.dates")):
        where = f"{path}.dates[{i}]"
        c = _dict(c, where)
        day = _date(c.get("date"), f"{where}.date")
        if day in seen:
            raise InstanceError(f"{where}.date: {day} is offered twice")
        seen.add(day)
        # Bounded as the app's importer bounds it: CP-SAT coefficients must fit in 64 bits.
        rank = _int(c.get("rank", REQUEST_DEFAULTS["rank"]), f"{where}.rank", low=1, high=1000)
        choices.append(DateChoice(day, rank))
    preferred = _list(obj.get("preferred_speakers", []), f"{path}.preferred_speakers")
    for i, s in enumerate(preferred):
        if _str(s, f"{path}.preferred_speakers[{i}]") not in speaker_ids:
            raise InstanceError(f"{path}.preferred_speakers[{i}]: unknown speaker {s!r}")
    start_time = _str(obj.get("start_time", REQUEST_DEFAULTS["start_time"]), f"{path}.start_time")
    if not _TIME.match(start_time):
        raise InstanceError(f"{path}.start_time: not a time HH:MM")
    return Request(
        id=_str(obj.get("id"), f"{path}.id"),
        chapter=_str(obj.get("chapter", ""), f"{path}.chapter", allow_empty=True),
        venue_name=_str(venue.get("name", ""), f"{path}.venue.name", allow_empty=True),
        lat=_lat(venue.get("lat"), f"{path}.venue.lat"),
        lon=_lon(venue.get("lon"), f"{path}.venue.lon"),
        timezone=_zone(venue.get("timezone"), f"{path}.venue.timezone"),
        dates=tuple(choices),
        start_time=start_time,
        duration_minutes=_int(obj.get("duration_minutes", REQUEST_DEFAULTS["duration_minutes"]),
                              f"{path}.duration_minutes", low=1),
        priority=_int(obj.get("priority", REQUEST_DEFAULTS["priority"]), f"{path}.priority",
                      low=1, high=5),
        language=_str(obj.get("language", REQUEST_DEFAULTS["language"]), f"{path}.language"),
        preferred_speakers=tuple(preferred),
    )


def _pin(value, path: str, request_ids: set[str], speaker_ids: set[str]) -> Pin:
    obj = _dict(value, path)
    request = _str(obj.get("request"), f"{path}.request")
    if request not in request_ids:
        raise InstanceError(f"{path}.request: unknown request {request!r}")
    speaker = _str(obj.get("speaker"), f"{path}.speaker")
    if speaker not in speaker_ids:
        raise InstanceError(f"{path}.speaker: unknown speaker {speaker!r}")
    return Pin(request=request, speaker=speaker, date=_date(obj.get("date"), f"{path}.date"))


def _unique(ids, path: str) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise InstanceError(f"{path}[{i}].id: duplicate id {x!r}")
        seen.add(x)


def _dict(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"{path}: not an object")
    return value


def _list(value, path: str) -> list:
    if not isinstance(value, list):
        raise InstanceError(f"{path}: not a list")
    return value


def _str(value, path: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise InstanceError(f"{path}: not a non-empty string" if not allow_empty else
                            f"{path}: not a string")
    return value


def _int(value, path: str, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{path}: not an integer")
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f">= {low}"
        raise InstanceError(f"{path}: {value} is out of range ({span})")
    return value


def _number(value, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(f"{path}: not a number")
    return float(value)


def _lat(value, path: str) -> float:
    x = _number(value, path)
    if not -90 <= x <= 90:
        raise InstanceError(f"{path}: {x} is not a latitude (-90..90)")
    return x


def _lon(value, path: str) -> float:
    x = _number(value, path)
    if not -180 <= x <= 180:
        raise InstanceError(f"{path}: {x} is not a longitude (-180..180)")
    return x


def _date(value, path: str) -> date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InstanceError(f"{path}: not a date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"{path}: not a date") from None


def _zone(value, path: str) -> str:
    """An IANA time zone name that zoneinfo knows."""
    name = _str(value, path)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InstanceError(f"{path}: {name!r} is not an IANA time zone") from None
    return name

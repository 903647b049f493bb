"""Words a coordinator or a chapter reads about a tour: names for ids, dates, zones and rules.

The solver and its checker speak in tour-format ids (``sp-1``, ``rq-61``), ISO dates and rule
codes (``H4 travel``), which is right for a file and wrong for a person. Everything a page or an
email says about an event goes through here: speakers by display name, requests by chapter and
venue, dates in the locale's one format (Babel), time zones as people say them ("Eastern Time"),
and a broken rule as one sentence in plain words.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import (
    format_interval,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_day_names,
)
from flask_babel import format_date, get_locale

from scheduler.clock import zone_name as clock_zone_name
from scheduler.models import Tour
from scheduler.services.requests import LANGUAGES
from scheduler.solver.checker import Violation
from scheduler.solver.rules import RULE_NAMES
from scheduler.solver.words import DAY_TEXT, read_day_text

ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
FORMAT_ID = re.compile(r"(?<![\w-])((?:sp|rq)-\d+)(?![\w-])")
PINNED = re.compile(r"pinned (\S+) -> (\S+) on")
# What each hard rule protects, named once, in the words a coordinator uses.
RULE_WORDS = {code: name.removesuffix(f" ({code})") for code, name in RULE_NAMES.items()}
RULE_CODE_IN_BRACKETS = re.compile(r"\s*\(H(?:10|[1-9])\)")
BARE_RULE_CODE = re.compile(r"\bH(?:10|[1-9])\b")


def day(value: date | str) -> str:
    """The one way coordinator pages write a date: "Wed, Mar 10, 2027" (from a date or ISO)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return _day(value, str(get_locale()))


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    # Babel reads its pattern tables on every call; a page writes the same few dates hundreds
    # of times.
    return format_skeleton("yMMMEd", value, locale=locale)


def short_day(value: date) -> str:
    """A date in a list where the tour's year goes without saying: "Wed, Mar 10"."""
    return format_skeleton("MMMEd", value, locale=str(get_locale()))


def span(first: date, last: date) -> str:
    """Days from ``first`` to ``last``, the year left out: "Mar 8 – 14", "Mar 29 – Apr 4"."""
    return format_interval(first, last, "MMMd", locale=str(get_locale()))


def weekday_name(iso_weekday: int) -> str:
    """"Tue" for 2 (ISO: Monday is 1)."""
    return get_day_names("abbreviated", locale=str(get_locale()))[iso_weekday - 1]


def long_day(value: date) -> str:
    """A date in full, for an email: "Wednesday, March 10, 2027"."""
    return format_date(value, "full")


def zone(name: str) -> str:
    """A time zone as people say it: "Eastern Time", not "America/New_York"."""
    return clock_zone_name(name, get_locale())


def event_time(on: date, start: time, timezone: str) -> str:
    """"7:00 PM Eastern Time": the venue's own clock on that day."""
    return f"{clock(datetime.combine(on, start, ZoneInfo(timezone)))} {zone(timezone)}"


def clock(moment: datetime) -> str:
    """The time of day of ``moment`` on its own clock: "7:00 PM"."""
    return format_time(moment, "short", tzinfo=moment.tzinfo, locale=get_locale())


def stamp(moment: datetime) -> str:
    """When something was done, in UTC (pages say so): "Nov 26, 2026, 3:19 AM"."""
    aware = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    locale = str(get_locale())
    return get_datetime_format("medium", locale=locale).format(
        format_time(aware, "short", tzinfo=UTC, locale=locale),
        format_skeleton("yMMMd", aware, locale=locale),
    )


def language(code: str) -> str:
    return LANGUAGES.get(code, code)


class Namer:
    """Tour-format ids of one tour turned into the names people know."""

    def __init__(self, tour: Tour):
        self.speakers = {s.format_id: s.display_name for s in tour.speakers}
        self.requests = {r.format_id: request_name(r) for r in tour.requests}

    def name(self, format_id: str) -> str:
        return self.speakers.get(format_id) or self.requests.get(format_id) or format_id

    def plain(self, message: str) -> str:
        """A solver's message (a reason, a pin conflict) with ids, dates and rule codes in
        words."""
        text = PINNED.sub(r"\1 pinned to \2 on", message)
        text = RULE_CODE_IN_BRACKETS.sub("", text)  # the solver's names carry their code
        text = BARE_RULE_CODE.sub(lambda m: RULE_WORDS[m.group(0)], text)
        return self.text(text)

    def text(self, message: str) -> str:
        """Ids replaced by names, and ISO dates and the solver's dates by the locale's, in free
        text."""
        named = FORMAT_ID.sub(lambda m: self.name(m.group(1)), message)
        dated = ISO_DATE.sub(lambda m: day(date.fromisoformat(m.group(1))), named)
        return DAY_TEXT.sub(lambda m: day(read_day_text(m.group(1))), dated)


def request_name(request) -> str:
    return f"{request.chapter.name} ({request.venue_name}, {request.city.split(',')[0]})"


def plain(tour: Tour, message: str) -> str:
    """A solver's message (a reason, a pin conflict) with ids, dates and rule codes in words."""
    return Namer(tour).plain(message)


def violation(tour: Tour, broken: Violation) -> str:
    """One sentence saying which rule an edit breaks and why, with names and dates.

    The checker already words each rule with the speaker, the talks, the dates and the km; what is
    left to do is names for any ids and the locale's dates."""
    text = Namer(tour).plain(broken.message)
    return text if text.endswith(".") else text + "."

"""Words a coordinator or a chapter reads about a tour: names for ids, dates, zones and rules.

The solver and its checker speak in tour-format ids (``sp-1``, ``rq-61``), ISO dates and rule
codes (``H4 travel``), which is right for a file and wrong for a person. Everything a page or an
email says about an event goes through here: speakers by display name, requests by chapter and
venue, dates in the locale's one format (Babel), time zones as people say them ("Eastern Time"),
and a broken rule as one sentence in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time, get_timezone_name
from flask_babel import format_date, get_locale

from scheduler.models import Tour
from scheduler.services.requests import LANGUAGES
from scheduler.solver.checker import Violation
from scheduler.solver.rules import RULE_NAMES

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


def long_day(value: date) -> str:
    """A date in full, for an email: "Wednesday, March 10, 2027"."""
    return format_date(value, "full")


def zone(name: str) -> str:
    """A time zone as people say it: "Eastern Time", not "America/New_York"."""
    return get_timezone_name(ZoneInfo(name), width="long", locale=get_locale())


def event_time(on: date, start: time, timezone: str) -> str:
    """"7:00 PM Eastern Time": the venue's own clock on that day."""
    moment = datetime.combine(on, start, ZoneInfo(timezone))
    clock = format_time(moment, "short", tzinfo=moment.tzinfo, locale=get_locale())
    return f"{clock} {zone(timezone)}"


def language(code: str) -> str:
    return LANGUAGES.get(code, code)


class Namer:
    """Tour-format ids of one tour turned into the names people know."""

    def __init__(self, tour: Tour):
        self.speakers = {s.format_id: s.display_name for s in tour.speakers}
        self.requests = {r.format_id: _request_name(r) for r in tour.requests}

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
        """Ids replaced by names and ISO dates by the locale's dates, in free text."""
        named = FORMAT_ID.sub(lambda m: self.name(m.group(1)), message)
        return ISO_DATE.sub(lambda m: day(date.fromisoformat(m.group(1))), named)


def _request_name(request) -> str:
    return f"{request.chapter.name} ({request.venue_name}, {request.city.split(',')[0]})"


def plain(tour: Tour, message: str) -> str:
    """A solver's message (a reason, a pin conflict) with ids, dates and rule codes in words."""
    return Namer(tour).plain(message)


def _sentences(n: Namer) -> dict[str, tuple[re.Pattern, Callable[[re.Match], str]]]:
    d = day
    return {
        "H1 date": (
            re.compile(r"(\S+) is assigned (\S+), which it did not offer \(offered: (.*)\)"),
            lambda m: f"{n.name(m[1])} did not offer {d(m[2])}"
            + (
                "; it offered " + "; ".join(d(x) for x in m[3].split(", ")) + "."
                if m[3] != "none"
                else "."
            ),
        ),
        "H1 window": (
            re.compile(r"(\S+) is assigned (\S+), outside the tour (\S+)\.\.(\S+)"),
            lambda m: f"{d(m[2])} is outside the tour ({d(m[3])} to {d(m[4])}).",
        ),
        "H2 unavailable": (
            re.compile(r"(\S+) is unavailable on (\S+) but assigned (\S+)"),
            lambda m: f"{n.name(m[1])} is unavailable on {d(m[2])}.",
        ),
        "H2 language": (
            re.compile(r"(\S+) needs '(\w+)' but (\S+) speaks (.*)"),
            lambda m: f"{n.name(m[1])} asks for a talk in {language(m[2])}; {n.name(m[3])} "
            f"speaks {', '.join(language(c) for c in m[4].split(', '))}.",
        ),
        "H3 per day": (
            re.compile(r"(\S+) has (\d+) events on (\S+) > (\d+) allowed"),
            lambda m: f"{n.name(m[1])} would have {m[2]} events on {d(m[3])}; "
            f"the tour allows {m[4]} a day.",
        ),
        "H3 same day": (
            re.compile(r"(\S+) (\S+) and (\S+) \((\S+)\) are ([\d.]+) km apart > ([\d.]+) km"),
            lambda m: f"{n.name(m[2])} and {n.name(m[3])} on {d(m[4])} are "
            f"{float(m[5]):,.0f} km apart; two events on one day must be within {m[6]} km.",
        ),
        "H4 travel": (
            re.compile(
                r"(\S+) (\S+) \((\S+)\) -> (\S+) \((\S+)\): ([\d.]+) km > ([\d.]+) km "
                r"allowed in (\d+) days?"
            ),
            lambda m: f"{n.name(m[1])} cannot get from {n.name(m[2])} on {d(m[3])} to "
            f"{n.name(m[4])} on {d(m[5])}: {float(m[6]):,.0f} km, more than the "
            f"{float(m[7]):,.0f} km a speaker travels in {m[8]} day{'' if m[8] == '1' else 's'}.",
        ),
        "H5 per week": (
            re.compile(r"(\S+) has (\d+) events in ISO week \S+ \((\S+)\.\.(\S+)\) > (\d+)"),
            lambda m: f"{n.name(m[1])} would have {m[2]} events in the week of {d(m[3])}; "
            f"the tour allows {m[5]} a week.",
        ),
        "H6 consecutive": (
            re.compile(r"(\S+) works (\d+) days in a row \((\S+)\.\.(\S+)\) > (\d+)"),
            lambda m: f"{n.name(m[1])} would speak {m[2]} days in a row ({d(m[3])} to "
            f"{d(m[4])}); the tour allows {m[5]}.",
        ),
        "H7 total": (
            re.compile(r"(\S+) has (\d+) events > (\d+) allowed"),
            lambda m: f"{n.name(m[1])} would have {m[2]} events; they agreed to at most {m[3]}.",
        ),
        "H8 pinned": (
            re.compile(r"(\S+) is pinned to (\S+) on (\S+) but"),
            lambda m: f"{n.name(m[1])} is pinned to {n.name(m[2])} on {d(m[3])}; "
            "unpin it first to move it.",
        ),
    }


def violation(tour: Tour, broken: Violation) -> str:
    """One sentence saying which rule an edit breaks and why, with names and dates."""
    namer = Namer(tour)
    label, _, rest = broken.message.partition(": ")
    found = _sentences(namer).get(label)
    if found is not None and (match := found[0].search(rest)):
        return found[1](match)
    return f"{RULE_WORDS.get(broken.rule, broken.rule)}: {namer.text(rest or broken.message)}"

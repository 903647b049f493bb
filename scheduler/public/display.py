"""Words for dates, times and choices on chapters' pages: Babel's formats for the page's locale,
one way each, with the venue's time zone named the way people say it ("Eastern Time")."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from flask_babel import get_locale

from scheduler.clock import short_time
from scheduler.clock import zone_name as clock_zone_name
from scheduler.models import RequestChoice
from scheduler.services.requests import ALL_WEEKDAYS, start_needs_year


def long_date(day: date) -> str:
    """"Wednesday, March 10, 2027": a day that matters, written out."""
    return format_date(day, "full", locale=get_locale())


def plain_date(day: date) -> str:
    """"March 10, 2027": deadlines and the end of a span."""
    return format_date(day, "long", locale=get_locale())


def short_date(day: date) -> str:
    """"Wed, March 10, 2027": one of a chapter's date choices."""
    return format_skeleton("yMMMMEd", day, locale=get_locale())


def month_day(day: date) -> str:
    """"March 10": the start of a span that ends in the same year."""
    return format_skeleton("MMMMd", day, locale=get_locale())


def span_start(start: date, end: date) -> str:
    """The first day of a span, with its year only across New Year (start_needs_year)."""
    return plain_date(start) if start_needs_year(start, end) else month_day(start)


def window(start: date, end: date) -> str:
    """"March 1 to April 25, 2027": a tour's dates."""
    return f"{span_start(start, end)} to {plain_date(end)}"


def zone_name(zone: str) -> str:
    """The zone as people say it, "Eastern Time", not its IANA id (scheduler.clock)."""
    return clock_zone_name(zone, get_locale())


def clock(start: time) -> str:
    """"7:00 PM": a wall-clock time."""
    return short_time(start, get_locale())


def local_time(day: date, start: time, timezone: str) -> str:
    """"7:00 PM Eastern Time": the venue's wall-clock time on that day, and its zone."""
    moment = datetime.combine(day, start, ZoneInfo(timezone))
    return f"{short_time(moment, get_locale())} {zone_name(timezone)}"


def weekdays_text(weekdays: str) -> str:
    if weekdays == ALL_WEEKDAYS:
        return "any day"
    names = get_locale().days["format"]["abbreviated"]
    return "any " + ", ".join(names[int(n) - 1] for n in sorted(weekdays))


def choice_text(choice: RequestChoice) -> str:
    """'Wed, March 10, 2027', 'any Tue, Wed, Thu of the week of March 8, 2027', or a range."""
    if choice.first_date == choice.last_date:
        return short_date(choice.first_date)
    if choice.first_date.isoweekday() == 1 and (choice.last_date - choice.first_date).days == 6:
        return f"{weekdays_text(choice.weekdays)} of the week of {plain_date(choice.first_date)}"
    skeleton = "yMMMMEd" if start_needs_year(choice.first_date, choice.last_date) else "MMMMEd"
    first = format_skeleton(skeleton, choice.first_date, locale=get_locale())
    return f"{weekdays_text(choice.weekdays)} from {first} to {short_date(choice.last_date)}"

"""How the speaker's pages write times, zones, distances and languages in the speaker's locale.

Flask-Babel's own ``format_time`` converts to one app-wide zone; an event's time must stay on
the venue's clock, so times are formatted with Babel directly, in the venue's zone.
"""

from datetime import date, datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from flask_babel import format_date, format_decimal, get_locale, gettext, ngettext

from scheduler import clock
from scheduler.speakers import bp


def local_time(moment: datetime) -> str:
    """"7:00 PM" / "오후 7:00" on the venue's clock (scheduler.clock)."""
    return clock.short_time(moment, get_locale())


def short_day(day: date) -> str:
    """Weekday, day and month the way the locale writes them: "Wed, Mar 10", "3월 10일 (수)"."""
    return format_skeleton("MMMEd", day, locale=get_locale())


def relative_day(day: date, today: date) -> str:
    """"today", "tomorrow", "in 4 days": how far off a talk is, read at a glance."""
    days = (day - today).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    return ngettext("in %(num)d day", "in %(num)d days", days)


def zone_name(moment: datetime) -> str:
    """"Pacific Standard Time" / "미 태평양 표준시", and the abbreviation readers know (PST)."""
    name = clock.zone_name(str(moment.tzinfo), get_locale(), moment)
    return f"{name} ({moment.tzname()})"


def kilometres(value: float) -> str:
    return format_decimal(round(value))


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


@bp.context_processor
def formatting_helpers() -> dict:
    return {
        "format_date": format_date,
        "local_time": local_time,
        "short_day": short_day,
        "relative_day": relative_day,
        "zone_name": zone_name,
        "kilometres": kilometres,
        "language_name": language_name,
    }

"""Words for dates, times and choices on chapters' pages, always naming the time zone."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduler.models import RequestChoice
from scheduler.services.requests import ALL_WEEKDAYS

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def long_date(day: date) -> str:
    return f"{day:%A, %B %-d, %Y}"


def local_time(day: date, start: time, timezone: str) -> str:
    """'7:00 PM EDT (America/New_York)': the venue's wall-clock time and its zone that day."""
    moment = datetime.combine(day, start, ZoneInfo(timezone))
    return f"{moment:%-I:%M %p} {moment.tzname()} ({timezone})"


def weekdays_text(weekdays: str) -> str:
    if weekdays == ALL_WEEKDAYS:
        return "any day"
    names = [WEEKDAY_NAMES[int(n) - 1] for n in sorted(weekdays)]
    return "any " + ", ".join(names)


def choice_text(choice: RequestChoice) -> str:
    """'Wed, March 10, 2027', 'any Tue, Wed, Thu of the week of March 8, 2027', or a range."""
    if choice.first_date == choice.last_date:
        return f"{choice.first_date:%a, %B %-d, %Y}"
    if choice.first_date.isoweekday() == 1 and (choice.last_date - choice.first_date).days == 6:
        return f"{weekdays_text(choice.weekdays)} of the week of {choice.first_date:%B %-d, %Y}"
    return (
        f"{weekdays_text(choice.weekdays)} from {choice.first_date:%a, %B %-d} "
        f"to {choice.last_date:%a, %B %-d, %Y}"
    )

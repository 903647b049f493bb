"""How big a tour the solver takes, named once: the app's forms, its file import and this
library's parser all refuse beyond these, before anything large is allocated.

The figures are the largest sizes measured on the 2-core benchmark machine (bench/NOTES.md): the
xl tour of 2,000 requests and 25 speakers over 16 weeks solves to a valid schedule (in more than
its 300 s limit), and a tour file of 100,000 requests took 96 s and 2.4 GB just to import.
"""

from __future__ import annotations

from datetime import date

MAX_TOUR_DAYS = 366  # one season, not years: the timeline and the solver are sized for it
MAX_REQUESTS = 2_000
MAX_SPEAKERS = 50
MAX_PINS = MAX_REQUESTS
MAX_OFFERED_DATES = MAX_TOUR_DAYS  # dates one request may offer
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class TooLarge(ValueError):
    """An instance over a limit; the message names the field and the limit."""


def check_sizes(data: object) -> None:
    """Refuse a tour-format dict over a limit by looking at its lists' lengths only, so a
    100,000-request file is refused before any of it is parsed."""
    if not isinstance(data, dict):
        return
    for key, limit in (("requests", MAX_REQUESTS), ("speakers", MAX_SPEAKERS),
                       ("pinned", MAX_PINS)):
        value = data.get(key)
        if isinstance(value, list) and len(value) > limit:
            raise TooLarge(f"{key}: {len(value):,} entries; a tour takes at most {limit:,}")
    for index, request in enumerate(data.get("requests") or []):
        dates = request.get("dates") if isinstance(request, dict) else None
        if isinstance(dates, list) and len(dates) > MAX_OFFERED_DATES:
            raise TooLarge(f"requests[{index}].dates: {len(dates):,} dates; a request offers "
                           f"at most {MAX_OFFERED_DATES}")


def check_window(start: date, end: date, path: str = "tour") -> None:
    """A tour lies within the years the app plans for and lasts at most ``MAX_TOUR_DAYS``."""
    for name, day in (("start", start), ("end", end)):
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise TooLarge(f"{path}.{name}: {day.isoformat()} is outside "
                           f"{EARLIEST_DATE.year}-{LATEST_DATE.year}")
    days = (end - start).days + 1
    if days > MAX_TOUR_DAYS:
        raise TooLarge(f"{path}.end: the tour lasts {days:,} days; at most {MAX_TOUR_DAYS}")

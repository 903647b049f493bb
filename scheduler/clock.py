"""How every page, feed and email writes a time of day and names its zone: one rule for all.

CLDR's short time abbreviates Korean's day period to "PM" ("PM 7:00"), which reads as English on
a Korean page; the wide form is "오후 7:00", and in English it is the same "7:00 PM" as before.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_time, get_timezone, get_timezone_name

DAY_PERIOD = re.compile(r"(?<!a)a(?!a)")


def short_time(moment: datetime | time, locale: Locale | str) -> str:
    """The locale's short time with the day period written out, on the moment's own clock."""
    locale = Locale.parse(locale)
    pattern = DAY_PERIOD.sub("aaaa", locale.time_formats["short"].pattern)
    return format_time(moment, pattern, tzinfo=getattr(moment, "tzinfo", None), locale=locale)


@cache
def _cldr_aliases(zone: str) -> tuple[str, ...]:
    """Older names of ``zone`` ("America/Indianapolis" for "America/Indiana/Indianapolis")."""
    return tuple(old for old, new in get_global("zone_aliases").items() if new == zone)


def zone_name(zone: str, locale: Locale | str, moment: datetime | None = None) -> str:
    """The zone as people say it, "Eastern Time" ("미 동부 시간"), never its IANA id; at a
    ``moment``, the name of the clock it is on then ("Eastern Standard Time", "미 동부 표준시").

    Babel files a few US zones (Indianapolis, Louisville) under their older CLDR names and writes
    "United States (Indiana/Indianapolis) Time" or "GMT-05:00" for them; their metazone gives the
    usual name.
    """
    locale = Locale.parse(locale)
    meta_zones = get_global("meta_zones")
    width = "generic" if moment is None else "daylight" if moment.dst() else "standard"
    for name in (zone, *_cldr_aliases(zone)):
        names = locale.meta_zones.get(meta_zones.get(name), {}).get("long", {})
        if names.get(width):
            return names[width]
    return get_timezone_name(moment or get_timezone(zone), "long", locale=locale)

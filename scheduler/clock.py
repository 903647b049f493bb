"""How every page, feed and email writes a time of day: one rule for all of them.

CLDR's short time abbreviates Korean's day period to "PM" ("PM 7:00"), which reads as English on
a Korean page; the wide form is "오후 7:00", and in English it is the same "7:00 PM" as before.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from babel import Locale
from babel.dates import format_time

DAY_PERIOD = re.compile(r"(?<!a)a(?!a)")


def short_time(moment: datetime | time, locale: Locale | str) -> str:
    """The locale's short time with the day period written out, on the moment's own clock."""
    locale = Locale.parse(locale)
    pattern = DAY_PERIOD.sub("aaaa", locale.time_formats["short"].pattern)
    return format_time(moment, pattern, tzinfo=getattr(moment, "tzinfo", None), locale=locale)

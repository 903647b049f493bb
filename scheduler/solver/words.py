"""How the solver names things to a person: speakers and chapters by name, dates as "3 Feb",
distances as "3,440 km". Reasons, pin conflicts and the checker's messages all read this way
(never an id or a rule code alone)."""

from __future__ import annotations

import re
from datetime import date, datetime

# ``day_text``'s dates found in a sentence, so an app can write them in its reader's language.
DAY_TEXT = re.compile(r"\b(\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4})\b")


def day_text(day: date) -> str:
    """``3 Feb 2027``."""
    return f"{day.day} {day:%b %Y}"


def read_day_text(text: str) -> date:
    """The date that ``day_text`` wrote as ``text``."""
    return datetime.strptime(text, "%d %b %Y").date()


def km_text(km: float) -> str:
    """``3,440 km`` (whole km; below 10 km, one decimal)."""
    return f"{km:,.1f} km" if round(km, 1) < 10 else f"{km:,.0f} km"


def named(name: str, fallback: str) -> str:
    """A display name, or the id when the file gives no name."""
    return name.strip() or fallback


def minutes_text(minutes: float) -> str:
    """``1 h 35 min`` or ``40 min``."""
    whole = max(0, round(minutes))
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"

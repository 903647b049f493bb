"""Coordinators' priorities of many requests at once: all are valid and saved, or none is."""

from __future__ import annotations

from scheduler.extensions import db
from scheduler.models import Request, Tour

LOWEST, HIGHEST = 1, 5
INVALID = f"Priority must be a whole number from {LOWEST} (low) to {HIGHEST} (high)."


def read_priorities(tour: Tour, form: dict) -> tuple[dict[Request, int], dict[int, str]]:
    """``priority-<id>`` fields of the tour's requests as wanted priorities, and the messages
    of those that are not a priority, by request id. Fields of other tours are ignored."""
    by_id = {r.id: r for r in tour.requests}
    wanted, errors = {}, {}
    for key, value in form.items():
        name, _, number = key.partition("-")
        if name != "priority" or not number.isdigit() or int(number) not in by_id:
            continue
        text = value.strip()
        if text.isascii() and text.isdigit() and LOWEST <= int(text) <= HIGHEST:
            wanted[by_id[int(number)]] = int(text)
        else:
            errors[int(number)] = INVALID
    return wanted, errors


def save_priorities(wanted: dict[Request, int]) -> list[Request]:
    """Set each request's priority; returns those whose priority changed."""
    changed = [r for r, value in wanted.items() if r.priority != value]
    for request in changed:
        request.priority = wanted[request]
    db.session.commit()
    return changed

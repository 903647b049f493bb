"""Schedule snapshots and what changed between two of them (as pretalx's schedule changes).

A snapshot is a list of plain dicts, one per placed request, so a published ScheduleVersion keeps
what chapters were told even after requests, venues or speakers are edited later.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Request, ScheduleVersion, Tour
from scheduler.services.proposal import draft

ADDED, MOVED, REASSIGNED, CANCELLED = "added", "moved", "re-assigned", "cancelled"
KIND_ORDER = (ADDED, MOVED, REASSIGNED, CANCELLED)


def entry(request: Request, row: Assignment) -> dict:
    """One event as chapters and coordinators see it; ids keep it comparable across versions."""
    return {
        "request_id": request.id,
        "request": request.format_id,
        "chapter": request.chapter.name,
        "venue": request.venue_name,
        "city": request.city,
        "speaker_id": row.speaker.id,
        "speaker": row.speaker.display_name,
        "date": row.date.isoformat(),
        "start_time": request.start_time.strftime("%H:%M"),
        "timezone": request.timezone,
    }


def _ordered(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (e["date"], e["start_time"], e["request_id"]))


def published_snapshot(tour: Tour) -> list[dict]:
    """The confirmed schedule as it stands now."""
    return _ordered(
        [
            entry(request, row)
            for request in tour.requests
            if (row := request.assignment_in(AssignmentState.CONFIRMED)) is not None
        ]
    )


def proposal_snapshot(tour: Tour) -> list[dict]:
    """The draft: what publishing now would make the confirmed schedule."""
    return _ordered([entry(r, row) for r, row in draft(tour).items() if row is not None])


@dataclass(frozen=True)
class Change:
    """One request's change: ``before``/``after`` are snapshot entries (None when absent)."""

    kind: str
    before: dict | None
    after: dict | None

    @property
    def current(self) -> dict:
        return self.after or self.before

    @property
    def request_id(self) -> int:
        return self.current["request_id"]


def _kind(before: dict | None, after: dict | None) -> str | None:
    if before is None:
        return ADDED
    if after is None:
        return CANCELLED
    if before["speaker_id"] != after["speaker_id"]:
        return REASSIGNED
    if (before["date"], before["start_time"]) != (after["date"], after["start_time"]):
        return MOVED
    return None


def diff(old: list[dict], new: list[dict]) -> list[Change]:
    """Added, moved (date or time), re-assigned (another speaker) and cancelled events."""
    before = {e["request_id"]: e for e in old}
    after = {e["request_id"]: e for e in new}
    changes = []
    for request_id in before.keys() | after.keys():
        kind = _kind(before.get(request_id), after.get(request_id))
        if kind is not None:
            changes.append(Change(kind, before.get(request_id), after.get(request_id)))
    return sorted(
        changes, key=lambda c: (KIND_ORDER.index(c.kind), c.current["date"], c.request_id)
    )


def versions(tour: Tour) -> list[ScheduleVersion]:
    """Newest first, as a coordinator reads a history."""
    return list(
        db.session.execute(
            db.select(ScheduleVersion)
            .filter_by(tour_id=tour.id)
            .order_by(ScheduleVersion.number.desc())
        ).scalars()
    )


def version(tour: Tour, number: int) -> ScheduleVersion | None:
    return db.session.execute(
        db.select(ScheduleVersion).filter_by(tour_id=tour.id, number=number)
    ).scalar_one_or_none()


def changes_between(old: ScheduleVersion | None, new: ScheduleVersion) -> list[Change]:
    """What ``new`` changed against ``old`` (against nothing: everything was added)."""
    return diff(old.assignments if old is not None else [], new.assignments)

"""The audit log as a coordinator reads it: which chapter's request, which speaker, which day,
changed from what to what, in words and in the locale's dates.

The log itself (``scheduler.audit``) stores each row as the database holds it, ids included, so
nothing is lost when a request or a speaker is later removed; this read model turns those ids
into the names of the tour's chapters, requests and speakers, and leaves out bookkeeping columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from scheduler.extensions import db
from scheduler.models import AuditEntry, Tour
from scheduler.services import wording

PAGE_SIZE = 100
ENTITIES = {
    "request": "request",
    "assignment": "event",
    "speaker_unavailability": "day a speaker cannot do",
    "event_advance": "advance",
    "event_report": "event report",
}
# Columns that say nothing to a person: the row's own id, its tour, its timestamps, the ids a
# file or a calendar gave it.
BOOKKEEPING = {"id", "tour_id", "created_at", "updated_at", "event_uid", "external_id", "sequence"}
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Line:
    """One entry of the log, worded: ``what`` names the thing changed; ``before`` and ``after``
    are (field, value) pairs."""

    at: datetime
    actor: str
    what: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


class _Names:
    """The tour's requests, chapters and speakers by id."""

    def __init__(self, tour: Tour):
        self.requests = {r.id: wording.request_name(r) for r in tour.requests}
        self.chapters = {r.chapter_id: r.chapter.name for r in tour.requests}
        self.speakers = {s.id: s.display_name for s in tour.speakers}

    def of(self, key: str, value) -> str:
        """``value`` of column ``key`` as a person reads it."""
        by_key = {
            "request_id": self.requests,
            "chapter_id": self.chapters,
            "speaker_id": self.speakers,
        }
        if key in by_key and value is not None:
            return by_key[key].get(value, "(removed)")
        if key == "solve_run_id" and value is not None:
            return f"solve run #{value}"
        if key == "timezone" and value:
            return wording.zone(value)
        if key == "language" and value:
            return wording.language(value)
        if key == "start_time" and value:
            return wording.clock(datetime.combine(date.min, time.fromisoformat(value)))
        if isinstance(value, str) and ISO_MOMENT.match(value):
            return wording.stamp(datetime.fromisoformat(value)) + " UTC"
        if isinstance(value, str) and ISO_DAY.match(value):
            return wording.day(date.fromisoformat(value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if value is None or value == "" or value == []:
            return "—"
        return str(value)

    def fields(self, values: dict | None) -> list[tuple[str, str]]:
        return [
            (_label(key), self.of(key, value))
            for key, value in (values or {}).items()
            if key not in BOOKKEEPING
        ]

    def subject(self, entry: AuditEntry) -> str:
        """The thing changed: "event of LiNK at UCLA (Royce Hall, Los Angeles)"."""
        kind = ENTITIES.get(entry.entity, entry.entity.replace("_", " "))
        row = entry.after or entry.before or {}
        if entry.entity == "request":
            return f"{kind} of {self.requests.get(entry.entity_id, '(removed)')}"
        if "request_id" in row:
            return f"{kind} of {self.of('request_id', row['request_id'])}"
        if "speaker_id" in row:
            return f"{kind} of {self.of('speaker_id', row['speaker_id'])}"
        return kind


def _label(key: str) -> str:
    return key.removesuffix("_id").replace("_", " ")


def lines(tour: Tour, page: int):
    """One page of the tour's log, newest first: (the pagination, its worded lines)."""
    pagination = db.paginate(
        db.select(AuditEntry).filter_by(tour_id=tour.id).order_by(AuditEntry.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    names = _Names(tour)
    worded = [
        Line(
            at=entry.at,
            actor=entry.actor,
            what=f"{entry.action.capitalize()} {names.subject(entry)}",
            before=names.fields(entry.before),
            after=names.fields(entry.after),
        )
        for entry in pagination.items
    ]
    return pagination, worded

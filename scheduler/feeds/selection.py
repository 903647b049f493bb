"""Which events a feed holds, and a fingerprint of every value that shapes its bytes.

One prebuilt query (plain columns, no ORM objects) answers both, so a feed that did not change
is recognised, and answered from cache or with 304, without loading or rendering anything.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Chapter,
    Request,
    RequestState,
    Speaker,
    utcnow,
)

# A cancelled event must reach every subscribed calendar as STATUS:CANCELLED before it may drop:
# calendar apps poll feeds only every few hours, some far less often when a device is asleep.
CANCELLED_KEPT_FOR = timedelta(days=30)


@dataclass(frozen=True)
class HeldEvent:
    """The one assignment row a feed shows for a request, and how it shows it."""

    assignment_id: int
    cancelled: bool
    sequence: int
    modified: datetime


@dataclass(frozen=True)
class FeedState:
    version: str
    last_modified: datetime
    rows: list

    def events(self) -> list[HeldEvent]:
        """One event per request, in the order the requests first appear."""
        groups: dict[int, list] = defaultdict(list)
        for row in self.rows:
            groups[row.request_id].append(row)
        return [_held(group) for group in groups.values()]


_assignment = Assignment.__table__
_request = Request.__table__
_chapter = Chapter.__table__
_speaker = Speaker.__table__
_other = _assignment.alias("other")

# Built once: a feed is polled far more often than it changes, so this query is the hot path.
_ROWS = (
    select(
        _assignment.c.id,
        _assignment.c.request_id,
        _assignment.c.state,
        _assignment.c.date,
        _assignment.c.updated_at,
        _assignment.c.cancelled_at,
        _request.c.state.label("request_state"),
        _request.c.updated_at.label("request_updated_at"),
        _request.c.event_uid,
        _speaker.c.display_name,
        _speaker.c.public_naming,
        _speaker.c.first_name,
        _speaker.c.pseudonym,
        _speaker.c.photo_consent,
        _speaker.c.recording_consent,
        _speaker.c.livestream_consent,
        _chapter.c.name,
        _chapter.c.school,
        _chapter.c.contact_name,
        _chapter.c.contact_email,
        _chapter.c.contact_phone,
        select(func.max(_other.c.sequence))
        .where(_other.c.request_id == _request.c.id)
        .scalar_subquery()
        .label("max_sequence"),
    )
    .select_from(
        _assignment.join(_request, _assignment.c.request_id == _request.c.id)
        .join(_chapter, _request.c.chapter_id == _chapter.c.id)
        .join(_speaker, _assignment.c.speaker_id == _speaker.c.id)
    )
    .where(
        or_(
            _assignment.c.state == AssignmentState.CONFIRMED,
            and_(
                _assignment.c.state == AssignmentState.CANCELLED,
                _assignment.c.cancelled_at >= bindparam("cutoff"),
            ),
        ),
        or_(
            _request.c.state != RequestState.WITHDRAWN,
            _request.c.updated_at >= bindparam("cutoff"),
        ),
    )
    .order_by(_assignment.c.id)
)
SCOPES = {
    "speaker": _ROWS.where(_assignment.c.speaker_id == bindparam("owner_id")),
    "chapter": _ROWS.where(_assignment.c.request_id == bindparam("owner_id")),
    "tour": _ROWS.where(_request.c.tour_id == bindparam("owner_id")),
}


def _held(group: list) -> HeldEvent:
    """Confirmed beats cancelled; a withdrawn request cancels even a row nobody cancelled."""
    confirmed = [row for row in group if row.state == AssignmentState.CONFIRMED]
    if confirmed:
        row = max(confirmed, key=lambda row: row.id)
        modified = max(row.updated_at, row.request_updated_at)
        if row.request_state != RequestState.WITHDRAWN:
            return HeldEvent(row.id, False, row.max_sequence, modified)
        # Nobody raised the sequence on withdrawal, so raise it here or calendars ignore it.
        return HeldEvent(row.id, True, row.max_sequence + 1, modified)
    row = max(group, key=lambda row: (row.cancelled_at, row.id))
    modified = max(row.updated_at, row.request_updated_at, row.cancelled_at)
    return HeldEvent(row.id, True, row.max_sequence, modified)


def feed_state(kind: str, owner_id: int, fingerprint: tuple, since: datetime) -> FeedState:
    """The rows of one speaker's, request's or tour's feed; ``fingerprint`` is what else shows.

    The rows alone decide the events (the time window is applied in SQL), so hashing them is
    enough; which row each event shows is worked out only when the feed is rendered.
    """
    cutoff = utcnow() - CANCELLED_KEPT_FOR
    rows = db.session.execute(SCOPES[kind], {"owner_id": owner_id, "cutoff": cutoff}).all()
    digest = hashlib.sha256(repr((fingerprint, [tuple(row) for row in rows])).encode())
    last_modified = max(
        [since]
        + [row.updated_at for row in rows]
        + [row.request_updated_at for row in rows]
        + [row.cancelled_at for row in rows if row.cancelled_at is not None]
    )
    return FeedState(digest.hexdigest()[:32], last_modified, rows)

"""The audit log: who changed which request or assignment, when, from what to what.

Recorded in one place, a session hook, so every path that changes these rows (chapter forms,
coordinator edits, solving, publishing, CLI) is logged without each having to remember it.
"""

from datetime import date, datetime, time

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from scheduler.models import (
    Assignment,
    AuditEntry,
    EventAdvance,
    EventReport,
    Request,
    SpeakerUnavailability,
)

AUDITED = {
    Request: ("request", lambda row: row.tour_id),
    Assignment: ("assignment", lambda row: row.request.tour_id if row.request else None),
    SpeakerUnavailability: (
        "speaker_unavailability",
        lambda row: row.speaker.tour_id if row.speaker else None,
    ),
    EventAdvance: ("event_advance", lambda row: row.request.tour_id if row.request else None),
    EventReport: ("event_report", lambda row: row.request.tour_id if row.request else None),
}
SECRET_COLUMNS = {"token", "feed_token"}


def current_actor() -> str:
    """The coordinator's email, 'chapter' or 'speaker' for token holders, else 'system'."""
    if has_request_context():
        if current_user.is_authenticated:
            return current_user.email
        if request.blueprint == "public" and (request.view_args or {}).get("token"):
            return "chapter"
        if request.blueprint == "speakers":
            return "speaker"
        if request.blueprint == "public":
            return "chapter"
    return g.get("actor", "system") if has_request_context() else "system"


def _plain(value):
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def _snapshot(row) -> dict:
    return {
        attribute.key: _plain(getattr(row, attribute.key))
        for attribute in inspect(row).mapper.column_attrs
        if attribute.key not in SECRET_COLUMNS
    }


def remember_rows_before_change(session: Session, flush_context, instances) -> None:
    """Read changed rows as the database holds them, since expired attributes keep no history."""
    before = session.info.setdefault("audit_before", {})
    for row in session.dirty:
        if type(row) in AUDITED and session.is_modified(row) and row.id is not None:
            table = inspect(row).mapper.local_table
            stored = session.connection().execute(
                select(table).where(table.c.id == row.id)
            ).mappings().first()
            if stored is not None:
                before[id(row)] = {key: _plain(value) for key, value in stored.items()}


def _changes(session: Session, row) -> tuple[dict, dict]:
    """Columns that changed, from what to what; none for a row dirty only by a relationship
    (a request whose list of events grew), which ``remember_rows_before_change`` skipped."""
    stored = session.info.get("audit_before", {}).pop(id(row), None)
    if stored is None:
        return {}, {}
    now = _snapshot(row)
    changed = [
        key for key, value in now.items()
        if key not in ("updated_at", "created_at") and stored.get(key) != value
    ]
    return {key: stored.get(key) for key in changed}, {key: now[key] for key in changed}


def record_changes(session: Session, flush_context) -> None:
    entries = []
    for rows, action in ((session.new, "created"), (session.dirty, "changed"),
                         (session.deleted, "deleted")):
        for row in rows:
            audited = AUDITED.get(type(row))
            if audited is None:
                continue
            entity, tour_of = audited
            if action == "changed":
                before, after = _changes(session, row)
                if not after and not before:
                    continue
            elif action == "created":
                before, after = None, _snapshot(row)
            else:
                before, after = _snapshot(row), None
            entries.append(
                {
                    "actor": current_actor(),
                    "action": action,
                    "entity": entity,
                    "entity_id": row.id,
                    "tour_id": tour_of(row),
                    "before": before,
                    "after": after,
                }
            )
    if entries:
        session.execute(AuditEntry.__table__.insert(), entries)


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_flush", record_changes):
        event.listen(Session, "before_flush", remember_rows_before_change)
        event.listen(Session, "after_flush", record_changes)

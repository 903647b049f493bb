"""Undo of the last hand edit of a tour's proposal: one level, kept in the database per tour.

An edit (move, assign, unassign, pin) only touches one request's draft rows: its proposed row,
its dropped row, and the pin of its confirmed row. ``undoable`` records those rows before and
after a successful edit; ``undo`` puts the "before" rows back, but only while the request's rows
are still exactly "after": a solve, a publication or another coordinator's edit since then is
never overwritten, and the coordinator is told so. A new edit replaces the one kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, LastEdit, Request, Tour

DRAFT_STATES = (AssignmentState.PROPOSED, AssignmentState.DROPPED)


class NothingToUndo(Exception):
    """No edit is kept, or what it changed has changed again since; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def draft_rows(request: Request) -> list[dict]:
    """The rows an edit can change, as plain values in a stable order."""
    rows = [
        {
            "state": row.state,
            "speaker_id": row.speaker_id,
            "date": row.date.isoformat(),
            "pinned": bool(row.pinned),
        }
        for row in request.assignments
        if row.state in (*DRAFT_STATES, AssignmentState.CONFIRMED)
    ]
    return sorted(rows, key=lambda r: (r["state"], r["date"], r["speaker_id"]))


@contextmanager
def undoable(request: Request, description: str, actor: str) -> Iterator[None]:
    """Keep the edit made inside the block as the tour's last edit, if it succeeds."""
    before = draft_rows(request)
    yield
    after = draft_rows(request)
    if after == before:
        return
    tour = request.tour
    kept = tour.last_edit or LastEdit(tour=tour)
    kept.request = request
    kept.description = description[:500]
    kept.before, kept.after, kept.edited_by = before, after, actor
    db.session.add(kept)
    db.session.commit()


def last_edit(tour: Tour) -> LastEdit | None:
    return tour.last_edit


def undo(tour: Tour) -> tuple[Request, str]:
    """Restore the request's rows from before the last edit; returns the request and what
    was undone."""
    kept = tour.last_edit
    if kept is None:
        raise NothingToUndo("There is no edit to undo.")
    request = kept.request
    if draft_rows(request) != kept.after:
        tour.last_edit = None
        db.session.commit()
        raise NothingToUndo(
            f"Not undone: {request.chapter.name} has changed since ({kept.description}), "
            "by a solve, a publication or another edit."
        )
    for row in [r for r in request.assignments if r.state in DRAFT_STATES]:
        request.assignments.remove(row)
    confirmed = request.assignment_in(AssignmentState.CONFIRMED)
    for values in kept.before:
        if values["state"] == AssignmentState.CONFIRMED:
            if confirmed is not None:
                confirmed.pinned = values["pinned"]
            continue
        request.assignments.append(
            Assignment(
                speaker_id=values["speaker_id"],
                date=date.fromisoformat(values["date"]),
                state=values["state"],
                pinned=values["pinned"],
            )
        )
    description = kept.description
    tour.last_edit = None
    db.session.commit()
    return request, description

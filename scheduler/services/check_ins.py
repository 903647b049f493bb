"""Check-ins on the day of a talk: the speaker taps "I have arrived" (or "I am leaving"), and
coordinators see every talk of today and tomorrow on the Today board.

A talk with no arrival an hour before its start is overdue: it is highlighted on the board and
the coordinators are emailed once, recorded by a ``MissedCheckInAlert`` row (unique per talk),
so running the check again, from the CLI or a board load, never mails twice. Days and times are
the venue's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import render_template
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    CheckIn,
    CheckInKind,
    CoordinatorUser,
    MissedCheckInAlert,
    Request,
    RequestState,
    Speaker,
)
from scheduler.services import mail, wording
from scheduler.services.consent import venue_today
from scheduler.web.urls import absolute_url

ARRIVAL_DUE_BEFORE_START = timedelta(hours=1)
# Venues lie within a day of UTC either way, so these dates hold every venue's today and tomorrow.
BOARD_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class BoardRow:
    """One talk on the Today board, with its venue-local start and its check-ins."""

    assignment: Assignment
    start: datetime
    arrived_at: datetime | None
    left_at: datetime | None
    overdue: bool

    @property
    def speaker(self) -> Speaker:
        return self.assignment.speaker

    @property
    def request(self) -> Request:
        return self.assignment.request


def venue_start(assignment: Assignment) -> datetime:
    request = assignment.request
    return datetime.combine(assignment.date, request.start_time, tzinfo=ZoneInfo(request.timezone))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def is_talk_day(assignment: Assignment, now: datetime | None = None) -> bool:
    return assignment.date == venue_today(assignment.request.timezone, now)


def talks_today(speaker: Speaker, now: datetime | None = None) -> list[Assignment]:
    """The speaker's confirmed talks on this day at their venues, where they may check in."""
    return sorted(
        (
            row
            for row in speaker.assignments
            if row.state == AssignmentState.CONFIRMED
            and row.request.state == RequestState.SUBMITTED
            and is_talk_day(row, now)
        ),
        key=venue_start,
    )


def record(assignment: Assignment, kind: str, now: datetime | None = None) -> CheckIn:
    """Save the speaker's check-in; the caller has checked the talk is theirs and today."""
    row = CheckIn(
        assignment=assignment,
        kind=kind,
        at=_now(now).astimezone(UTC).replace(tzinfo=None),
    )
    db.session.add(row)
    db.session.commit()
    return row


def latest(assignment: Assignment, kind: str) -> datetime | None:
    """When the speaker last checked in with ``kind``, in the venue's time."""
    at = db.session.scalar(
        db.select(db.func.max(CheckIn.at)).filter_by(assignment_id=assignment.id, kind=kind)
    )
    if at is None:
        return None
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(assignment.request.timezone))


def _overdue(start: datetime, arrived_at: datetime | None, now: datetime) -> bool:
    return arrived_at is None and now >= start - ARRIVAL_DUE_BEFORE_START


def board(now: datetime | None = None) -> list[BoardRow]:
    """Every confirmed talk on today's or tomorrow's date at its venue, by start."""
    now = _now(now)
    utc_today = now.astimezone(UTC).date()
    candidates = db.session.execute(
        db.select(Assignment)
        .join(Assignment.request)
        .where(
            Assignment.state == AssignmentState.CONFIRMED,
            Request.state == RequestState.SUBMITTED,
            Assignment.date.between(utc_today - BOARD_MARGIN, utc_today + 2 * BOARD_MARGIN),
        )
        .options(
            selectinload(Assignment.request).selectinload(Request.chapter),
            selectinload(Assignment.speaker),
        )
    ).scalars()
    rows = []
    for assignment in candidates:
        today = venue_today(assignment.request.timezone, now)
        if assignment.date not in (today, today + timedelta(days=1)):
            continue
        start = venue_start(assignment)
        arrived_at = latest(assignment, CheckInKind.ARRIVED)
        rows.append(
            BoardRow(
                assignment=assignment,
                start=start,
                arrived_at=arrived_at,
                left_at=latest(assignment, CheckInKind.LEFT),
                overdue=_overdue(start, arrived_at, now),
            )
        )
    return sorted(rows, key=lambda row: (row.start.astimezone(UTC), row.assignment.id))


def alert_missed(now: datetime | None = None) -> int:
    """Email the coordinators about each overdue talk not yet alerted; returns how many."""
    now = _now(now)
    alerted, notices = 0, []
    for row in board(now):
        if row.overdue and _claim_alert(row.assignment):
            alerted += 1
            notices.extend(_missed_notices(row, started=now >= row.start))
    mail.send(notices)
    return alerted


def _claim_alert(assignment: Assignment) -> bool:
    """Record the alert; False when it was recorded before (by this or a concurrent run)."""
    exists = db.session.scalar(
        db.select(MissedCheckInAlert.id).filter_by(assignment_id=assignment.id)
    )
    if exists is not None:
        return False
    db.session.add(MissedCheckInAlert(assignment_id=assignment.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _missed_notices(row: BoardRow, started: bool) -> list[EmailMessage]:
    """``started``: the talk's start has passed (the board was not opened, nor the command run,
    in the hour before it), so the mail cannot say it "starts within the hour"."""
    clock = wording.event_time(row.start.date(), row.start.time(), row.request.timezone)
    body = render_template(
        "mail/missed_check_in.txt",
        row=row,
        started=started,
        start=f"{wording.long_day(row.start.date())}, {clock}",
        board_link=absolute_url("coordinator.today"),
    )
    subject = f"No check-in yet: {row.speaker.display_name} at {row.request.venue_name}, {clock}"
    return [
        mail.message(email, subject, body)
        for email in db.session.execute(db.select(CoordinatorUser.email)).scalars()
    ]

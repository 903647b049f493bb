"""Reminders to chapters: an unfinished advance some days before the event, the report request
the day after it. Each step of each event is mailed once.

"Once" is the database's promise, not this process's: a step is claimed by inserting its
``ReminderSent`` row (unique per event and step) and committing before the mail leaves, so a
re-run, or two runs at the same moment (cron and the button), find the claim and skip it. If the
mail cannot leave, the claim is removed so the next run tries again.

Run by ``flask --app wsgi tour remind`` (cron, daily or hourly) and by the button on the
coordinators' advance page.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.models import Assignment, ReminderSent, Request, Tour
from scheduler.services import advance, mail, wording
from scheduler.services.consent import venue_today
from scheduler.web.urls import absolute_url

REPORT_STEP = "report"
MAX_DAYS = 365
# A report request for an event longer ago than this would surprise the chapter.
REPORT_WINDOW_DAYS = 14


def parse_days(text: str) -> list[int]:
    """"14, 5" -> [14, 5]: distinct whole days before the event, largest first."""
    parts = [part for part in re.split(r"[\s,]+", text.strip()) if part]
    if not parts or not all(part.isdigit() for part in parts):
        raise ValueError("Give whole numbers of days separated by commas, like 14, 5.")
    days = sorted({int(part) for part in parts}, reverse=True)
    if any(not 1 <= day <= MAX_DAYS for day in days):
        raise ValueError(f"Each number of days must be from 1 to {MAX_DAYS}.")
    return days


def reminder_days(tour: Tour) -> list[int]:
    return parse_days(tour.advance_reminder_days)


def advance_step(days: int) -> str:
    return f"advance-{days}"


@dataclass(frozen=True)
class Due:
    event: Assignment
    step: str
    days_before: int | None  # None for the report request


def due(tour: Tour, now: datetime | None = None) -> list[Due]:
    """The reminders due now: for an unfinished advance, the most urgent step whose day has
    come (a run that missed the 14-day mark sends the 5-day one, not both); for a held event
    with no report, the request from the day after."""
    steps = reminder_days(tour)
    found = []
    for row in advance.overview(tour, now=now):
        event = row.assignment
        today = venue_today(event.request.timezone, now)
        if today < event.date and not row.complete:
            reached = [days for days in steps if today >= event.date - timedelta(days=days)]
            if reached:
                found.append(Due(event, advance_step(min(reached)), min(reached)))
        elif row.report is None and (
            event.date < today <= event.date + timedelta(days=REPORT_WINDOW_DAYS)
        ):
            found.append(Due(event, REPORT_STEP, None))
    return found


def _claim(request_id: int, step: str) -> ReminderSent | None:
    """Insert the step's row in a transaction of its own; None if another run holds it."""
    db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale read snapshot
    claim = ReminderSent(request_id=request_id, step=step)
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return claim


def _message(reminder: Due):
    request = reminder.event.request
    if reminder.step == REPORT_STEP:
        subject = f"How did it go? Your event report for {request.venue_name}"
        link = absolute_url("public.event_report", token=request.token)
    else:
        subject = f"Your event in {reminder.days_before} days: the advance is not finished"
        link = absolute_url("public.event_advance", token=request.token)
    body = render_template(
        "mail/reminder.txt", reminder=reminder, request=request, link=link,
        when=wording.long_day(reminder.event.date),
        missing=advance.missing(advance.advance_of(request)),
        report_step=reminder.step == REPORT_STEP,
    )
    return mail.message(request.chapter.contact_email, subject, body)


def send_due(tours: list[Tour] | None = None, now: datetime | None = None) -> int:
    """Mail every reminder due now that no run has claimed; returns how many left."""
    if tours is None:
        tours = list(db.session.execute(db.select(Tour)).scalars())
    sent = 0
    for tour in tours:
        for reminder in due(tour, now):
            if not reminder.event.request.chapter.contact_email:
                continue
            message = _message(reminder)
            claim = _claim(reminder.event.request_id, reminder.step)
            if claim is None:
                continue
            try:
                mail.send([message])
            except (OSError, smtplib.SMTPException):
                db.session.delete(claim)
                db.session.commit()
                raise
            sent += 1
    return sent


def already_sent(tour: Tour) -> dict[int, list[str]]:
    """The steps mailed so far per request of the tour, for the coordinators' overview."""
    rows = db.session.execute(
        db.select(ReminderSent.request_id, ReminderSent.step)
        .join(Request, Request.id == ReminderSent.request_id)
        .filter(Request.tour_id == tour.id)
        .order_by(ReminderSent.sent_at)
    )
    sent: dict[int, list[str]] = {}
    for request_id, step in rows:
        sent.setdefault(request_id, []).append(step)
    return sent


"""The event report: what happened at a confirmed event, filed by the chapter from the event's
day (at the venue) or entered and corrected by a coordinator at any time.

Changes are logged by the audit hook (scheduler/audit.py), so a corrected figure keeps who
changed it from what.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from scheduler.extensions import db
from scheduler.models import Assignment, EventOutcome, EventReport, Request
from scheduler.services.consent import venue_today

OUTCOMES = {
    EventOutcome.HELD: "The event was held",
    EventOutcome.CANCELLED: "Cancelled at short notice",
    EventOutcome.NO_SHOW: "The speaker did not arrive",
}
NOTE_LIMIT = 2000
# Ceilings that catch a typo (an extra zero or three), stated on the form.
MAX_ATTENDANCE = 100_000
MAX_FUNDS_USD = 10_000_000
FIELDS = ("outcome", "attendance", "funds_cents", "signups", "note")


def report_of(request: Request) -> EventReport | None:
    return db.session.execute(
        db.select(EventReport).filter_by(request_id=request.id)
    ).scalar_one_or_none()


def chapter_may_report(event: Assignment, now: datetime | None = None) -> bool:
    """A chapter reports from the event's own date, counted at the venue."""
    return venue_today(event.request.timezone, now) >= event.date


def cents(dollars: Decimal | None) -> int:
    return 0 if dollars is None else int((dollars * 100).to_integral_value())


def dollars(amount_cents: int) -> Decimal:
    return (Decimal(amount_cents) / 100).quantize(Decimal("0.01"))


def save(request: Request, values: dict) -> EventReport:
    """Store the report as given; a second save corrects the first (the audit log keeps both)."""
    report = report_of(request) or EventReport(request=request)
    for name in FIELDS:
        setattr(report, name, values[name])
    db.session.add(report)
    db.session.commit()
    return report


def values_of(report: EventReport | None) -> dict:
    if report is None:
        return {}
    return {name: getattr(report, name) for name in FIELDS}

"""Publishing: the proposal becomes the confirmed schedule, a numbered version, and mail.

Everything in the database happens in one transaction: either the whole proposal is published
with its version, or nothing changes. Mail goes out only after the commit, and only to chapters
whose event was added, moved, re-assigned or cancelled.
"""

from __future__ import annotations

from datetime import date, datetime, time
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    ScheduleVersion,
    Speaker,
    Tour,
    TourState,
)
from scheduler.services import mail
from scheduler.services.assignments import cancel, next_sequence
from scheduler.services.consent import consent_rules, public_name
from scheduler.services.versions import (
    ADDED,
    CANCELLED,
    MOVED,
    REASSIGNED,
    Change,
    diff,
    published_snapshot,
)

SUBJECTS = {
    ADDED: "Your event is scheduled: {date}",
    MOVED: "Your event has moved: {date}",
    REASSIGNED: "New speaker for your event: {date}",
    CANCELLED: "Your event on {date} is cancelled",
}


def publish(tour: Tour, actor: str) -> ScheduleVersion:
    """Confirm the proposal, record version N+1 and email the chapters whose event changed."""
    before = published_snapshot(tour)
    try:
        for request in tour.requests:
            _publish_request(request)
        db.session.flush()
        tour.state = TourState.PUBLISHED
        after = published_snapshot(tour)
        previous = max((v.number for v in tour.versions), default=0)
        version = ScheduleVersion(
            tour=tour, number=previous + 1, published_by=actor, assignments=after
        )
        db.session.add(version)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    mail.send(chapter_notices(tour, diff(before, after)))
    return version


def _publish_request(request: Request) -> None:
    proposed = request.assignment_in(AssignmentState.PROPOSED)
    confirmed = request.assignment_in(AssignmentState.CONFIRMED)
    dropped = request.assignment_in(AssignmentState.DROPPED)
    if dropped is not None:
        request.assignments.remove(dropped)
    if request.state != RequestState.SUBMITTED or (proposed is None and dropped is not None):
        if proposed is not None:
            request.assignments.remove(proposed)
        if confirmed is not None:
            cancel(confirmed)
        return
    if proposed is None:
        return
    if confirmed is not None and _same(confirmed, proposed):
        confirmed.pinned = proposed.pinned
        request.assignments.remove(proposed)
        return
    if confirmed is not None:
        cancel(confirmed)
    proposed.state = AssignmentState.CONFIRMED
    proposed.sequence = next_sequence(request)


def _same(a: Assignment, b: Assignment) -> bool:
    return (a.speaker_id, a.date) == (b.speaker_id, b.date)


def local_when(event: dict) -> str:
    """ "Thursday 11 March 2027, 19:00 PST (America/Los_Angeles)": the venue's own clock."""
    zone = event["timezone"]
    moment = datetime.combine(
        date.fromisoformat(event["date"]), time.fromisoformat(event["start_time"]), ZoneInfo(zone)
    )
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M %Z} ({zone})"


def _public_name(event: dict) -> str:
    """A snapshot entry's speaker as the chapter may know them (``consent.public_name``)."""
    speaker = db.session.get(Speaker, event["speaker_id"])
    return public_name(speaker, date.fromisoformat(event["date"]), event["timezone"])


def chapter_notices(tour: Tour, changes: list[Change]) -> list[EmailMessage]:
    """One email per changed event, to that request's chapter contact only."""
    base = current_app.config["BASE_URL"].rstrip("/")
    notices = []
    for change in changes:
        request = db.session.get(Request, change.request_id)
        if request is None or not request.chapter.contact_email:
            continue
        event = change.current
        speaker = db.session.get(Speaker, event["speaker_id"])
        name = _public_name(event)
        previous = None
        if change.kind in (MOVED, REASSIGNED):
            previous = f"{local_when(change.before)} with {_public_name(change.before)}"
        body = render_template(
            "mail/chapter_change.txt",
            kind=change.kind,
            tour_name=tour.name,
            contact_name=request.chapter.contact_name,
            event=event,
            speaker=name,
            rules=consent_rules(speaker, name),
            when=local_when(event),
            previous=previous,
            request_link=f"{base}/r/{request.token}",
            calendar_link=f"{base}/feeds/chapter/{request.token}.ics",
        )
        subject = SUBJECTS[change.kind].format(date=event["date"])
        notices.append(mail.message(request.chapter.contact_email, subject, body))
    return notices

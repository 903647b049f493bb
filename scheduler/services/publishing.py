"""Publishing: the proposal becomes the confirmed schedule, a numbered version, and mail.

A coordinator first reads a preview (what changes, which chapter gets which email) and confirms
it; the confirmation carries the preview's fingerprint, so a draft edited in between is not
published unseen. Everything in the database happens in one transaction: either the whole
proposal is published with its version, or nothing changes. Mail goes out only after the
commit, and only to chapters whose event was added, moved, re-assigned or cancelled.
Publishing leaves the tour's state alone: a tour open for requests stays open until its deadline.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, time
from email.message import EmailMessage

from flask import render_template

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    ScheduleVersion,
    Speaker,
    Tour,
)
from scheduler.services import mail, wording
from scheduler.services.assignments import cancel, next_sequence
from scheduler.services.consent import consent_rules, public_name
from scheduler.services.versions import (
    ADDED,
    CANCELLED,
    MOVED,
    REASSIGNED,
    Change,
    diff,
    proposal_snapshot,
    published_snapshot,
)
from scheduler.web.urls import absolute_url

SUBJECTS = {
    ADDED: "Your event is scheduled: {date}",
    MOVED: "Your event has moved: {date}",
    REASSIGNED: "New speaker for your event: {date}",
    CANCELLED: "Your event on {date} is cancelled",
}


class PreviewOutdated(Exception):
    """The draft changed after the coordinator read the preview; nothing was published."""


@dataclass(frozen=True)
class Notice:
    """One email publishing would send: to whom, about which change, with which subject."""

    change: Change
    chapter: str
    to: str
    subject: str


@dataclass(frozen=True)
class Preview:
    """What publishing now would do; ``fingerprint`` identifies exactly this draft."""

    changes: list[Change]
    notices: list[Notice]
    unnotified: list[Change]
    fingerprint: str
    next_number: int

    @property
    def nothing_to_publish(self) -> bool:
        return not self.changes


def _fingerprint(published: list[dict], proposed: list[dict]) -> str:
    text = json.dumps([published, proposed], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def preview(tour: Tour) -> Preview:
    """The changes from the published schedule and the email each chapter concerned would get."""
    published, proposed = published_snapshot(tour), proposal_snapshot(tour)
    changes = diff(published, proposed)
    notices, unnotified = [], []
    for change in changes:
        request = db.session.get(Request, change.request_id)
        if request is None or not request.chapter.contact_email:
            unnotified.append(change)
            continue
        notices.append(
            Notice(change, request.chapter.name, request.chapter.contact_email, subject(change))
        )
    return Preview(
        changes,
        notices,
        unnotified,
        _fingerprint(published, proposed),
        max((v.number for v in tour.versions), default=0) + 1,
    )


def subject(change: Change) -> str:
    return SUBJECTS[change.kind].format(
        date=wording.long_day(date.fromisoformat(change.current["date"]))
    )


def publish(tour: Tour, actor: str, fingerprint: str | None = None) -> ScheduleVersion:
    """Confirm the proposal, record version N+1 and email the chapters whose event changed.

    With ``fingerprint`` (from a preview), refuses with PreviewOutdated when the draft or the
    published schedule changed since that preview.
    """
    before = published_snapshot(tour)
    if fingerprint is not None and fingerprint != _fingerprint(before, proposal_snapshot(tour)):
        raise PreviewOutdated
    try:
        for request in tour.requests:
            _publish_request(request)
        db.session.flush()
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
    """ "Thursday, March 11, 2027, 7:00 PM Pacific Time": the venue's own clock."""
    day = date.fromisoformat(event["date"])
    clock = wording.event_time(day, time.fromisoformat(event["start_time"]), event["timezone"])
    return f"{wording.long_day(day)}, {clock}"


def _public_name(event: dict) -> str:
    """A snapshot entry's speaker as the chapter may know them (``consent.public_name``)."""
    speaker = db.session.get(Speaker, event["speaker_id"])
    return public_name(speaker, date.fromisoformat(event["date"]), event["timezone"])


def chapter_notices(tour: Tour, changes: list[Change]) -> list[EmailMessage]:
    """One email per changed event, to that request's chapter contact only."""
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
            request_link=absolute_url("public.request_view", token=request.token),
            calendar_link=absolute_url("feeds.chapter_feed", token=request.token),
        )
        notices.append(mail.message(request.chapter.contact_email, subject(change), body))
    return notices

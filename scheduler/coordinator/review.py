"""Reviewing and editing a proposal: timeline per speaker, route maps, unserved requests, the
difference from the published schedule, and the hand edits (move, assign, unassign, pin)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from markupsafe import Markup

from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm, PlaceForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import Assignment, Request, RequestState, Speaker, Tour
from scheduler.services import editing, proposal
from scheduler.services.choices import offered_dates
from scheduler.services.clashes import clashing_assignments
from scheduler.services.route_map import RouteStop, render_route_svg
from scheduler.services.versions import diff, proposal_snapshot, published_snapshot
from scheduler.solver.checker import haversine_km


@dataclass
class TimelineEvent:
    request: Request
    row: Assignment
    km_from_previous: float | None
    change: str | None


@dataclass
class Day:
    date: date
    in_tour: bool
    unavailable: bool
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class SpeakerPlan:
    speaker: Speaker
    events: list[TimelineEvent]
    weeks: list[list[Day]]
    km: float
    route_map: Markup


def _weeks(tour: Tour, speaker: Speaker, events: list[TimelineEvent]) -> list[list[Day]]:
    """Monday-to-Sunday rows covering the tour window."""
    unavailable = set(speaker.unavailable_dates)
    by_day: dict[date, list[TimelineEvent]] = {}
    for event in events:
        by_day.setdefault(event.row.date, []).append(event)
    day = tour.start - timedelta(days=tour.start.weekday())
    weeks = []
    while day <= tour.end:
        week = []
        for _ in range(7):
            week.append(
                Day(day, tour.start <= day <= tour.end, day in unavailable, by_day.get(day, []))
            )
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


def speaker_plans(tour: Tour, placed: dict, changes: dict[int, str]) -> list[SpeakerPlan]:
    plans = []
    for speaker in tour.speakers:
        rows = sorted(
            ((r, row) for r, row in placed.items() if row is not None and row.speaker is speaker),
            key=lambda pair: (pair[1].date, pair[0].start_time, pair[0].id),
        )
        events, previous = [], None
        for request, row in rows:
            km = (
                None
                if previous is None
                else haversine_km(previous.lat, previous.lon, request.lat, request.lon)
            )
            events.append(TimelineEvent(request, row, km, changes.get(request.id)))
            previous = request
        stops = [RouteStop(e.request.chapter.name, e.request.lat, e.request.lon) for e in events]
        plans.append(
            SpeakerPlan(
                speaker,
                events,
                _weeks(tour, speaker, events),
                sum(e.km_from_previous or 0.0 for e in events),
                render_route_svg(stops, title=f"Route of {speaker.display_name}"),
            )
        )
    return plans


def summary(tour: Tour, placed: dict) -> dict:
    served = [r for r, row in placed.items() if row is not None]
    total_weight = sum(r.priority for r in placed)
    run = editing.latest_successful_run(tour)
    return {
        "requests": len(placed),
        "served": len(served),
        "served_pct": 100.0 * len(served) / len(placed) if placed else 0.0,
        "weight": sum(r.priority for r in served),
        "total_weight": total_weight,
        "run": run,
    }


def date_choices(request: Request) -> list[tuple[str, str]]:
    return [
        (day.isoformat(), f"{day:%a} {day.day} {day:%b %Y} · choice {rank}")
        for day, rank in offered_dates(request)
    ]


@bp.get("/tours/<slug>/review")
@login_required
def review(slug: str):
    tour = tour_or_404(slug)
    placed = proposal.draft(tour)
    changes = diff(published_snapshot(tour), proposal_snapshot(tour))
    reasons = editing.unassigned_reasons(tour)
    unserved = [
        (request, _name_ids(tour, editing.reason_for(request, reasons)))
        for request, row in placed.items()
        if row is None
    ]
    return render_template(
        "coordinator/review.html",
        tour=tour,
        plans=speaker_plans(tour, placed, {c.request_id: c.kind for c in changes}),
        placed=[(r, row) for r, row in placed.items() if row is not None],
        unserved=unserved,
        summary=summary(tour, placed),
        changes=changes,
        clashes=clashing_assignments(tour),
        date_choices=date_choices,
        form=ActionForm(),
    )


def _request_of(tour: Tour, request_id: int) -> Request:
    request = db.get_or_404(Request, request_id)
    if request.tour_id != tour.id or request.state != RequestState.SUBMITTED:
        abort(404)
    return request


def _name_ids(tour: Tour, message: str) -> str:
    """The checker names format ids (sp-1, rq-7); coordinators know speakers and chapters."""
    names = {s.format_id: s.display_name for s in tour.speakers}
    names.update({r.format_id: r.chapter.name for r in tour.requests})
    alternatives = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], message)


def _back(tour: Tour, anchor: str = ""):
    return redirect(url_for("coordinator.review", slug=tour.slug) + anchor)


@bp.post("/tours/<slug>/review/requests/<int:request_id>/place")
@login_required
def place_event(slug: str, request_id: int):
    """Move a placed event to another offered date and/or speaker, or assign an unserved one."""
    tour = tour_or_404(slug)
    request = _request_of(tour, request_id)
    form = PlaceForm()
    form.day.choices = date_choices(request)
    form.speaker.choices = [(s.id, s.display_name) for s in tour.speakers]
    if not form.validate_on_submit():
        flash("Choose one of the offered dates and a speaker.", "error")
        return _back(tour, f"#event-{request.id}")
    speaker = db.session.get(Speaker, form.speaker.data)
    was_placed = proposal.placed_row(request) is not None
    try:
        editing.move(request, speaker, date.fromisoformat(form.day.data))
    except editing.EditRefused as refused:
        for violation in refused.violations:
            flash(
                f"Not changed: rule {violation.rule} — {_name_ids(tour, violation.message)}",
                "error",
            )
        return _back(tour, f"#event-{request.id}")
    verb = "Moved" if was_placed else "Assigned"
    flash(f"{verb}: {request.chapter.name} on {form.day.data} with {speaker.display_name}.")
    return _back(tour, f"#event-{request.id}")


@bp.post("/tours/<slug>/review/requests/<int:request_id>/unassign")
@login_required
def unassign_event(slug: str, request_id: int):
    tour = tour_or_404(slug)
    request = _request_of(tour, request_id)
    if ActionForm().validate_on_submit():
        editing.unassign(request)
        flash(f"Unassigned: {request.chapter.name}. Publishing will cancel a published event.")
    return _back(tour, "#unserved")


@bp.post("/tours/<slug>/review/requests/<int:request_id>/pin/<any(on, off):state>")
@login_required
def pin_event(slug: str, request_id: int, state: str):
    """A pinned event is kept as it is by the next solve."""
    tour = tour_or_404(slug)
    request = _request_of(tour, request_id)
    if ActionForm().validate_on_submit():
        if proposal.placed_row(request) is None:
            flash("Only a placed event can be pinned.", "error")
        else:
            editing.set_pinned(request, state == "on")
            flash(f"{'Pinned' if state == 'on' else 'Unpinned'}: {request.chapter.name}.")
    return _back(tour, f"#event-{request.id}")

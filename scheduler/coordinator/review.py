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
from scheduler.services import editing
from scheduler.services.clashes import clashing_assignments
from scheduler.services.itinerary import Itinerary, Stop, WeekDriving, by_speaker
from scheduler.services.route_map import RouteStop, render_route_svg
from scheduler.services.versions import diff, proposal_snapshot, published_snapshot


@dataclass
class TimelineEvent:
    stop: Stop
    change: str | None

    @property
    def request(self) -> Request:
        return self.stop.request

    @property
    def row(self) -> Assignment:
        return self.stop.assignment


@dataclass
class Day:
    date: date
    in_tour: bool
    unavailable: bool
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class Week:
    days: list[Day]
    driving: WeekDriving | None  # None: no event that week


@dataclass
class SpeakerPlan:
    itinerary: Itinerary
    events: list[TimelineEvent]
    weeks: list[Week]
    route_map: Markup

    @property
    def speaker(self) -> Speaker:
        return self.itinerary.speaker

    @property
    def km(self) -> float:
        return self.itinerary.km


def _weeks(tour: Tour, plan: Itinerary, events: list[TimelineEvent]) -> list[Week]:
    """Monday-to-Sunday rows covering the tour window; a day's events in time order."""
    speaker = plan.speaker
    driving = {week.monday: week for week in plan.weeks}
    unavailable = set(speaker.unavailable_dates)
    by_day: dict[date, list[TimelineEvent]] = {}
    for event in events:
        by_day.setdefault(event.row.date, []).append(event)
    day = tour.start - timedelta(days=tour.start.weekday())
    weeks = []
    while day <= tour.end:
        monday, days = day, []
        for _ in range(7):
            days.append(
                Day(day, tour.start <= day <= tour.end, day in unavailable, by_day.get(day, []))
            )
            day += timedelta(days=1)
        weeks.append(Week(days, driving.get(monday)))
    return weeks


def speaker_plans(tour: Tour, placed: dict, changes: dict[int, str]) -> list[SpeakerPlan]:
    """Each speaker's proposal: timeline, weekly driving and route map, from the itinerary."""
    rows = [row for row in placed.values() if row is not None]
    plans = []
    for plan in by_speaker(tour.speakers, rows):
        speaker = plan.speaker
        events = [TimelineEvent(stop, changes.get(stop.request.id)) for stop in plan.stops]
        stops = [RouteStop(e.request.chapter.name, e.request.lat, e.request.lon) for e in events]
        home = RouteStop(f"Home: {speaker.home_city or speaker.display_name}",
                         speaker.home_lat, speaker.home_lon)
        plans.append(
            SpeakerPlan(
                plan,
                events,
                _weeks(tour, plan, events),
                render_route_svg(stops, title=f"Route of {speaker.display_name}", home=home),
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
        for day, rank in request.dates_in_tour
    ]


@bp.get("/tours/<slug>/review")
@login_required
def review(slug: str):
    tour = tour_or_404(slug)
    placed = editing.proposal(tour)
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
    was_placed = editing.placed_row(request) is not None
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
        if editing.placed_row(request) is None:
            flash("Only a placed event can be pinned.", "error")
        else:
            editing.set_pinned(request, state == "on")
            flash(f"{'Pinned' if state == 'on' else 'Unpinned'}: {request.chapter.name}.")
    return _back(tour, f"#event-{request.id}")

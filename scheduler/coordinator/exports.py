"""Exports of a tour's schedule: CSV for spreadsheets, the tour format's solution JSON, and a
printable itinerary per speaker. Each can show the draft proposal or the published schedule."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from flask import Response, abort, render_template, request
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.tours import tour_or_404
from scheduler.models import Request, Tour
from scheduler.services import editing
from scheduler.services.versions import proposal_snapshot, published_snapshot
from scheduler.solver.checker import haversine_km
from scheduler.text import spreadsheet_safe

SCHEDULES = {"proposal": proposal_snapshot, "published": published_snapshot}
CSV_COLUMNS = (
    "date",
    "start_time",
    "timezone",
    "speaker",
    "chapter",
    "venue",
    "city",
    "request",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).


def _schedule(tour: Tour) -> tuple[str, list[dict]]:
    which = request.args.get("schedule", "proposal")
    if which not in SCHEDULES:
        abort(404)
    return which, SCHEDULES[which](tour)


@bp.get("/tours/<slug>/exports")
@login_required
def exports(slug: str):
    tour = tour_or_404(slug)
    return render_template("coordinator/exports.html", tour=tour)


@bp.get("/tours/<slug>/exports/schedule.csv")
@login_required
def export_schedule_csv(slug: str):
    tour = tour_or_404(slug)
    which, entries = _schedule(tour)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([spreadsheet_safe(entry[column]) for column in CSV_COLUMNS])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{tour.slug}-{which}.csv"'},
    )


@bp.get("/tours/<slug>/exports/solution.json")
@login_required
def export_solution_json(slug: str):
    """The current proposal as a speaker-tour-solution/1 document, checkable with the instance."""
    tour = tour_or_404(slug)
    placements = editing.current_placements(tour)
    instance = editing.proposal_instance(tour, placements)
    solution = editing.solution_dict(tour, instance, placements)
    return Response(
        json.dumps(solution, indent=2, ensure_ascii=False) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{tour.slug}-solution.json"'},
    )


@bp.get("/tours/<slug>/itinerary")
@login_required
def itinerary(slug: str):
    """One printable page per speaker: where to be, when, with whom to speak, how far."""
    tour = tour_or_404(slug)
    which, entries = _schedule(tour)
    requests = {r.id: r for r in tour.requests}
    only = request.args.get("speaker", type=int)
    speakers = []
    for speaker in tour.speakers:
        if only is not None and speaker.id != only:
            continue
        own = [e for e in entries if e["speaker_id"] == speaker.id]
        stops, previous = [], None
        for entry in own:
            req: Request = requests[entry["request_id"]]
            km = (
                None
                if previous is None
                else haversine_km(previous.lat, previous.lon, req.lat, req.lon)
            )
            stops.append((entry, req, km))
            previous = req
        speakers.append((speaker, stops))
    return render_template(
        "coordinator/itinerary.html",
        tour=tour,
        which=which,
        speakers=speakers,
        day_label=day_label,
    )


def day_label(iso: str) -> str:
    """ "Tue 2 Mar 2027": a weekday helps a traveller more than an ISO date."""
    day = date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"

"""Exports of a tour's schedule: CSV for spreadsheets, the tour format's solution JSON, and a
printable itinerary per speaker. Each can show the draft proposal or the published schedule."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, abort, render_template, request
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.tours import tour_or_404
from scheduler.models import Assignment, AssignmentState, Request, Tour
from scheduler.services import editing
from scheduler.services.itinerary import by_speaker
from scheduler.services.versions import proposal_snapshot, published_snapshot
from scheduler.text import spreadsheet_safe

SCHEDULES = {"proposal": proposal_snapshot, "published": published_snapshot}
# The row that places each request in that schedule (the snapshots' own choice).
SCHEDULE_ROWS = {
    "proposal": editing.placed_row,
    "published": lambda request: request.assignment_in(AssignmentState.CONFIRMED),
}
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
    """One printable page per speaker: where to be, when, with whom to speak, how far, from
    home to the first talk and back home after the last."""
    tour = tour_or_404(slug)
    which, entries = _schedule(tour)
    requests: dict[int, Request] = {r.id: r for r in tour.requests}
    rows: list[Assignment] = [SCHEDULE_ROWS[which](requests[e["request_id"]]) for e in entries]
    only = request.args.get("speaker", type=int)
    speakers = [s for s in tour.speakers if only is None or s.id == only]
    return render_template(
        "coordinator/itinerary.html",
        tour=tour,
        which=which,
        itineraries=by_speaker(speakers, rows),
    )

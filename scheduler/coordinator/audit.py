"""Coordinators read the audit log of a tour."""

from flask import render_template, request
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.tours import tour_or_404
from scheduler.services import audit_log as log


@bp.get("/tours/<slug>/audit")
@login_required
def audit_log(slug: str):
    tour = tour_or_404(slug)
    page, lines = log.lines(tour, request.args.get("page", 1, type=int))
    return render_template("coordinator/audit.html", tour=tour, page=page, lines=lines)

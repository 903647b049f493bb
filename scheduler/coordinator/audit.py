"""Coordinators read the audit log of a tour."""

from flask import render_template, request
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import AuditEntry

PAGE_SIZE = 100


@bp.get("/tours/<slug>/audit")
@login_required
def audit_log(slug: str):
    tour = tour_or_404(slug)
    page = db.paginate(
        db.select(AuditEntry).filter_by(tour_id=tour.id).order_by(AuditEntry.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("coordinator/audit.html", tour=tour, page=page)

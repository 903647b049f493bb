"""Publishing the proposal, and the history of published versions with their differences."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.services import versions as history
from scheduler.services.publishing import publish as publish_tour


@bp.post("/tours/<slug>/publish")
@login_required
def publish(slug: str):
    tour = tour_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    latest = history.versions(tour)
    if latest and not history.diff(
        history.published_snapshot(tour), history.proposal_snapshot(tour)
    ):
        flash(f"Nothing to publish: the proposal is version {latest[0].number} as published.")
        return redirect(url_for("coordinator.review", slug=tour.slug))
    version = publish_tour(tour, current_user.email)
    changes = history.changes_between(history.version(tour, version.number - 1), version)
    flash(
        f"Published version {version.number}: {len(changes)} change"
        f"{'' if len(changes) == 1 else 's'}; the chapters concerned were emailed."
    )
    return redirect(url_for("coordinator.versions", slug=tour.slug))


@bp.get("/tours/<slug>/versions")
@login_required
def versions(slug: str):
    """Every version, newest first; ``?old=N&new=M`` compares any two (default: the last two)."""
    tour = tour_or_404(slug)
    listed = history.versions(tour)
    new_number = request.args.get("new", type=int) or (listed[0].number if listed else None)
    old_number = request.args.get("old", type=int)
    if old_number is None and new_number:
        old_number = new_number - 1
    new = history.version(tour, new_number) if new_number else None
    old = history.version(tour, old_number) if old_number else None
    if new_number and new is None:
        abort(404)
    return render_template(
        "coordinator/versions.html",
        tour=tour,
        versions=listed,
        old=old,
        new=new,
        changes=history.changes_between(old, new) if new else [],
        counts={
            v.number: len(history.changes_between(history.version(tour, v.number - 1), v))
            for v in listed
        },
    )

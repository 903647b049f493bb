"""Publishing the proposal (a preview, then a confirmation), and the history of published
versions with their differences."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import PublishForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.services import publishing
from scheduler.services import versions as history
from scheduler.services.review import preload


@bp.get("/tours/<slug>/publish")
@login_required
def publish_preview(slug: str):
    """What publishing would change and who would be emailed; the button only when it changes
    something."""
    tour = tour_or_404(slug)
    g.preview_rows = preload(tour)
    preview = publishing.preview(tour)
    form = PublishForm(fingerprint=preview.fingerprint)
    return render_template(
        "coordinator/publish_preview.html", tour=tour, preview=preview, form=form
    )


@bp.post("/tours/<slug>/publish")
@login_required
def publish(slug: str):
    tour = tour_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    if publishing.preview(tour).nothing_to_publish:
        flash("Nothing to publish: the proposal is the published schedule.")
        return redirect(url_for("coordinator.publish_preview", slug=tour.slug))
    try:
        version = publishing.publish(tour, current_user.email, form.fingerprint.data)
    except publishing.PreviewOutdated:
        flash(
            "Not published: the proposal changed after you opened this preview. "
            "Read the changes below again, then publish.",
            "error",
        )
        return redirect(url_for("coordinator.publish_preview", slug=tour.slug))
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

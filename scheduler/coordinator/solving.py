"""The Solve page: start a background solve, watch its progress, cancel it, see how it ended.

The page works without JavaScript (it refreshes itself while a run is active); with JavaScript,
static/js/solve-progress.js polls ``solve_status`` and updates the figures in place.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from scheduler.coordinator import bp
from scheduler.coordinator.forms import CancelForm, SolveForm
from scheduler.coordinator.tours import section_url, tour_or_404
from scheduler.extensions import db
from scheduler.models import SolveRun, SolveState, Tour
from scheduler.solving import runs as solve_runs
from scheduler.solving.executors import launch
from scheduler.solving.summary import progress_status, summarize

HISTORY = 10
POLL_MS = 1000


def run_or_404(tour: Tour, run_id: int) -> SolveRun:
    return db.first_or_404(select(SolveRun).filter_by(id=run_id, tour_id=tour.id))


def _page(tour: Tour, form: SolveForm, status: int = 200):
    solve_runs.mark_stale_failed()
    runs = db.session.scalars(
        select(SolveRun)
        .where(SolveRun.tour_id == tour.id)
        .order_by(SolveRun.id.desc())
        .limit(HISTORY)
    ).all()
    current = solve_runs.active_run(tour)
    finished = [run for run in runs if run.state not in SolveState.ACTIVE]
    return (
        render_template(
            "coordinator/solve.html",
            tour=tour,
            form=form,
            cancel_form=CancelForm(),
            current=current,
            last=finished[0] if finished else None,
            runs=finished,
            summary=summarize,
            review_url=section_url("coordinator.review", tour),
            poll_ms=POLL_MS,
        ),
        status,
    )


@bp.route("/tours/<slug>/solve", methods=["GET", "POST"])
@login_required
def solve(slug: str):
    tour = tour_or_404(slug)
    form = SolveForm(data={"time_limit": current_app.config.get("SOLVE_TIME_LIMIT", 30)})
    if not form.validate_on_submit():
        return _page(tour, form)
    try:
        run = launch(tour, form.time_limit.data, current_user.email)
    except (solve_runs.SolveAlreadyRunning, solve_runs.QueueUnavailable) as refused:
        flash(str(refused), "warning")
        return redirect(url_for("coordinator.solve", slug=tour.slug))
    flash(f"Solving started (run #{run.id}). You can leave this page: the run goes on.")
    return redirect(url_for("coordinator.solve", slug=tour.slug))


@bp.get("/tours/<slug>/solve/runs/<int:run_id>.json")
@login_required
def solve_status(slug: str, run_id: int):
    run = run_or_404(tour_or_404(slug), run_id)
    response = jsonify(progress_status(run))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tours/<slug>/solve/runs/<int:run_id>/cancel")
@login_required
def solve_cancel(slug: str, run_id: int):
    tour = tour_or_404(slug)
    run = run_or_404(tour, run_id)
    if not CancelForm().validate_on_submit():
        abort(400)
    state = solve_runs.cancel(run)
    if state == SolveState.RUNNING:
        flash(f"Stopping run #{run.id}: nothing it found will be kept.")
    elif state == SolveState.CANCELLED:
        flash(f"Run #{run.id} cancelled. Nothing was changed.")
    else:
        flash(f"Run #{run.id} had already ended ({state}).", "warning")
    return redirect(url_for("coordinator.solve", slug=tour.slug))

"""Setting up a tour: create and edit it, and its overview page (the hub of its sections)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scheduler.coordinator import bp
from scheduler.coordinator.forms import (
    TourForm,
)
from scheduler.extensions import db
from scheduler.models import (
    Request,
    RequestState,
    ScheduleVersion,
    Speaker,
    Tour,
)
from scheduler.solving.runs import active_run, latest_run


def section_url(endpoint: str, tour: Tour) -> str | None:
    """A link to another feature's page of the tour, when that feature is installed."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, slug=tour.slug)
    return None


def tour_or_404(slug: str) -> Tour:
    return db.first_or_404(select(Tour).filter_by(slug=slug))


def _save(form: TourForm, tour: Tour) -> bool:
    """Write the form to ``tour``; False (with the reason on the slug field) if it clashes."""
    db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale read snapshot
    form.apply_to(tour)
    db.session.add(tour)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors.append("Another tour took this short name a moment ago; pick another.")
        return False
    return True


@bp.route("/tours/new", methods=["GET", "POST"])
@login_required
def tour_new():
    form = TourForm()
    if form.validate_on_submit() and _save(form, tour := Tour()):
        flash(f"Tour “{tour.name}” created. Next, add its speakers.")
        return redirect(url_for("coordinator.tour_detail", slug=tour.slug))
    return render_template("coordinator/tour_form.html", form=form, tour=None)


@bp.route("/tours/<slug>/edit", methods=["GET", "POST"])
@login_required
def tour_edit(slug: str):
    tour = tour_or_404(slug)
    form = TourForm(obj=tour, tour=tour)
    if not form.is_submitted():
        form.show_zone(tour.timezone)
    elif form.validate() and _save(form, tour):
        flash("Tour saved.")
        return redirect(url_for("coordinator.tour_detail", slug=tour.slug))
    return render_template("coordinator/tour_form.html", form=form, tour=tour)


def request_counts(tour: Tour) -> dict[str, int]:
    counts = dict(
        db.session.execute(
            select(Request.state, func.count(Request.id))
            .where(Request.tour_id == tour.id)
            .group_by(Request.state)
        ).all()
    )
    return {state: counts.get(state, 0) for state in RequestState.ALL}


@bp.get("/tours/<slug>")
@login_required
def tour_detail(slug: str):
    tour = tour_or_404(slug)
    speakers = db.session.scalar(select(func.count(Speaker.id)).where(Speaker.tour_id == tour.id))
    version = db.session.execute(
        select(ScheduleVersion)
        .where(ScheduleVersion.tour_id == tour.id)
        .order_by(ScheduleVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    return render_template(
        "coordinator/tour_detail.html",
        tour=tour,
        requests=request_counts(tour),
        speaker_count=speakers,
        run=active_run(tour) or latest_run(tour),
        version=version,
        requests_url=section_url("coordinator.requests", tour),
        review_url=section_url("coordinator.review", tour),
    )

"""A tour's speakers: list, add, edit. Home, full name and contact are private to coordinators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from scheduler import gazetteer
from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm, SpeakerForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Speaker, Tour
from scheduler.services import consent, speaker_links


def unavailable_text(speaker: Speaker) -> str:
    return "\n".join(
        f"{entry.date.isoformat()} {entry.note}".strip() for entry in speaker.unavailability
    )


def _told_message(chapters: int) -> str:
    if not chapters:
        return ""
    return f" The new consent rules were emailed to {chapters} chapter(s) with an event ahead."


def speaker_or_404(tour: Tour, speaker_id: int) -> Speaker:
    return db.first_or_404(select(Speaker).filter_by(id=speaker_id, tour_id=tour.id))


@bp.get("/tours/<slug>/speakers")
@login_required
def speakers(slug: str):
    tour = tour_or_404(slug)
    counts: dict[int, dict[str, int]] = {}
    for speaker_id, state in db.session.execute(
        select(Assignment.speaker_id, Assignment.state).where(
            Assignment.speaker_id.in_([s.id for s in tour.speakers]),
            Assignment.state.in_((AssignmentState.CONFIRMED, AssignmentState.PROPOSED)),
        )
    ):
        per = counts.setdefault(speaker_id, {})
        per[state] = per.get(state, 0) + 1
    return render_template(
        "coordinator/speaker_list.html",
        tour=tour,
        counts=counts,
        page_url=speaker_links.page_url,
        form=ActionForm(),
    )


@bp.post("/tours/<slug>/speakers/<int:speaker_id>/send-link")
@login_required
def speaker_send_link(slug: str, speaker_id: int):
    """Email a speaker the address of their own page."""
    tour = tour_or_404(slug)
    speaker = speaker_or_404(tour, speaker_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if speaker_links.email_page_link(speaker):
        flash(f"Sent {speaker.display_name} the link to their page, at {speaker.contact_email}.")
    else:
        flash(
            f"{speaker.display_name} has no email address: add one, or copy the link and give "
            "it to them yourself.",
            "error",
        )
    return redirect(url_for("coordinator.speakers", slug=tour.slug) + f"#speaker-{speaker.id}")


@bp.route("/tours/<slug>/speakers/new", methods=["GET", "POST"])
@login_required
def speaker_new(slug: str):
    tour = tour_or_404(slug)
    form = SpeakerForm()
    if form.validate_on_submit():
        db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale snapshot
        speaker = Speaker(tour=tour)
        form.apply_to(speaker)
        db.session.add(speaker)
        db.session.commit()
        flash(f"Speaker {speaker.display_name} added.")
        return redirect(url_for("coordinator.speakers", slug=tour.slug))
    return render_template("coordinator/speaker_form.html", form=form, tour=tour, speaker=None)


@bp.route("/tours/<slug>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@login_required
def speaker_edit(slug: str, speaker_id: int):
    tour = tour_or_404(slug)
    speaker = speaker_or_404(tour, speaker_id)
    form = SpeakerForm(obj=speaker)
    if not form.is_submitted():
        form.unavailable.data = unavailable_text(speaker)
        city = gazetteer.lookup(speaker.home_city)
        if city is not None and (city.lat, city.lon) == (speaker.home_lat, speaker.home_lon):
            form.home_lat.data = form.home_lon.data = None  # the city gives them
    elif form.validate():
        db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale snapshot
        told_before = consent.consent_of(speaker)
        form.apply_to(speaker)
        db.session.commit()
        told = consent.tell_chapters_of_change(speaker, told_before)
        flash(f"Speaker {speaker.display_name} saved." + _told_message(told))
        return redirect(url_for("coordinator.speakers", slug=tour.slug))
    return render_template("coordinator/speaker_form.html", form=form, tour=tour, speaker=speaker)

"""Feed links of a tour for coordinators, and rotating a speaker's secret feed token.

Rotating is the answer to a leaked link: the speaker's old feed URL (and speaker page) stops
working at the very next request, and the coordinator sends the speaker the new one.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import RotateTokenForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import AuditEntry, Speaker, new_token


@bp.get("/tours/<slug>/feeds")
@login_required
def tour_feeds(slug: str):
    tour = tour_or_404(slug)
    return render_template("feeds/tour_feeds.html", tour=tour, form=RotateTokenForm())


@bp.post("/tours/<slug>/speakers/<int:speaker_id>/rotate-feed-token")
@login_required
def rotate_speaker_feed_token(slug: str, speaker_id: int):
    tour = tour_or_404(slug)
    speaker = db.one_or_404(db.select(Speaker).filter_by(id=speaker_id, tour_id=tour.id))
    if RotateTokenForm().validate_on_submit():
        speaker.feed_token = new_token()
        db.session.add(
            AuditEntry(
                actor=current_user.email,
                action="rotated feed token",
                entity="speaker",
                entity_id=speaker.id,
                tour_id=tour.id,
            )
        )
        db.session.commit()
        flash(
            f"New feed link for {speaker.display_name}. The old link no longer works: "
            "send the speaker the new one.",
            "success",
        )
    else:
        flash("The form expired. Please try again.", "error")
    return redirect(url_for("coordinator.tour_feeds", slug=tour.slug))

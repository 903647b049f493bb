"""The coordinators' view of a tour's confirmed events after the date is set: each event's
advance (complete, or what is missing), its report, the reminders sent, and the report form a
coordinator uses to enter or correct what a chapter filed."""

from __future__ import annotations

import smtplib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm, ReminderDaysForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import Request
from scheduler.public.event_forms import ReportForm
from scheduler.services import advance, event_reports, reminders


def _overview(tour, days_form: ReminderDaysForm, status: int = 200):
    show = request.args.get("show", "all")
    if show not in advance.ADVANCE_FILTERS:
        show = "all"
    return render_template(
        "coordinator/advance.html",
        tour=tour,
        rows=advance.overview(tour, show),
        show=show,
        filters=advance.ADVANCE_FILTERS,
        sent=reminders.already_sent(tour),
        days_form=days_form,
        remind_form=ActionForm(),
        outcomes=event_reports.OUTCOMES,
        dollars=event_reports.dollars,
    ), status


@bp.get("/tours/<slug>/advance")
@login_required
def advance_overview(slug: str):
    tour = tour_or_404(slug)
    return _overview(tour, ReminderDaysForm(formdata=None, days=tour.advance_reminder_days))


@bp.post("/tours/<slug>/advance/reminder-days")
@login_required
def advance_reminder_days(slug: str):
    tour = tour_or_404(slug)
    form = ReminderDaysForm()
    if not form.validate():
        return _overview(tour, form, status=400)
    tour.advance_reminder_days = ", ".join(str(day) for day in reminders.parse_days(form.days.data))
    db.session.commit()
    flash(f"Chapters with an unfinished advance are reminded {tour.advance_reminder_days} days "
          "before their event.", "success")
    return redirect(url_for("coordinator.advance_overview", slug=slug), 303)


@bp.post("/tours/<slug>/advance/remind")
@login_required
def send_reminders(slug: str):
    tour = tour_or_404(slug)
    if not ActionForm().validate():
        abort(400)
    try:
        sent = reminders.send_due([tour])
    except (OSError, smtplib.SMTPException):
        flash("The mail server did not take the reminders; nothing is marked as sent. "
              "Try again later.", "error")
        return redirect(url_for("coordinator.advance_overview", slug=slug), 303)
    flash(f"{sent} reminder(s) sent." if sent else "No reminder was due: each one due is sent "
          "once, and every chapter has had its own.", "success")
    return redirect(url_for("coordinator.advance_overview", slug=slug), 303)


@bp.route("/tours/<slug>/events/<int:request_id>/report", methods=["GET", "POST"])
@login_required
def event_report_edit(slug: str, request_id: int):
    """A coordinator enters a report for a chapter or corrects one, at any time."""
    tour = tour_or_404(slug)
    chapter_request = db.get_or_404(Request, request_id)
    if chapter_request.tour_id != tour.id:
        abort(404)
    event = advance.confirmed_event(chapter_request)
    if event is None:
        abort(404)
    form = ReportForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            event_reports.save(chapter_request, form.values())
            flash(f"The report of {chapter_request.chapter.name} is saved.", "success")
            return redirect(url_for("coordinator.advance_overview", slug=slug), 303)
        status = 400
    else:
        form.fill(event_reports.values_of(event_reports.report_of(chapter_request)))
    return render_template(
        "coordinator/event_report.html", tour=tour, form=form, chapter_request=chapter_request,
        event=event, advance_row=advance.advance_of(chapter_request),
    ), status

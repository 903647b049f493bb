"""The chapter's pages for its confirmed event: the advance before it and the report after.

Reached only through the request's private token, like the other /r/<token> pages: a chapter
sees and changes its own event's advance and report, nothing of another chapter's.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from scheduler.public import bp
from scheduler.public.event_forms import AdvanceForm, ReportForm
from scheduler.public.routes import _request_by_token
from scheduler.services import advance as advance_service
from scheduler.services import event_reports


def _event(token: str):
    chapter_request = _request_by_token(token)
    event = advance_service.confirmed_event(chapter_request)
    if event is None:
        abort(404)
    return chapter_request, event


@bp.route("/r/<token>/advance", methods=["GET", "POST"])
def event_advance(token: str):
    chapter_request, event = _event(token)
    form = AdvanceForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate():
            saved = advance_service.save(chapter_request, form.values())
            gaps = advance_service.missing(saved)
            flash("Your advance is saved and complete. Thank you." if not gaps
                  else "Your draft is saved. Still to fill: " + ", ".join(gaps) + ".",
                  "success")
            return redirect(url_for("public.event_advance", token=token), 303)
        status = 400
    else:
        form.fill(advance_service.values_of(advance_service.advance_of(chapter_request)))
        status = 200
    return render_template(
        "public/advance.html", form=form, chapter_request=chapter_request, confirmed=event,
        missing=advance_service.missing(advance_service.advance_of(chapter_request)),
        required=advance_service.REQUIRED,
    ), status


@bp.route("/r/<token>/report", methods=["GET", "POST"])
def event_report(token: str):
    chapter_request, event = _event(token)
    if not event_reports.chapter_may_report(event):
        # The page says from which day the report opens; a POST before then saves nothing.
        return render_template(
            "public/report.html", chapter_request=chapter_request, confirmed=event, form=None
        ), 400 if request.method == "POST" else 200
    form = ReportForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate():
            event_reports.save(chapter_request, form.values())
            flash("Your report is saved. Thank you.", "success")
            return redirect(url_for("public.event_report", token=token), 303)
        status = 400
    else:
        form.fill(event_reports.values_of(event_reports.report_of(chapter_request)))
        status = 200
    return render_template(
        "public/report.html", form=form, chapter_request=chapter_request, confirmed=event,
        report=event_reports.report_of(chapter_request),
    ), status

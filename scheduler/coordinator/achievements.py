"""What a tour achieved: totals, by state, by week and per speaker, with charts drawn on the
server beside their tables, a CSV export, and the setting for what one rescue costs."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, redirect, render_template, url_for
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import RescueCostForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import EventOutcome
from scheduler.services import achievements, charts, event_reports, wording
from scheduler.text import spreadsheet_safe


def _usd(cents: float) -> str:
    return f"${cents / 100:,.2f}"


def _page(tour, form: RescueCostForm, status: int = 200):
    results = achievements.tour_results(tour)
    return render_template(
        "coordinator/achievements.html",
        tour=tour,
        results=results,
        form=form,
        usd=_usd,
        chapters=_chapters_of(tour),
        attendance_chart=charts.bar_chart(
            f"Attendance by week (weeks from Monday), {tour.name}",
            [(wording.day(monday), tally.attendance)
             for monday, tally in results.by_week],
            lambda value: f"{value:,.0f} people",
        ),
        event_map=charts.attendance_map(
            f"Events held, sized by attendance, {tour.name}",
            [(f"{event.request.chapter.name}, {event.request.city}", event.request.lat,
              event.request.lon, report.attendance)
             for event, report in results.reports if report.outcome == EventOutcome.HELD],
        ),
        funds_chart=charts.bar_chart(
            f"Funds raised by state, {tour.name}",
            [(state, tally.funds_cents) for state, tally in results.by_state],
            _usd,
        ),
    ), status


def _chapters_of(tour) -> list[achievements.ChapterHistory]:
    """The history across tours of each chapter that asked this tour for a speaker."""
    histories = achievements.chapter_histories()
    found = {}
    for request in tour.requests:
        key = achievements.chapter_key(request.chapter.name)
        found[key] = histories.get(key) or achievements.ChapterHistory(request.chapter.name)
    return sorted(found.values(), key=lambda history: history.name.casefold())


@bp.get("/tours/<slug>/results")
@login_required
def tour_results(slug: str):
    tour = tour_or_404(slug)
    return _page(tour, RescueCostForm(formdata=None, cost=tour.cost_per_rescue_usd))


@bp.post("/tours/<slug>/results/rescue-cost")
@login_required
def rescue_cost(slug: str):
    tour = tour_or_404(slug)
    form = RescueCostForm()
    if not form.validate():
        return _page(tour, form, status=400)
    tour.cost_per_rescue_usd = form.cost.data
    db.session.commit()
    flash(f"One rescue now counts as ${tour.cost_per_rescue_usd:,}.", "success")
    return redirect(url_for("coordinator.tour_results", slug=slug), 303)


@bp.get("/tours/<slug>/results.csv")
@login_required
def tour_results_csv(slug: str):
    """One row per reported event, then the totals: what a treasurer pastes in a sheet."""
    tour = tour_or_404(slug)
    results = achievements.tour_results(tour)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "chapter", "venue", "city", "state", "speaker", "outcome",
                     "attendance", "funds_usd", "signups", "note"])
    for event, report in results.reports:
        request = event.request
        writer.writerow(spreadsheet_safe(cell) for cell in (
            event.date.isoformat(), request.chapter.name, request.venue_name, request.city,
            achievements.state_of(request), event.speaker.display_name,
            event_reports.OUTCOMES[report.outcome], report.attendance,
            f"{event_reports.dollars(report.funds_cents)}", report.signups, report.note,
        ))
    total = results.total
    writer.writerow(spreadsheet_safe(cell) for cell in (
        "total", f"{total.held} held of {total.reported} reported", "", "", "", "", "",
        total.attendance, f"{event_reports.dollars(total.funds_cents)}", total.signups,
        f"{results.rescues} rescues at ${tour.cost_per_rescue_usd:,} each",
    ))
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{tour.slug}-results.csv"'},
    )

"""The tour's calendar: a month or a week of the draft or the published schedule, a colour per
speaker (read model: ``scheduler.services.calendar_grid``)."""

from __future__ import annotations

from flask import g, render_template, url_for
from flask import request as http
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.coordinator.tours import tour_or_404
from scheduler.services import calendar_grid
from scheduler.services import review as review_read


@bp.get("/tours/<slug>/calendar")
@login_required
def tour_calendar(slug: str):
    tour = tour_or_404(slug)
    g.calendar_rows = review_read.preload(tour)
    choice = calendar_grid.Choice.from_args(tour, http.args)
    shown = calendar_grid.grid(tour, choice)

    def link(**changes) -> str:
        """This page with the same schedule, view, start and speaker except ``changes``."""
        args = {
            "schedule": shown.schedule,
            "view": shown.view,
            "start": shown.start.isoformat(),
            "speaker": shown.speaker,
        }
        args.update(changes)
        return url_for(
            "coordinator.tour_calendar",
            slug=tour.slug,
            **{key: value for key, value in args.items() if value is not None},
        )

    return render_template(
        "coordinator/calendar.html",
        tour=tour,
        grid=shown,
        problems=choice.problems,
        link=link,
        schedules=calendar_grid.SCHEDULES,
        views=calendar_grid.VIEWS,
    )

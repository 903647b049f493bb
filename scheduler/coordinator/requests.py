"""A coordinator's list of a tour's requests: sort, filter by state, set priorities, export CSV.

Sorting and filtering are plain GET parameters and each priority is a small POST form per row,
so the page works without JavaScript and every view of it has a shareable address.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.orm import contains_eager, selectinload

from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import Chapter, Request, RequestChoice, RequestState, Tour
from scheduler.services import achievements, priorities, wording
from scheduler.services.review import page_of
from scheduler.text import spreadsheet_safe

SORT_COLUMNS = {
    "created": Request.created_at,
    "chapter": db.func.lower(Chapter.name),
    "city": db.func.lower(Request.city),
    "priority": Request.priority,
    "state": Request.state,
}
STATE_FILTERS = ("all", *RequestState.ALL)
REQUESTS_PER_PAGE = 100


@dataclass(frozen=True)
class ListView:
    """The list's sort and filter as read from the query string (unknown values fall back)."""

    sort: str
    direction: str
    state: str
    search: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ListView:
        sort = args.get("sort", "created")
        direction = args.get("dir", "desc" if sort in ("created", "priority") else "asc")
        state = args.get("state", "all")
        return cls(
            sort=sort if sort in SORT_COLUMNS else "created",
            direction=direction if direction in ("asc", "desc") else "asc",
            state=state if state in STATE_FILTERS else "all",
            search=args.get("q", "").strip()[:100],
            page=max(args.get("page", 1, type=int), 1),
        )

    def args(self, **changes) -> dict:
        values = {"sort": self.sort, "dir": self.direction, "state": self.state}
        if self.search:
            values["q"] = self.search
        if self.page > 1:
            values["page"] = self.page
        return {**values, **changes}

    def header_args(self, column: str) -> dict:
        """Clicking the sorted column flips its direction; another column starts ascending."""
        if column == self.sort:
            return self.args(dir="desc" if self.direction == "asc" else "asc", page=1)
        return self.args(sort=column, dir="asc", page=1)

    def aria_sort(self, column: str) -> str | None:
        if column != self.sort:
            return None
        return "ascending" if self.direction == "asc" else "descending"


def tour_requests(tour: Tour, view: ListView) -> list[Request]:
    column = SORT_COLUMNS[view.sort]
    order = column.asc() if view.direction == "asc" else column.desc()
    tiebreak = Request.id.asc() if view.direction == "asc" else Request.id.desc()
    query = (
        db.select(Request)
        .join(Request.chapter)
        .filter(Request.tour_id == tour.id)
        .options(
            contains_eager(Request.chapter),
            selectinload(Request.choices),
            selectinload(Request.preferred_speakers),
        )
        .order_by(order, tiebreak)
    )
    if view.state != "all":
        query = query.filter(Request.state == view.state)
    if view.search:
        needle = f"%{view.search.lower()}%"
        query = query.filter(
            db.or_(
                db.func.lower(Chapter.name).like(needle),
                db.func.lower(Chapter.school).like(needle),
                db.func.lower(Request.city).like(needle),
                db.func.lower(Request.venue_name).like(needle),
            )
        )
    return list(db.session.execute(query).scalars())


def describe_choice(choice: RequestChoice) -> str:
    """ "Wed, Mar 10" for one date; "Mar 8 – 14, Tue–Thu" or "Mar 8 – 14, Mon/Wed" for a range."""
    first, last = choice.first_date, choice.last_date
    if first == last:
        return wording.short_day(first)
    days = sorted(int(day) for day in choice.weekdays)
    if days == list(range(1, 8)):
        return f"{wording.span(first, last)}, any day"
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        names = f"{wording.weekday_name(days[0])}–{wording.weekday_name(days[-1])}"
    else:
        names = "/".join(wording.weekday_name(day) for day in days)
    return f"{wording.span(first, last)}, {names}"


def choices_summary(req: Request) -> str:
    return "; ".join(f"{c.rank}. {describe_choice(c)}" for c in req.choices)


def back_link(tour: Tour) -> tuple[str, str]:
    """The tour's own page when that feature is installed, else the dashboard."""
    if "coordinator.tour_detail" in current_app.view_functions:
        return url_for("coordinator.tour_detail", slug=tour.slug), tour.name
    return url_for("coordinator.dashboard"), "All tours"


def render_list(tour: Tour, view: ListView, *, errors: dict | None = None, status: int = 200):
    listed = page_of(tour_requests(tour, view), view.page, REQUESTS_PER_PAGE)
    return (
        render_template(
            "coordinator/requests.html",
            tour=tour,
            view=view,
            requests=listed.items,
            paged=listed,
            page_url=lambda arg, number: url_for(
                "coordinator.requests", slug=tour.slug, **view.args(**{arg: number})
            ),
            states=STATE_FILTERS,
            describe=describe_choice,
            back=back_link(tour),
            errors=errors or {},
            histories=achievements.chapter_histories(before=tour.start),
            history_key=achievements.chapter_key,
        ),
        status,
    )


@bp.get("/tours/<slug>/requests")
@login_required
def requests(slug: str):
    tour = tour_or_404(slug)
    return render_list(tour, ListView.from_args(request.args))


@bp.post("/tours/<slug>/requests/priorities")
@login_required
def request_priorities(slug: str):
    """One Save for every priority on the page; with one wrong value nothing is saved."""
    tour = tour_or_404(slug)
    view = ListView.from_args(request.args)
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return render_list(tour, view, status=400)
    wanted, errors = priorities.read_priorities(tour, request.form)
    if errors:
        names = ", ".join(r.chapter.name for r in tour.requests if r.id in errors)
        flash(f"Nothing saved: {priorities.INVALID} Check {names}.", "error")
        return render_list(tour, view, errors=errors, status=400)
    changed = priorities.save_priorities(wanted)
    if changed:
        flash(
            f"Saved {len(changed)} priorit{'y' if len(changed) == 1 else 'ies'}: "
            + ", ".join(f"{r.chapter.name} {r.priority}" for r in changed)
            + "."
        )
    else:
        flash("No priority changed.")
    return redirect(url_for("coordinator.requests", slug=tour.slug, **view.args()))


# ---------------------------------------------------------------------------------------------
# CSV


CSV_COLUMNS = [
    ("id", lambda r: r.format_id),
    ("chapter", lambda r: r.chapter.name),
    ("school", lambda r: r.chapter.school),
    ("contact_name", lambda r: r.chapter.contact_name),
    ("contact_email", lambda r: r.chapter.contact_email),
    ("contact_phone", lambda r: r.chapter.contact_phone),
    ("venue", lambda r: r.venue_name),
    ("address", lambda r: r.venue_address),
    ("city", lambda r: r.city),
    ("lat", lambda r: r.lat),
    ("lon", lambda r: r.lon),
    ("timezone", lambda r: r.timezone),
    ("choices", choices_summary),
    ("start_time", lambda r: r.start_time.strftime("%H:%M")),
    ("duration_minutes", lambda r: r.duration_minutes),
    ("expected_audience", lambda r: r.expected_audience),
    ("language", lambda r: r.language),
    ("preferred_speakers", lambda r: "; ".join(s.display_name for s in r.preferred_speakers)),
    ("priority", lambda r: r.priority),
    ("state", lambda r: r.state),
    ("notes", lambda r: r.notes),
    ("created_utc", lambda r: r.created_at.strftime("%Y-%m-%d %H:%M")),
]


def requests_csv_text(rows: list[Request]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for row in rows:
        writer.writerow([spreadsheet_safe(read(row)) for _, read in CSV_COLUMNS])
    return buffer.getvalue()


@bp.get("/tours/<slug>/requests.csv")
@login_required
def requests_csv(slug: str):
    tour = tour_or_404(slug)
    view = ListView.from_args(request.args)
    body = requests_csv_text(tour_requests(tour, view)).encode("utf-8-sig")
    suffix = "" if view.state == "all" else f"-{view.state}"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{tour.slug}-requests{suffix}.csv"',
            "Cache-Control": "private, no-store",
        },
    )

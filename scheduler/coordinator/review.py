"""Reviewing and editing a proposal: timeline per speaker, route maps, unserved requests, the
difference from the published schedule, and the hand edits (move, assign, unassign, pin)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import wraps

from flask import abort, flash, g, redirect, render_template, session, url_for
from flask import request as http
from flask_login import current_user, login_required

from scheduler.coordinator import bp
from scheduler.coordinator.forms import ActionForm, PlaceForm
from scheduler.coordinator.tours import tour_or_404
from scheduler.extensions import db
from scheduler.models import Request, RequestState, Speaker, Tour
from scheduler.services import editing, proposal, undo, wording
from scheduler.services import review as review_read
from scheduler.services.clashes import clashing_assignments
from scheduler.services.review import speaker_plans, summary
from scheduler.services.versions import KIND_ORDER, diff, proposal_snapshot, published_snapshot


def date_choices(request: Request) -> list[tuple[str, str]]:
    return [
        (day.isoformat(), f"{wording.day(day)} · choice {rank}")
        for day, rank in request.dates_in_tour
    ]


@dataclass(frozen=True)
class Outcome:
    """What an edit did, shown beside the edited request's row."""

    request_id: int
    text: str
    ok: bool


def _figures(tour: Tour, placed: dict, filters: review_read.Filters) -> dict:
    """The summary, the broken assignments and the changes from the published schedule: the
    part of the page every edit redraws."""
    changes = diff(published_snapshot(tour), proposal_snapshot(tour))
    return {
        "tour": tour,
        "summary": summary(tour, placed),
        "changes": [c for c in changes if filters.keeps_change(c)],
        "all_changes": changes,
        "causes": review_read.change_causes(tour, changes),
        "clashes": clashing_assignments(tour),
        "date_choices": date_choices,
        "form": ActionForm(),
        "last_edit": undo.last_edit(tour),
        "filters": filters,
        "keep": filters.query(),
    }


def _shown_speakers(tour: Tour, filters: review_read.Filters) -> list[Speaker]:
    return [s for s in tour.speakers if not filters.speaker or s.id == filters.speaker]


def _page(tour: Tour, outcome: Outcome | None = None, focus: int | None = None) -> dict:
    """Everything the review page is drawn from, filtered and paged as the query string asks;
    ``focus`` (a request id) picks the pages that show that request."""
    g.review_rows = review_read.preload(tour)
    filters = review_read.Filters.from_args(http.args)
    placed = proposal.draft(tour)
    page = _figures(tour, placed, filters)
    kinds = {c.request_id: c.kind for c in page["all_changes"]}
    reasons = editing.unassigned_reasons(tour)
    namer = wording.Namer(tour)
    rows = sorted(
        ((r, row) for r, row in placed.items() if row is not None),
        key=lambda pair: (pair[1].date, pair[0].id),
    )
    rows = [(r, row) for r, row in rows if filters.keeps(r, row, kinds.get(r.id), row.date)]
    unserved = [
        request
        for request, row in placed.items()
        if row is None and filters.keeps(request, None, kinds.get(request.id), None)
    ]
    speakers = review_read.page_of(
        _shown_speakers(tour, filters),
        http.args.get("plans_page", type=int),
        review_read.PLANS_PER_PAGE,
    )
    wanted_rows = review_read.page_holding([r.id for r, _ in rows], focus) if focus else None
    wanted_unserved = review_read.page_holding([r.id for r in unserved], focus) if focus else None
    unserved_page = review_read.page_of(
        unserved, wanted_unserved or http.args.get("unserved_page", type=int)
    )
    return {
        **page,
        "plans": replace(speakers, items=speaker_plans(tour, placed, kinds, speakers.items)),
        "placed": review_read.page_of(rows, wanted_rows or http.args.get("page", type=int)),
        # The solver's reasons in plain words, for the page of requests shown only.
        "unserved": replace(
            unserved_page,
            items=[
                (request, namer.plain(editing.reason_for(request, reasons)))
                for request in unserved_page.items
            ],
        ),
        "outcome": outcome,
        "page_url": lambda arg, number: url_for(
            "coordinator.review",
            slug=tour.slug,
            **{**filters.query(), **_page_args(), arg: number},
        ),
        "weeks": review_read.tour_weeks(tour),
        "states": review_read.STATES,
        "kinds": KIND_ORDER,
    }


@bp.get("/tours/<slug>/review")
@login_required
def review(slug: str):
    tour = tour_or_404(slug)
    kept = session.pop(OUTCOME_KEY, None)
    outcome = Outcome(**kept) if kept else None
    return render_template(
        "coordinator/review.html", **_page(tour, outcome, outcome and outcome.request_id)
    )


def _page_args() -> dict:
    return {k: v for k, v in http.args.items() if k in ("page", "unserved_page", "plans_page")}


# Where the outcome of an edit waits for the page the browser is sent back to (no JavaScript).
OUTCOME_KEY = "review_outcome"


def _answer(tour: Tour, request: Request, text: str, ok: bool, speaker_ids: set[int]):
    """The outcome of an edit (``_edit`` loaded the tour): a fragment for the page's script
    (the edited row, the timelines concerned, the summary), or, without JavaScript, back to the
    row with the message beside it.
    """
    outcome = Outcome(request.id, text, ok)
    if http.headers.get("X-Requested-With") == "fetch":
        filters = review_read.Filters.from_args(http.args)
        placed = proposal.draft(tour)
        page = _figures(tour, placed, filters)
        kinds = {c.request_id: c.kind for c in page["all_changes"]}
        shown = [s for s in _shown_speakers(tour, filters) if s.id in speaker_ids]
        row = proposal.placed_row(request)
        reason = wording.plain(
            tour, editing.reason_for(request, editing.unassigned_reasons(tour))
        )
        return render_template(
            "coordinator/_review_fragment.html",
            **page,
            plans=speaker_plans(tour, placed, kinds, shown),
            outcome=outcome,
            request=request,
            row=row,
            reason=reason,
        )
    session[OUTCOME_KEY] = {"request_id": request.id, "text": text, "ok": ok}
    keep = review_read.Filters.from_args(http.args).query()
    return redirect(
        url_for("coordinator.review", slug=tour.slug, **keep) + f"#event-{request.id}"
    )


def _edit(view):
    """An edit of the tour's draft, answered with the parts of the page it changed.

    The whole tour is loaded first, in a few queries: the edit's check and the fragment drawn
    after it read every request. The edit's commits leave what is loaded as it is (the edit
    changed these very objects), so the fragment is drawn without loading the tour again.
    """

    @wraps(view)
    def edit(slug: str, **kwargs):
        tour = tour_or_404(slug)
        orm = db.session()
        g.review_rows = review_read.preload(tour)
        orm.expire_on_commit = False
        try:
            return view(tour, **kwargs)
        finally:
            orm.expire_on_commit = True

    return edit


def _request_of(tour: Tour, request_id: int) -> Request:
    request = db.get_or_404(Request, request_id)
    if request.tour_id != tour.id or request.state != RequestState.SUBMITTED:
        abort(404)
    return request


def _speaker_of(request: Request) -> set[int]:
    row = proposal.placed_row(request)
    return set() if row is None else {row.speaker_id}


@bp.post("/tours/<slug>/review/requests/<int:request_id>/place")
@login_required
@_edit
def place_event(tour: Tour, request_id: int):
    """Move a placed event to another offered date and/or speaker, or assign an unserved one."""
    request = _request_of(tour, request_id)
    form = PlaceForm()
    form.day.choices = date_choices(request)
    form.speaker.choices = [(s.id, s.display_name) for s in tour.speakers]
    if not form.validate_on_submit():
        return _answer(
            tour, request, "Choose one of the offered dates and a speaker.", False, set()
        )
    speaker = db.session.get(Speaker, form.speaker.data)
    day = date.fromisoformat(form.day.data)
    speakers = _speaker_of(request) | {speaker.id}
    verb = "Moved" if proposal.placed_row(request) is not None else "Assigned"
    text = f"{verb}: {request.chapter.name} on {wording.day(day)} with {speaker.display_name}."
    try:
        with undo.undoable(request, text.rstrip("."), current_user.email):
            editing.move(request, speaker, day)
    except editing.EditRefused as refused:
        reasons = " ".join(wording.violation(tour, v) for v in refused.violations)
        return _answer(tour, request, f"Not changed: {reasons}", False, set())
    return _answer(tour, request, text, True, speakers)


@bp.post("/tours/<slug>/review/requests/<int:request_id>/unassign")
@login_required
@_edit
def unassign_event(tour: Tour, request_id: int):
    request = _request_of(tour, request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    speakers = _speaker_of(request)
    text = f"Unassigned: {request.chapter.name}. Publishing will cancel a published event."
    with undo.undoable(request, f"Unassigned: {request.chapter.name}", current_user.email):
        editing.unassign(request)
    return _answer(tour, request, text, True, speakers)


@bp.post("/tours/<slug>/review/requests/<int:request_id>/pin/<any(on, off):state>")
@login_required
@_edit
def pin_event(tour: Tour, request_id: int, state: str):
    """A pinned event is kept as it is by the next solve."""
    request = _request_of(tour, request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if proposal.placed_row(request) is None:
        return _answer(tour, request, "Only a placed event can be pinned.", False, set())
    verb = "Pinned" if state == "on" else "Unpinned"
    text = f"{verb}: {request.chapter.name}; the next solve " + (
        "keeps it where it is." if state == "on" else "may move it."
    )
    with undo.undoable(request, f"{verb}: {request.chapter.name}", current_user.email):
        editing.set_pinned(request, state == "on")
    return _answer(tour, request, text, True, _speaker_of(request))


@bp.post("/tours/<slug>/review/undo")
@login_required
@_edit
def undo_edit(tour: Tour):
    """Undo the tour's last edit (one level), unless what it changed has changed since."""
    if not ActionForm().validate_on_submit():
        abort(400)
    kept = undo.last_edit(tour)
    if kept is None:
        flash("There is no edit to undo.", "error")
        return redirect(url_for("coordinator.review", slug=tour.slug))
    request = kept.request
    speakers = _speaker_of(request)
    try:
        request, description = undo.undo(tour)
    except undo.NothingToUndo as nothing:
        return _answer(tour, request, nothing.reason, False, set())
    return _answer(tour, request, f"Undone: {description}.", True, speakers | _speaker_of(request))

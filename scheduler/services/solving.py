"""Solve runs: start one, run it in a worker, cancel it, and clean up after a worker that died.

A run goes queued (``start_solve``) -> running (``run_solve`` claims it) -> succeeded, failed or
cancelled. Every state change is a conditional UPDATE (``... WHERE state = <expected>``), so a
cancel, a stale-run sweep and the worker's own ending can race without overwriting each other.

One active run per tour. The database refuses a second queued/running row for a tour through a
unique partial index (``uq_solve_run_active_tour`` on ``solve_run(tour_id) WHERE state IN
('queued', 'running')``). A check-then-insert in Python lets two simultaneous clicks both pass the
check under PostgreSQL's READ COMMITTED, and SQLite ignores ``SELECT ... FOR UPDATE``; the index
holds on both engines, and its IntegrityError becomes ``SolveAlreadyRunning``.

The proposal (read by ``scheduler.services.editing``): a request's place in the draft is its
``proposed`` row; without one, its ``confirmed`` row stands, unless a ``dropped`` row says the
draft takes that published event out. A solve therefore writes a ``proposed`` row only where the
solution differs from the confirmed event, and deletes the ``proposed`` row where it agrees.

What a re-solve keeps: every pinned event, and every published event where the draft has it now
(confirmed, or moved by hand), so chapters are never dropped behind the coordinator's back.
Requests the coordinator took out of the draft (``dropped``) stay out. Everything else is free,
with the current draft given to the solver as ``previous`` so it moves as little as possible.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Request,
    RequestState,
    SolveRun,
    SolveState,
    Tour,
    utcnow,
)
from scheduler.solver.solution import PINNED_CONFLICT
from scheduler.tour_format import export_tour

log = logging.getLogger(__name__)

MIN_TIME_LIMIT = 1
MAX_TIME_LIMIT = 3600
REPORT_INTERVAL = 0.5  # seconds between progress writes: a few a second at most
DEFAULT_STALE_SECONDS = 60
DEFAULT_QUEUED_STALE_SECONDS = 3600
TAKEN_OUT_BY_HAND = "taken out of the schedule by a coordinator"


def _fresh_transaction() -> None:
    """End this session's read snapshot before writing.

    Under SQLite's WAL a transaction that has read and then writes after another connection
    committed fails at once with "database is locked" (no busy wait), and a running solve
    commits its progress twice a second. A write that opens its own transaction just waits its
    turn. (On PostgreSQL this only ends a read-only transaction early.)
    """
    db.session.commit()


class SolveAlreadyRunning(Exception):
    """A tour has a queued or running solve; ``run`` is that run when it could be read."""

    def __init__(self, run: SolveRun | None):
        self.run = run
        which = f" (run #{run.id}, {run.state})" if run is not None else ""
        super().__init__(
            f"A solve is already running for this tour{which}. "
            "Wait for it to finish or cancel it first."
        )


def active_run(tour: Tour) -> SolveRun | None:
    return db.session.execute(
        select(SolveRun).where(SolveRun.tour_id == tour.id, SolveRun.state.in_(SolveState.ACTIVE))
    ).scalar_one_or_none()


def latest_run(tour: Tour) -> SolveRun | None:
    return db.session.execute(
        select(SolveRun).where(SolveRun.tour_id == tour.id).order_by(SolveRun.id.desc()).limit(1)
    ).scalar_one_or_none()


def start_solve(tour: Tour, time_limit: float, actor: str) -> SolveRun:
    """Queue a run of ``tour`` (the caller hands ``run.id`` to an executor), or refuse."""
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise ValueError(
            f"The time limit must be from {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT} seconds."
        )
    mark_stale_runs_failed()
    tour_id = tour.id
    _fresh_transaction()
    run = SolveRun(tour_id=tour_id, time_limit=float(time_limit), created_by=actor)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SolveAlreadyRunning(active_run(tour)) from None
    return run


def record_job(run_id: int, job_id: str) -> None:
    """Remember which executor job runs ``run_id`` (its worker may already be writing to it)."""
    _fresh_transaction()
    db.session.execute(update(SolveRun).where(SolveRun.id == run_id).values(job_id=job_id))
    db.session.commit()


def cancel_solve(run: SolveRun) -> str:
    """Cancel a queued run at once; ask a running one to stop. Returns the run's state after."""
    run_id = run.id
    _fresh_transaction()
    queued = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.QUEUED)
        .values(state=SolveState.CANCELLED, finished_at=utcnow(), cancel_requested=True)
    )
    if queued.rowcount == 0:
        db.session.execute(
            update(SolveRun)
            .where(SolveRun.id == run_id, SolveRun.state == SolveState.RUNNING)
            .values(cancel_requested=True)
        )
    db.session.commit()
    db.session.refresh(run)
    return run.state


def _stale_rules() -> list[tuple[str, int, str]]:
    """(state, seconds of silence, error) for each active state.

    A running run writes ``heartbeat_at`` every ``REPORT_INTERVAL``, so a minute of silence means
    the process running it died (a restart, a crash, a killed CLI). A queued run has no worker
    yet and may wait behind others in a queue, so it gets an hour; Cancel ends one at once.
    """
    running = int(current_app.config.get("SOLVE_STALE_SECONDS", DEFAULT_STALE_SECONDS))
    queued = int(current_app.config.get("SOLVE_QUEUED_STALE_SECONDS", DEFAULT_QUEUED_STALE_SECONDS))
    return [
        (
            SolveState.RUNNING,
            running,
            f"The process running this solve stopped (no sign of life for {running} s). "
            "Nothing was changed; start a new solve.",
        ),
        (
            SolveState.QUEUED,
            queued,
            f"No worker started this solve within {queued} s. "
            "Nothing was changed; start a new solve.",
        ),
    ]


def mark_stale_runs_failed() -> int:
    """Fail active runs that gave no sign of life for too long; returns how many.

    Such a run changed nothing, so the tour is as it was; failing it frees the tour for a new one.
    """
    now = utcnow()
    last_sign = func.coalesce(SolveRun.heartbeat_at, SolveRun.created_at)
    rules = [
        (SolveRun.state == state, last_sign < now - timedelta(seconds=seconds), error)
        for state, seconds, error in _stale_rules()
    ]
    any_stale = or_(*(and_(in_state, silent) for in_state, silent, _ in rules))
    if db.session.scalar(select(func.count(SolveRun.id)).where(any_stale)) == 0:
        return 0  # the usual case: no write at all
    _fresh_transaction()
    swept = 0
    for in_state, silent, error in rules:
        swept += db.session.execute(
            update(SolveRun)
            .where(in_state, silent)
            .values(state=SolveState.FAILED, finished_at=now, error=error)
            .execution_options(synchronize_session=False)
        ).rowcount
    db.session.commit()
    return swept


# ---------------------------------------------------------------------------------------------
# Running


class _Reporter(threading.Thread):
    """Writes the latest progress and a heartbeat to the run's row, and reads cancel requests.

    It runs beside the solver with its own app context and session, so the row stays fresh even
    while the solver finds nothing new, and the solver never waits for the database.
    """

    def __init__(self, app, run_id: int):
        super().__init__(name=f"solve-{run_id}-reporter", daemon=True)
        self.app = app
        self.run_id = run_id
        self.started = time.monotonic()
        self.stop_requested = threading.Event()
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._progress: dict = {}

    def progress(self, progress) -> None:
        with self._lock:
            self._progress = {
                "served_weight": progress.served_weight,
                "bound": progress.bound,
                "gap": progress.gap,
            }

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def run(self) -> None:
        with self.app.app_context():
            while not self.done.wait(REPORT_INTERVAL):
                with self._lock:
                    values = dict(self._progress)
                db.session.execute(
                    update(SolveRun)
                    .where(SolveRun.id == self.run_id, SolveRun.state == SolveState.RUNNING)
                    .values(elapsed=self.elapsed(), heartbeat_at=utcnow(), **values)
                )
                cancel = db.session.scalar(
                    select(SolveRun.cancel_requested).where(SolveRun.id == self.run_id)
                )
                db.session.commit()
                if cancel:
                    self.stop_requested.set()


def _claim(run_id: int) -> bool:
    _fresh_transaction()
    claimed = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.QUEUED)
        .values(state=SolveState.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    )
    db.session.commit()
    return claimed.rowcount == 1


def _triple(request: Request, row: Assignment) -> dict:
    return {
        "request": request.format_id,
        "speaker": row.speaker.format_id,
        "date": row.date.isoformat(),
    }


def _taken_out(request: Request) -> bool:
    return (
        request.assignment_in(AssignmentState.DROPPED) is not None
        and request.assignment_in(AssignmentState.PROPOSED) is None
    )


def _draft_row(request: Request) -> Assignment | None:
    return request.assignment_in(AssignmentState.PROPOSED) or request.assignment_in(
        AssignmentState.CONFIRMED
    )


def build_instance(tour: Tour) -> tuple[dict, list[dict], list[dict]]:
    """The instance to solve, the current draft (``previous``) and the requests left out.

    The tour-format export, with its pins replaced by what a re-solve keeps (see the module
    docstring) and without the requests the coordinator took out of the draft.
    """
    instance = export_tour(tour)
    submitted = [r for r in tour.requests if r.state == RequestState.SUBMITTED]
    left_out = {r.format_id for r in submitted if _taken_out(r)}
    pinned, previous = [], []
    for request in submitted:
        row = None if request.format_id in left_out else _draft_row(request)
        if row is None:
            continue
        previous.append(_triple(request, row))
        if row.pinned or request.assignment_in(AssignmentState.CONFIRMED) is not None:
            pinned.append(_triple(request, row))
    instance["requests"] = [r for r in instance["requests"] if r["id"] not in left_out]
    instance["pinned"] = pinned
    unassigned = [{"request": ident, "reason": TAKEN_OUT_BY_HAND} for ident in sorted(left_out)]
    return instance, previous, unassigned


def _apply_proposal(tour: Tour, run_id: int, solution: dict) -> None:
    """Make the draft say what the solution says (no commit: the caller's transaction)."""
    speakers = {s.format_id: s for s in tour.speakers}
    placed = {
        a["request"]: (speakers[a["speaker"]], date.fromisoformat(a["date"]))
        for a in solution["assignments"]
    }
    for request in tour.requests:
        if request.state == RequestState.SUBMITTED and _taken_out(request):
            continue
        target = placed.get(request.format_id) if request.state == RequestState.SUBMITTED else None
        proposed = request.assignment_in(AssignmentState.PROPOSED)
        confirmed = request.assignment_in(AssignmentState.CONFIRMED)
        same_as_confirmed = confirmed is not None and (confirmed.speaker, confirmed.date) == target
        if target is None or same_as_confirmed:
            if proposed is not None:
                request.assignments.remove(proposed)
            continue
        if proposed is None:
            proposed = Assignment(request=request, state=AssignmentState.PROPOSED)
            db.session.add(proposed)
        if (proposed.speaker, proposed.date) != target:
            proposed.speaker, proposed.date = target
            proposed.solve_run_id = run_id


def _gap(served: int, bound: int | None) -> float | None:
    if bound is None:
        return None
    return 0.0 if bound <= 0 else max(0.0, (bound - served) / bound)


def _failure(solution: dict, time_limit: float) -> str | None:
    """Why a finished solver call gives no proposal, or None when it gives one."""
    status = solution.get("status")
    if status == "INFEASIBLE":
        # each conflict once, though both pins it names carry it
        reasons = "; ".join(dict.fromkeys(
            conflict for u in solution.get("unassigned", [])
            if u["reason"].startswith(PINNED_CONFLICT)
            for conflict in u["reason"].removeprefix(PINNED_CONFLICT).split("; ")))
        return (
            "The pinned and published events cannot all be kept under the tour's rules"
            + (f": {reasons}" if reasons else ".")
            + " Unpin or move one of them and solve again."
        )
    if status not in ("OPTIMAL", "FEASIBLE"):
        return (
            f"No schedule was found within the time limit of {time_limit:g} s. "
            "Try a longer time limit."
        )
    return None


def _finish(run_id: int, values: dict) -> bool:
    """End a running run; False when someone else (a sweep) ended it first."""
    ended = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.RUNNING)
        .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
    )
    return ended.rowcount == 1


def run_solve(run_id: int, on_progress: Callable | None = None) -> SolveRun:
    """Run a queued run to its end in this thread (a worker's or the CLI's), inside an app context.

    ``on_progress`` also receives each improving solution's Progress (the CLI prints them). On
    success the draft takes the solution in one transaction together with the run's result; on
    any error the run is failed with the error and nothing else changes.
    """
    from scheduler.solver import parse_instance, solve

    if not _claim(run_id):
        return db.session.get(SolveRun, run_id)
    run = db.session.get(SolveRun, run_id)
    reporter = _Reporter(current_app._get_current_object(), run_id)
    try:
        instance, previous, taken_out = build_instance(run.tour)
        time_limit = run.time_limit
        db.session.commit()  # hold no transaction open while the solver works

        def progress(update_) -> None:
            reporter.progress(update_)
            if on_progress is not None:
                on_progress(update_)

        reporter.start()
        try:
            solution = solve(
                parse_instance(instance),
                time_limit=time_limit,
                previous=previous,
                on_progress=progress,
                should_stop=reporter.stop_requested.is_set,
            ).to_dict()
        finally:
            reporter.done.set()
            reporter.join()
        solution["unassigned"] = solution.get("unassigned", []) + taken_out
        cancelled = db.session.scalar(
            select(SolveRun.cancel_requested).where(SolveRun.id == run_id)
        )
        _fresh_transaction()
        if cancelled:
            _finish(run_id, {"state": SolveState.CANCELLED, "elapsed": reporter.elapsed()})
        else:
            _conclude(run_id, time_limit, solution, reporter.elapsed())
        db.session.commit()
    except (Exception, KeyboardInterrupt) as error:
        db.session.rollback()  # also ends the read snapshot before the write below
        log.exception("solve run %s failed", run_id)
        message = "Interrupted." if isinstance(error, KeyboardInterrupt) else f"{error}"
        _finish(
            run_id,
            {"state": SolveState.FAILED, "error": f"{type(error).__name__}: {message}"[:4000]},
        )
        db.session.commit()
        if isinstance(error, KeyboardInterrupt):
            raise
    db.session.expire_all()
    return db.session.get(SolveRun, run_id)


def _conclude(run_id: int, time_limit: float, solution: dict, elapsed: float) -> None:
    """Record how the run ended; write the proposal when it succeeded (the caller commits)."""
    served = solution.get("objective", {}).get("served_weight", 0)
    bound = solution.get("bound", {}).get("served_weight")
    values = {
        "elapsed": elapsed,
        "served_weight": served,
        "bound": bound,
        "gap": _gap(served, bound),
        "result": solution,
    }
    failure = _failure(solution, time_limit)
    if failure is not None:
        _finish(run_id, {**values, "state": SolveState.FAILED, "error": failure})
        return
    if _finish(run_id, {**values, "state": SolveState.SUCCEEDED}):
        # the first statement of this transaction was a write: the reads below are current
        _apply_proposal(db.session.get(SolveRun, run_id).tour, run_id, solution)

"""Running one solve run to its end, in whichever thread or process an executor gives it.

The run is claimed (queued -> running), the solver gets the tour as the draft says
(``services.proposal``), a reporter thread writes progress and a heartbeat beside it and reads
cancel requests, and the run ends in one transaction: its result, and on success the new draft.
On any error the run is failed with the error and nothing else changes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import current_app

from scheduler.extensions import db
from scheduler.models import SolveRun, SolveState, Tour
from scheduler.services import proposal, wording
from scheduler.solver.solution import PINNED_CONFLICT
from scheduler.solving import runs

log = logging.getLogger(__name__)


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
            while not self.done.wait(runs.REPORT_INTERVAL):
                with self._lock:
                    values = dict(self._progress)
                if runs.heartbeat(self.run_id, self.elapsed(), values):
                    self.stop_requested.set()


def solver_input(tour: Tour) -> tuple[dict, list[dict], list[dict]]:
    """The instance to solve, the current draft (``previous``) and the requests left out."""
    return (
        proposal.tour_instance(tour),
        proposal.previous_solution(tour),
        proposal.left_out_reasons(tour),
    )


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
            + (f": {reasons}." if reasons else ".")
            + " Unpin or move one of them and solve again."
        )
    if status not in ("OPTIMAL", "FEASIBLE"):
        return (
            f"No schedule was found within the time limit of {time_limit:g} s. "
            "Try a longer time limit."
        )
    return None


def run_solve(run_id: int, on_progress: Callable | None = None) -> SolveRun:
    """Run a queued run to its end in this thread (a worker's or the CLI's), inside an app context.

    ``on_progress`` also receives each improving solution's Progress (the CLI prints them). On
    success the draft takes the solution in one transaction together with the run's result; on
    any error the run is failed with the error and nothing else changes.
    """
    from scheduler.solver import parse_instance, solve

    if not runs.claim(run_id):
        return db.session.get(SolveRun, run_id)
    run = db.session.get(SolveRun, run_id)
    reporter = _Reporter(current_app._get_current_object(), run_id)
    try:
        instance, previous, taken_out = solver_input(run.tour)
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
        cancelled = runs.cancel_requested(run_id)
        runs.fresh_transaction()
        if cancelled:
            runs.finish(run_id, {"state": SolveState.CANCELLED, "elapsed": reporter.elapsed()})
        else:
            _conclude(run_id, time_limit, solution, reporter.elapsed())
        db.session.commit()
    except (Exception, KeyboardInterrupt) as error:
        db.session.rollback()  # also ends the read snapshot before the write below
        log.exception("solve run %s failed", run_id)
        message = "Interrupted." if isinstance(error, KeyboardInterrupt) else f"{error}"
        runs.finish(
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
        tour = db.session.get(SolveRun, run_id).tour
        error = wording.plain(tour, failure)  # names, dates and rules in words, not ids
        runs.finish(run_id, {**values, "state": SolveState.FAILED, "error": error})
        return
    if runs.finish(run_id, {**values, "state": SolveState.SUCCEEDED}):
        # the first statement of this transaction was a write: the reads below are current
        proposal.take_solution(db.session.get(SolveRun, run_id).tour, run_id, solution)

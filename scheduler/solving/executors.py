"""Where solve runs execute (never inside a web request), and ``launch``, the one way to start.

The seam is one method, ``submit(run_id) -> job id``. The default executor runs the job on a
worker thread of this process, with its own app context (hence its own database session). With
``REDIS_URL`` set, RQ on Redis sits behind the same method (``solving.redis_queue``): the job it
runs is the same ``solving.execute.run_solve(run_id)``.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from scheduler.extensions import db
from scheduler.models import SolveRun, Tour
from scheduler.solving import runs

log = logging.getLogger(__name__)
EXTENSION_KEY = "solve_executor"


class Executor(Protocol):
    def submit(self, run_id: int) -> str:
        """Start (or queue) solve run ``run_id``; returns a job id for the run's ``job_id``."""


class ThreadExecutor:
    """Each run on its own daemon thread: a dead process leaves a stale run, swept at start-up."""

    def __init__(self, app: Flask):
        self.app = app
        self.threads: dict[int, threading.Thread] = {}

    def submit(self, run_id: int) -> str:
        thread = threading.Thread(
            target=self._work, args=(run_id,), name=f"solve-{run_id}", daemon=True
        )
        self.threads[run_id] = thread
        thread.start()
        return thread.name

    def _work(self, run_id: int) -> None:
        from scheduler.solving.execute import run_solve

        with self.app.app_context():
            run_solve(run_id)

    def join(self, run_id: int, timeout: float | None = None) -> None:
        """Wait for a run's thread (tests and orderly shutdown)."""
        thread = self.threads.get(run_id)
        if thread is not None:
            thread.join(timeout)


def executor() -> Executor:
    return current_app.extensions[EXTENSION_KEY]


def launch(tour: Tour, time_limit: float, actor: str) -> SolveRun:
    """Queue a run of ``tour`` and hand it to this app's executor; the web's Solve button.

    Raises ``runs.SolveAlreadyRunning`` while the tour has an active run, ``ValueError`` for a
    time limit out of range, ``runs.QueueUnavailable`` when the queue cannot take it: the run is
    then failed at once, so no queued run is left behind to block the next solve.
    """
    run = runs.start(tour, time_limit, actor)
    try:
        job_id = executor().submit(run.id)
    except runs.QueueUnavailable as refused:
        runs.fail(run.id, str(refused))
        raise
    runs.record_job(run.id, job_id)
    return run


def _sweep_stale_runs(app: Flask) -> None:
    """Fail runs a previous process left queued or running (skipped before the first migration).

    Skipped in silence when the database does not answer: the start-up check names it in one
    line, and ``flask --app wsgi check`` and the worker run that check only once the app is
    built, so a warning from here would come before their line and say less. The Solve page and
    the next solve sweep again (``runs.mark_stale_failed``)."""
    with app.app_context():
        try:
            with db.engine.connect():
                pass
        except OperationalError:
            return
        try:
            if inspect(db.engine).has_table("solve_run"):
                swept = runs.mark_stale_failed()
                if swept:
                    log.warning("marked %d stale solve run(s) failed", swept)
        except SQLAlchemyError:
            log.exception("could not sweep stale solve runs at start-up")
        finally:
            db.session.remove()


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        from scheduler.solving.redis_queue import RQExecutor  # only a queued deployment imports rq

        app.extensions[EXTENSION_KEY] = RQExecutor(app)
    else:
        app.extensions[EXTENSION_KEY] = ThreadExecutor(app)
    _sweep_stale_runs(app)

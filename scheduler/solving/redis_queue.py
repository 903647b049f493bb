"""Solve runs on RQ (Redis): the executor of a deployment on several machines, and its job.

With ``REDIS_URL`` set, ``executors.launch`` enqueues ``perform_solve(run_id)`` on the
"solve" queue, and any ``flask --app wsgi worker`` that reaches the same Redis and database takes
it. The job is the in-process one, ``run_solve``: progress, heartbeat and cancel travel through
the SolveRun row in the shared database, so the pages cannot tell where a run executes.

A worker can die mid-job (a lost machine, the OOM killer). RQ notices in one of two ways: the
worker sees its work horse die (``horse_killed``), or another worker's registry cleanup finds the
job abandoned and calls its failure callback (``job_failed``). The job is retried once: the run
goes back to queued so the retry can claim it. With no retry left the run is failed with the
reason. A run writes only proposed rows, and only in its last transaction, so a dead worker
never changes anything published; if RQ's own bookkeeping is lost too, the stale-run sweep (no
heartbeat for a while) still ends the run.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import signal
import sys

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry, Worker
from rq.exceptions import AbandonedJobError
from rq.job import Job
from sqlalchemy import select

from scheduler.extensions import db
from scheduler.models import SolveRun
from scheduler.solving import runs

log = logging.getLogger(__name__)
QUEUE_NAME = "solve"
RETRIES = 1
# Beyond the run's time limit: building the instance, loading OR-Tools, writing the proposal.
JOB_TIMEOUT_MARGIN = 120
PID_KEY = "solve_queue_pid"
PR_SET_PDEATHSIG = 1  # prctl(2)

_app: Flask | None = None


def solve_queue(redis_url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))


class RQExecutor:
    """Queues each run as an RQ job; workers on any machine run it."""

    def __init__(self, app: Flask):
        self.app = app
        self.queue = solve_queue(app.config["REDIS_URL"])
        app.extensions[PID_KEY] = os.getpid()

    def submit(self, run_id: int) -> str:
        time_limit = db.session.scalar(select(SolveRun.time_limit).where(SolveRun.id == run_id))
        try:
            job = self.queue.enqueue(
                perform_solve,
                run_id,
                job_timeout=math.ceil(time_limit) + JOB_TIMEOUT_MARGIN,
                retry=Retry(max=RETRIES),
                on_failure=Callback(job_failed),
                description=f"solve run #{run_id}",
            )
        except RedisError as error:
            log.warning("solve queue unavailable: %s", type(error).__name__)
            raise runs.QueueUnavailable(
                "The solve queue (Redis) cannot be reached, so the solve was not started. "
                "Nothing was changed; try again in a minute, or ask whoever runs the server."
            ) from None
        return job.id


def _process_app() -> Flask:
    """The app this process works for: the active one (the worker command's, a test's), else
    one made once per process from the environment (a plain ``rq worker``)."""
    global _app
    if has_app_context():
        app = current_app._get_current_object()
    else:
        if _app is None:
            from scheduler import create_app

            _app = create_app()
        app = _app
    owner = app.extensions.setdefault(PID_KEY, os.getpid())
    if owner != os.getpid():
        # A work horse is a fork of its worker: the pooled connections are the worker's.
        _die_with_parent(owner)
        with app.app_context():
            db.engine.dispose(close=False)
        app.extensions[PID_KEY] = os.getpid()
    return app


def _die_with_parent(parent: int) -> None:
    """Make a work horse end with its worker (Linux).

    A horse left behind by a killed worker would go on solving unwatched while RQ, finding the
    job abandoned, runs it again elsewhere.
    """
    if not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the worker died before the line above
        os.kill(os.getpid(), signal.SIGKILL)


def perform_solve(run_id: int) -> str:
    """The RQ job: run solve run ``run_id`` to its end; returns the run's final state."""
    from scheduler.solving.execute import run_solve

    with _process_app().app_context():
        try:
            run = run_solve(run_id)
            return run.state if run is not None else "deleted"  # e.g. its tour was deleted
        finally:
            db.session.remove()


def _lost_for_good(reason: str) -> str:
    return (
        f"The worker running this solve stopped ({reason}), also on its retry. "
        "Nothing was changed; start a new solve."
    )


def _worker_lost(job: Job, reason: str) -> None:
    """Called before RQ decides on a retry: requeue the run if RQ will retry, else fail it."""
    run_id = job.args[0]
    with _process_app().app_context():
        try:
            if job.should_retry:
                runs.requeue(run_id)
            else:
                runs.fail(run_id, _lost_for_good(reason))
        finally:
            db.session.remove()


def job_failed(job: Job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback: the job raised, or its worker vanished (found abandoned)."""
    if isinstance(exc_value, AbandonedJobError):
        reason = "its worker stopped answering"
    else:
        reason = f"{exc_type.__name__}: {exc_value}"
    _worker_lost(job, reason)


def horse_killed(job: Job, pid: int, status: int | None, rusage) -> None:
    """The worker's hook for a work horse that died under it (killed, out of memory)."""
    if status is not None and os.WIFSIGNALED(status):
        reason = f"its process was killed by {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        reason = f"its process ended abruptly (status {status})"
    _worker_lost(job, reason)


def make_worker(app: Flask) -> Worker:
    """A worker on the solve queue that forks each job from this process and ``app``.

    The solver is imported here, once, so that each forked job starts solving at once.
    """
    global _app
    import scheduler.solver  # noqa: F401

    _app = app
    app.extensions[PID_KEY] = os.getpid()
    queue = solve_queue(app.config["REDIS_URL"])
    return Worker([queue], connection=queue.connection, work_horse_killed_handler=horse_killed)

"""A solve run's states and every transition between them, in one place.

    queued --claim--> running --finish--> succeeded | failed | cancelled
    queued --cancel--> cancelled          running --heartbeat--> running (progress, sign of life)
    running --requeue--> queued (the RQ retry of a run whose worker died)
    queued | running --fail / stale sweep--> failed

Every state change is a conditional UPDATE (``... WHERE state = <expected>``), so a cancel, a
stale-run sweep and the worker's own ending can race without overwriting each other.

One active run per tour. The database refuses a second queued/running row for a tour through a
unique partial index (``uq_solve_run_active_tour`` on ``solve_run(tour_id) WHERE state IN
('queued', 'running')``). A check-then-insert in Python lets two simultaneous clicks both pass the
check under PostgreSQL's READ COMMITTED, and SQLite ignores ``SELECT ... FOR UPDATE``; the index
holds on both engines, and its IntegrityError becomes ``SolveAlreadyRunning``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.models import SolveRun, SolveState, Tour, utcnow

MIN_TIME_LIMIT = 1
MAX_TIME_LIMIT = 3600
REPORT_INTERVAL = 0.5  # seconds between heartbeats: a few progress writes a second at most
DEFAULT_STALE_SECONDS = 60
DEFAULT_QUEUED_STALE_SECONDS = 3600


def fresh_transaction() -> None:
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


class QueueUnavailable(Exception):
    """The executor could not take the run (the job queue does not answer); says so in words."""


def active_run(tour: Tour) -> SolveRun | None:
    return db.session.execute(
        select(SolveRun).where(SolveRun.tour_id == tour.id, SolveRun.state.in_(SolveState.ACTIVE))
    ).scalar_one_or_none()


def latest_run(tour: Tour) -> SolveRun | None:
    return db.session.execute(
        select(SolveRun).where(SolveRun.tour_id == tour.id).order_by(SolveRun.id.desc()).limit(1)
    ).scalar_one_or_none()


def start(tour: Tour, time_limit: float, actor: str) -> SolveRun:
    """Queue a run of ``tour`` (the caller hands ``run.id`` to an executor), or refuse."""
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise ValueError(
            f"The time limit must be from {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT} seconds."
        )
    mark_stale_failed()
    tour_id = tour.id
    fresh_transaction()
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
    fresh_transaction()
    db.session.execute(update(SolveRun).where(SolveRun.id == run_id).values(job_id=job_id))
    db.session.commit()


def cancel(run: SolveRun) -> str:
    """Cancel a queued run at once; ask a running one to stop. Returns the run's state after."""
    run_id = run.id
    fresh_transaction()
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


def mark_stale_failed() -> int:
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
    fresh_transaction()
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


def claim(run_id: int) -> bool:
    """queued -> running; False when the run is no longer queued (cancelled, swept, claimed)."""
    fresh_transaction()
    claimed = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.QUEUED)
        .values(state=SolveState.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())
    )
    db.session.commit()
    return claimed.rowcount == 1


def heartbeat(run_id: int, elapsed: float, progress: dict) -> bool:
    """Write a running run's progress and sign of life; returns whether a cancel was asked."""
    db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.RUNNING)
        .values(elapsed=elapsed, heartbeat_at=utcnow(), **progress)
    )
    cancel = db.session.scalar(select(SolveRun.cancel_requested).where(SolveRun.id == run_id))
    db.session.commit()
    return bool(cancel)


def cancel_requested(run_id: int) -> bool:
    return bool(
        db.session.scalar(select(SolveRun.cancel_requested).where(SolveRun.id == run_id))
    )


def finish(run_id: int, values: dict) -> bool:
    """running -> an end state in ``values``; False when someone else (a sweep) ended it first.

    No commit: a successful run writes its proposal in the same transaction.
    """
    ended = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state == SolveState.RUNNING)
        .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
    )
    return ended.rowcount == 1


def requeue(run_id: int) -> None:
    """running -> queued for the retry of a run whose worker died (cancelled if a cancel was
    asked meanwhile)."""
    running = (SolveRun.id == run_id, SolveRun.state == SolveState.RUNNING)
    db.session.execute(
        update(SolveRun)
        .where(*running, SolveRun.cancel_requested.is_(False))
        .values(
            state=SolveState.QUEUED,
            heartbeat_at=utcnow(),
            elapsed=0.0,
            served_weight=None,
            bound=None,
            gap=None,
        )
    )
    db.session.execute(
        update(SolveRun)
        .where(*running, SolveRun.cancel_requested.is_(True))
        .values(state=SolveState.CANCELLED, finished_at=utcnow())
    )
    db.session.commit()


def fail(run_id: int, error: str) -> None:
    """queued or running -> failed with ``error`` (a worker lost for good, a queue refused)."""
    db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run_id, SolveRun.state.in_(SolveState.ACTIVE))
        .values(state=SolveState.FAILED, finished_at=utcnow(), error=error)
    )
    db.session.commit()

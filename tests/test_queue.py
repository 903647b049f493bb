"""Solve runs through RQ on the real Redis: worker processes run them, progress and cancel go
through the shared database, workers share the queue, and a worker that dies mid-job leaves its
run retried once, then failed, with nothing published changed.

These tests need Redis on 127.0.0.1:6379 (they use database 5 and empty only it) and fail
without it. The database is the ``app`` fixture's SQLite file (or TEST_DATABASE_URL), which the
worker subprocesses open too.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job, JobStatus
from sqlalchemy import select

from bench.generate import generate_instance
from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, SolveRun, SolveState
from scheduler.solving import executors, runs
from scheduler.solving.redis_queue import JOB_TIMEOUT_MARGIN, QUEUE_NAME, RQExecutor
from scheduler.tour_format import import_tour

REDIS_URL = "redis://127.0.0.1:6379/5"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLASK = os.path.join(os.path.dirname(sys.executable), "flask")
WAIT = 60  # seconds: the longest any single wait below may take


@pytest.fixture
def redis_url():
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        pytest.fail(f"Redis must answer at {REDIS_URL} for these tests: {error}")
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
    connection.close()


@pytest.fixture
def app_config(app_config, redis_url):
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def queue(app):
    return app.extensions[executors.EXTENSION_KEY].queue


@pytest.fixture
def workers(app, tmp_path):
    """Starts ``flask --app wsgi worker`` subprocesses on the test database; kills them after."""
    started = []

    def start(*args, redis=True):
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"]}
        env.pop("REDIS_URL", None)
        if redis:
            env["REDIS_URL"] = app.config["REDIS_URL"]
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [FLASK, "--app", "wsgi", "worker", *args],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        process.horses = []  # killed at the end too, should one outlive its worker
        started.append(process)
        return process

    yield start
    for process in started:
        for pid in [*children(process.pid), *process.horses, process.pid]:
            kill(pid)
        process.wait(timeout=WAIT)


def proc_stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent pid, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    stat = proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (an RQ worker's forked work horse)."""
    pids = (int(entry) for entry in os.listdir("/proc") if entry.isdigit())
    return [
        child for child in pids if (stat := proc_stat(child)) and stat[0] != "Z" and stat[1] == pid
    ]


def kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_for(condition, what: str, timeout: float = WAIT, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tails = "".join(f"\n--- {log}:\n{log.read_text()[-3000:]}" for log in logs)
    pytest.fail(f"waited {timeout} s for {what}{tails}")


def fresh(run_id: int) -> SolveRun:
    """The run's row as another process last committed it."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(SolveRun, run_id)


def big_tour(name: str = "Busy tour", pinned: int = 0):
    """150 requests for 4 speakers over 8 weeks: keeps a solver busy for its whole time limit.
    ``pinned`` requests come with a confirmed (published) event."""
    return import_tour(generate_instance(150, 4, 8, pinned, seed=3, name=name))


def small_tour(name: str = "Small tour"):
    return import_tour(generate_instance(6, 2, 2, 0, seed=5, name=name))


def queued(tour, time_limit: float) -> SolveRun:
    """A run of ``tour`` started as the Solve button does: through the app's executor."""
    run = runs.start(tour, time_limit, "coord@example.org")
    runs.record_job(run.id, executors.executor().submit(run.id))
    return fresh(run.id)


def published(tour) -> list[tuple]:
    db.session.commit()
    rows = db.session.scalars(
        select(Assignment)
        .where(Assignment.state == AssignmentState.CONFIRMED)
        .order_by(Assignment.id)
    )
    return [(a.id, a.request_id, a.speaker_id, a.date, a.sequence) for a in rows]


def proposed_rows() -> list[Assignment]:
    db.session.commit()
    return list(
        db.session.scalars(select(Assignment).where(Assignment.state == AssignmentState.PROPOSED))
    )


def running_horse(worker, run_id: int, other_than=()) -> int:
    """Wait until ``worker`` runs ``run_id`` in a work horse; return the horse's pid."""

    def horse():
        pids = [p for p in children(worker.pid) if p not in other_than]
        return pids[0] if pids and fresh(run_id).state == SolveState.RUNNING else None

    pid = wait_for(horse, f"run #{run_id} running in a work horse", logs=[worker.log])
    worker.horses.append(pid)
    return pid


# -- the executor -----------------------------------------------------------------------------


def test_with_redis_url_a_solve_is_queued_for_workers_not_run_in_the_web_process(app, queue):
    assert isinstance(app.extensions[executors.EXTENSION_KEY], RQExecutor)
    tour = small_tour()
    run = queued(tour, 40)
    job = Job.fetch(run.job_id, connection=queue.connection)
    assert job.func_name == "scheduler.solving.redis_queue.perform_solve"
    assert job.args == (run.id,)
    assert job.timeout == 40 + JOB_TIMEOUT_MARGIN
    assert job.retries_left == 1
    assert queue.name == QUEUE_NAME and queue.job_ids == [run.job_id]
    time.sleep(1)
    assert fresh(run.id).state == SolveState.QUEUED  # nobody solves until a worker takes it


def test_without_redis_url_the_app_solves_in_process_and_never_imports_rq(tmp_path):
    script = (
        "import sys\n"
        "from scheduler import create_app\n"
        f"app = create_app({{'TESTING': True, 'DATABASE_URL': 'sqlite:///{tmp_path}/x.sqlite'}})\n"
        "print(type(app.extensions['solve_executor']).__name__, 'rq' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ThreadExecutor", "False"]


def test_worker_without_redis_url_refuses_with_a_message(app, workers):
    worker = workers(redis=False)
    assert worker.wait(timeout=WAIT) != 0
    output = worker.log.read_text()
    assert "REDIS_URL is not set" in output
    assert "Traceback" not in output


# -- workers run the job ------------------------------------------------------------------------


def test_a_worker_process_runs_a_queued_solve_into_a_proposal(app, queue, workers):
    tour = small_tour()
    run = queued(tour, 20)
    worker = workers("--burst")
    assert worker.wait(timeout=WAIT) == 0, worker.log.read_text()
    run = fresh(run.id)
    assert run.state == SolveState.SUCCEEDED, run.error
    assert run.started_at and run.finished_at and run.heartbeat_at
    assert run.served_weight == run.result["objective"]["served_weight"] > 0
    assigned = {a["request"] for a in run.result["assignments"]}
    proposals = proposed_rows()
    assert {p.request.format_id for p in proposals} == assigned
    assert all(p.solve_run_id == run.id for p in proposals)
    job = Job.fetch(run.job_id, connection=queue.connection)
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == SolveState.SUCCEEDED


def test_progress_and_cancel_reach_a_worker_through_the_database_row(app, workers):
    tour = big_tour()
    run = queued(tour, 120)
    worker = workers("--burst")
    progressed = wait_for(
        lambda: (r := fresh(run.id)).served_weight is not None and r.elapsed > 0 and r,
        "the worker's progress in the run's row",
        logs=[worker.log],
    )
    assert progressed.state == SolveState.RUNNING
    assert progressed.bound is not None and progressed.heartbeat_at is not None
    assert runs.cancel(progressed) == SolveState.RUNNING  # asked; the worker stops the solver
    assert worker.wait(timeout=WAIT) == 0, worker.log.read_text()
    run = fresh(run.id)
    assert run.state == SolveState.CANCELLED
    assert run.elapsed < 60
    assert proposed_rows() == []


def test_two_workers_share_the_queue_and_solve_two_tours_at_once(app, queue, workers):
    first, second = workers(), workers()
    wait_for(
        lambda: len(Worker.all(queue=queue)) == 2,
        "two workers listening",
        logs=[first.log, second.log],
    )
    tours = [big_tour("Tour one"), big_tour("Tour two")]
    started = [queued(tour, 4) for tour in tours]
    for run in started:
        wait_for(
            lambda run=run: fresh(run.id).state not in SolveState.ACTIVE,
            f"run #{run.id} to end",
            logs=[first.log, second.log],
        )
    finished = [fresh(run.id) for run in started]
    assert [r.state for r in finished] == [SolveState.SUCCEEDED] * 2, [r.error for r in finished]
    assert {p.solve_run_id for p in proposed_rows()} == {r.id for r in finished}
    names = {Job.fetch(r.job_id, connection=queue.connection).worker_name for r in finished}
    assert len(names) == 2  # each worker took one


# -- workers that die ---------------------------------------------------------------------------


def test_a_killed_work_horse_is_retried_once_then_its_run_fails_and_nothing_published_changes(
    app, queue, workers
):
    tour = big_tour(pinned=2)
    before = published(tour)
    assert len(before) == 2
    run = queued(tour, 600)
    worker = workers()
    horse = running_horse(worker, run.id)
    first_start = fresh(run.id).started_at
    kill(horse)
    retry = running_horse(worker, run.id, other_than={horse})
    assert fresh(run.id).started_at > first_start  # the retry claimed the run again
    assert Job.fetch(run.job_id, connection=queue.connection).retries_left == 0
    kill(retry)
    ended = wait_for(
        lambda: (r := fresh(run.id)).state not in SolveState.ACTIVE and r,
        "the run to end after its retry died",
        logs=[worker.log],
    )
    assert ended.state == SolveState.FAILED
    assert "killed by SIGKILL" in ended.error and "retry" in ended.error
    assert Job.fetch(run.job_id, connection=queue.connection).get_status() == JobStatus.FAILED
    assert published(tour) == before
    assert proposed_rows() == []
    assert worker.poll() is None  # the worker itself lives on for the next job


def test_a_vanished_worker_leaves_an_abandoned_job_retried_once_then_failed(app, queue, workers):
    tour = big_tour(pinned=2)
    before = published(tour)
    run = queued(tour, 600)
    for attempt in range(2):
        worker = workers()
        horse = running_horse(worker, run.id)
        kill(worker.pid)
        worker.wait(timeout=WAIT)
        wait_for(lambda horse=horse: not alive(horse), "the work horse to end with its worker")
        assert fresh(run.id).state == SolveState.RUNNING  # nobody has noticed yet
        # What a live worker's maintenance does once the dead one's heartbeat has expired.
        queue.started_job_registry.cleanup(timestamp=time.time() + 3600)
        run = fresh(run.id)
        if attempt == 0:
            assert run.state == SolveState.QUEUED  # back in the queue for the retry
            assert queue.job_ids == [run.job_id]
    assert run.state == SolveState.FAILED
    assert "stopped answering" in run.error and "retry" in run.error
    assert run.job_id in queue.failed_job_registry.get_job_ids()
    assert published(tour) == before
    assert proposed_rows() == []


@pytest.fixture
def quick_stale(app_config):
    app_config["SOLVE_STALE_SECONDS"] = 1


def test_a_dead_workers_run_swept_as_stale_stays_failed_when_its_retry_comes(
    quick_stale, app, queue, workers
):
    tour = big_tour(pinned=2)
    before = published(tour)
    run = queued(tour, 600)
    worker = workers()
    horse = running_horse(worker, run.id)
    kill(worker.pid)
    kill(horse)
    worker.wait(timeout=WAIT)
    time.sleep(1.5)  # the row's heartbeat is older than SOLVE_STALE_SECONDS
    assert runs.mark_stale_failed() == 1
    assert fresh(run.id).state == SolveState.FAILED
    queue.started_job_registry.cleanup(timestamp=time.time() + 3600)  # RQ retries the job
    retry = workers("--burst")
    assert retry.wait(timeout=WAIT) == 0, retry.log.read_text()
    run = fresh(run.id)
    assert run.state == SolveState.FAILED and "no sign of life" in run.error
    assert Job.fetch(run.job_id, connection=queue.connection).return_value() == SolveState.FAILED
    assert published(tour) == before
    assert proposed_rows() == []

"""Solve runs: one at a time per tour, live progress, the proposal they write, cancel, failure,
stale runs, the Solve page and its JSON, and ``flask tour solve``."""

import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bench.generate import generate_instance
from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    ScheduleVersion,
    SolveRun,
    SolveState,
    SpeakerUnavailability,
    utcnow,
)
from scheduler.services.event_checks import SAME_DAY, route_breaks
from scheduler.services.proposal import placed_row
from scheduler.solving import runs
from scheduler.solving.execute import run_solve
from scheduler.solving.executors import executor
from scheduler.tour_format import import_tour

MARCH = date(2027, 3, 1)


def small_tour(make, n_requests: int = 3):
    """One speaker in Los Angeles and ``n_requests`` Californian requests a few days apart."""
    tour = make.tour()
    speaker = make.speaker(tour)
    requests = [
        make.request(tour, dates=(MARCH + timedelta(days=9 + 3 * i),), chapter_name=f"Ch {i}")
        for i in range(n_requests)
    ]
    return tour, speaker, requests


def rows(request, state):
    return [a for a in request.assignments if a.state == state]


def big_tour():
    """150 requests for 4 speakers over 8 weeks: no solver proves this optimal in seconds."""
    return import_tour(generate_instance(150, 4, 8, 0, seed=3, name="Big tour"))


# -- one run at a time ---------------------------------------------------------------------------


def test_second_solve_while_one_is_queued_is_refused(app, make):
    tour, _, _ = small_tour(make)
    first = runs.start(tour, 5, "a@example.org")
    with pytest.raises(runs.SolveAlreadyRunning) as refused:
        runs.start(tour, 5, "b@example.org")
    assert refused.value.run.id == first.id
    assert "already running" in str(refused.value)
    assert db.session.scalar(select(db.func.count(SolveRun.id))) == 1


def test_two_simultaneous_starts_give_exactly_one_run(app, make):
    tour, _, _ = small_tour(make)
    tour_id = tour.id
    barrier = threading.Barrier(2)
    outcomes = []

    def click(actor):
        with app.app_context():  # each click has its own session, as two requests would
            own_tour = db.session.get(type(tour), tour_id)
            barrier.wait()
            try:
                outcomes.append(runs.start(own_tour, 5, actor).id)
            except runs.SolveAlreadyRunning:
                outcomes.append("refused")

    threads = [threading.Thread(target=click, args=(f"c{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("refused") == 1 and len(outcomes) == 2
    db.session.commit()  # a fresh snapshot, after both clicks
    active = db.session.scalars(select(SolveRun).where(SolveRun.state == SolveState.QUEUED))
    assert len(list(active)) == 1


def test_a_finished_run_does_not_block_the_next(app, make):
    tour, _, _ = small_tour(make)
    run_solve(runs.start(tour, 5, "a").id)
    assert runs.start(tour, 5, "a").state == SolveState.QUEUED


def test_time_limit_out_of_range_is_refused(app, make):
    tour, _, _ = small_tour(make)
    with pytest.raises(ValueError, match="time limit"):
        runs.start(tour, 0, "a")


# -- running ----------------------------------------------------------------------------------


def test_run_solve_proposes_every_request_and_records_the_result(app, make):
    tour, speaker, requests = small_tour(make)
    run = run_solve(runs.start(tour, 10, "coord@example.org").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    assert run.served_weight == 3 and run.bound == 3 and run.gap == 0.0
    assert run.result["status"] == "OPTIMAL"
    assert run.started_at and run.finished_at and run.heartbeat_at
    for request in requests:
        (proposed,) = rows(request, AssignmentState.PROPOSED)
        assert (proposed.speaker, proposed.solve_run_id) == (speaker, run.id)
        assert proposed.date == request.choices[0].first_date
        assert not rows(request, AssignmentState.CONFIRMED)


def test_progress_reaches_the_run_row_while_the_solver_works(app, make):
    tour = big_tour()
    run = runs.start(tour, 6, "a")
    seen = []

    def watch(progress):
        # Called in the solver's thread: read the row through a separate connection, as the
        # progress page would, until the reporter has written this progress to it.
        if seen:
            return
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            with db.engine.connect() as connection:
                row = connection.execute(
                    select(SolveRun.state, SolveRun.served_weight, SolveRun.heartbeat_at).where(
                        SolveRun.id == run.id
                    )
                ).one()
            if row.served_weight is not None:
                seen.append(row)
                return
            time.sleep(0.1)

    finished = run_solve(run.id, on_progress=watch)
    assert finished.state == SolveState.SUCCEEDED, finished.error
    assert seen and seen[0].state == SolveState.RUNNING and seen[0].served_weight > 0
    assert finished.bound >= finished.served_weight > 0


def test_solution_equal_to_the_confirmed_event_needs_no_proposed_copy(app, make):
    tour, speaker, requests = small_tour(make)
    kept = requests[0]
    make.assignment(kept, speaker, kept.choices[0].first_date)
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    assert not rows(kept, AssignmentState.PROPOSED)
    assert len(rows(kept, AssignmentState.CONFIRMED)) == 1
    assert all(len(rows(r, AssignmentState.PROPOSED)) == 1 for r in requests[1:])


def test_resolve_keeps_pinned_proposals_and_requests_taken_out_by_hand(app, make):
    tour, speaker, requests = small_tour(make)
    second_date = MARCH + timedelta(days=20)
    pinned = make.request(tour, dates=(MARCH + timedelta(days=19), second_date))
    make.assignment(pinned, speaker, second_date, state=AssignmentState.PROPOSED, pinned=True)
    dropped = requests[0]
    make.assignment(dropped, speaker, dropped.choices[0].first_date)
    make.assignment(
        dropped, speaker, dropped.choices[0].first_date, state=AssignmentState.DROPPED
    )
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    (kept,) = rows(pinned, AssignmentState.PROPOSED)
    assert kept.date == second_date and kept.pinned
    assert not rows(dropped, AssignmentState.PROPOSED)
    assert len(rows(dropped, AssignmentState.DROPPED)) == 1
    reasons = {u["request"]: u["reason"] for u in run.result["unassigned"]}
    assert reasons[dropped.format_id] == "taken out of the schedule by a coordinator"


def test_a_published_event_the_speaker_can_no_longer_do_is_moved_by_the_next_solve(app, make):
    """Later data broke it, so it is not held as a pin; the rest of the draft stays put."""
    tour, speaker, requests = small_tour(make)
    broken_day, free_day = MARCH + timedelta(days=19), MARCH + timedelta(days=20)
    broken = make.request(tour, dates=(broken_day, free_day), chapter_name="Moved")
    make.assignment(broken, speaker, broken_day)
    for request in requests:
        make.assignment(request, speaker, request.choices[0].first_date)
    speaker.unavailability.append(SpeakerUnavailability(date=broken_day, note="ill"))
    db.session.commit()
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    (moved,) = rows(broken, AssignmentState.PROPOSED)
    assert moved.date == free_day
    assert all(not rows(r, AssignmentState.PROPOSED) for r in requests)


def test_an_event_pinned_by_hand_stays_pinned_even_when_later_data_breaks_it(app, make):
    tour, speaker, _ = small_tour(make)
    broken_day = MARCH + timedelta(days=19)
    pinned = make.request(tour, dates=(broken_day, MARCH + timedelta(days=20)))
    make.assignment(pinned, speaker, broken_day, pinned=True)
    speaker.unavailability.append(SpeakerUnavailability(date=broken_day, note="ill"))
    db.session.commit()
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.FAILED
    assert "pinned" in run.error and "Unpin or move" in run.error
    assert not rows(pinned, AssignmentState.PROPOSED)


def test_stale_proposals_of_withdrawn_requests_are_removed(app, make):
    tour, speaker, requests = small_tour(make)
    gone = requests[0]
    make.assignment(gone, speaker, gone.choices[0].first_date, state=AssignmentState.PROPOSED)
    gone.state = "withdrawn"
    db.session.commit()
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.SUCCEEDED, run.error
    assert not rows(gone, AssignmentState.PROPOSED)


# -- cancel and failure ---------------------------------------------------------------------------


def test_cancelling_a_queued_run_ends_it_before_it_starts(app, make):
    tour, _, requests = small_tour(make)
    run = runs.start(tour, 10, "a")
    assert runs.cancel(run) == SolveState.CANCELLED
    assert run_solve(run.id).state == SolveState.CANCELLED
    assert not any(r.assignments for r in requests)


def test_cancelling_a_running_run_stops_the_solver_and_changes_nothing(app, make):
    tour = big_tour()
    run = runs.start(tour, 60, "a")
    executor().submit(run.id)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        db.session.commit()  # a fresh snapshot
        if db.session.get(SolveRun, run.id).served_weight is not None:
            break
        time.sleep(0.2)
    assert runs.cancel(run) == SolveState.RUNNING
    executor().join(run.id, timeout=20)
    db.session.commit()  # a fresh snapshot
    run = db.session.get(SolveRun, run.id)
    assert run.state == SolveState.CANCELLED
    assert run.elapsed < 30
    proposed = db.session.scalars(
        select(Assignment).where(Assignment.state == AssignmentState.PROPOSED)
    )
    assert list(proposed) == []


def test_a_run_that_raises_is_failed_and_confirmed_events_are_untouched(app, make):
    tour, speaker, requests = small_tour(make)
    confirmed = make.assignment(requests[0], speaker, requests[0].choices[0].first_date)
    requests[1].priority = 9  # outside the format's 1..5: the solver's parser refuses the tour
    db.session.commit()
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.FAILED
    assert "InstanceError" in run.error and "priority" in run.error
    assert run.finished_at is not None
    db.session.commit()  # a fresh snapshot
    assert [(a.id, a.state) for a in requests[0].assignments] == [
        (confirmed.id, AssignmentState.CONFIRMED)
    ]
    assert not requests[1].assignments and not requests[2].assignments


def test_pins_that_break_the_rules_fail_the_run_with_the_reason(app, make):
    tour, speaker, requests = small_tour(make, n_requests=2)
    day = date(2027, 3, 10)
    far = make.request(tour, dates=(day,), lat=40.71, lon=-74.0, timezone="America/New_York")
    make.assignment(requests[0], speaker, day, pinned=True)
    make.assignment(far, speaker, day, pinned=True)
    run = run_solve(runs.start(tour, 10, "a").id)
    assert run.state == SolveState.FAILED
    assert "cannot all be kept" in run.error
    # the rule in words, the chapter, the speaker and the day; each conflict once, though both
    # pins carry it; no ids and no rule codes
    assert "talks on one day" in run.error and "LiNK at UCLA" in run.error
    assert "Speaker A" in run.error and "Wed, Mar 10, 2027" in run.error
    assert run.error.count("already has a talk on Wed, Mar 10, 2027") == 1
    assert "rq-" not in run.error and "sp-" not in run.error and "H3" not in run.error
    assert not rows(requests[1], AssignmentState.PROPOSED)


def test_published_events_that_no_longer_fit_one_day_are_freed_and_the_solve_fixes_them(
    app, make
):
    """A chapter moved its talk so that two published talks on one day no longer fit: neither
    was pinned by hand, so the next solve keeps one and moves or drops the other."""
    tour, speaker, requests = small_tour(make, n_requests=2)
    day = date(2027, 3, 10)
    far = make.request(tour, dates=(day,), lat=40.71, lon=-74.0, timezone="America/New_York")
    make.assignment(requests[0], speaker, day)
    make.assignment(far, speaker, day)
    broken = route_breaks(tour, [placed_row(requests[0]), placed_row(far)])
    assert {b.code for b in broken} == {SAME_DAY}

    run = run_solve(runs.start(tour, 10, "a").id)

    assert run.state == SolveState.SUCCEEDED, run.error
    draft = [row for row in (placed_row(r) for r in (requests[0], far)) if row is not None]
    assert [(row.speaker, row.date) for row in draft] == [(speaker, day)]
    assert route_breaks(tour, draft) == []


def ago(**delta):
    return utcnow() - timedelta(**delta)


def test_runs_without_a_heartbeat_are_marked_failed(app, make):
    tour, _, _ = small_tour(make)
    b, c, d = (make.tour(slug=slug) for slug in "bcd")
    dead = SolveRun(tour=tour, state=SolveState.RUNNING, heartbeat_at=ago(minutes=2))
    alive = SolveRun(tour=b, state=SolveState.RUNNING, heartbeat_at=ago())
    lost = SolveRun(tour=c, state=SolveState.QUEUED, created_at=ago(hours=2))
    waiting = SolveRun(tour=d, state=SolveState.QUEUED, created_at=ago(minutes=5))
    db.session.add_all([dead, alive, lost, waiting])
    db.session.commit()
    assert runs.mark_stale_failed() == 2
    db.session.commit()  # a fresh snapshot
    assert dead.state == SolveState.FAILED and "no sign of life for 60 s" in dead.error
    assert lost.state == SolveState.FAILED and "No worker started" in lost.error
    assert (alive.state, waiting.state) == (SolveState.RUNNING, SolveState.QUEUED)
    assert runs.start(tour, 5, "a").state == SolveState.QUEUED


def test_starting_the_app_sweeps_runs_a_dead_process_left_running(app, app_config, make):
    tour, _, _ = small_tour(make)
    dead = SolveRun(tour=tour, state=SolveState.RUNNING, heartbeat_at=ago(minutes=5))
    db.session.add(dead)
    db.session.commit()
    restarted = create_app(app_config)  # a restarted web process
    with restarted.app_context():
        db.engine.dispose()
    db.session.commit()  # a fresh snapshot
    assert dead.state == SolveState.FAILED


# -- pages -------------------------------------------------------------------------------------


def test_solve_page_requires_login(client, make):
    make.tour()
    response = client.get("/coordinator/tours/spring-2027/solve")
    assert response.status_code == 302 and "/coordinator/login" in response.location


def test_solve_button_runs_in_the_background_and_the_page_shows_the_result(
    app, client, auth, make
):
    auth.login()
    tour, _, requests = small_tour(make)
    response = client.post("/coordinator/tours/spring-2027/solve", data={"time_limit": "5"})
    assert response.status_code == 302
    db.session.commit()  # the client shares this test's session: end the request's transaction
    run = db.session.scalars(select(SolveRun)).one()
    assert run.created_by == "coord@example.org" and run.job_id == f"solve-{run.id}"
    executor().join(run.id, timeout=30)
    db.session.commit()  # see what the worker wrote (this session's snapshot predates it)
    status = client.get(f"/coordinator/tours/spring-2027/solve/runs/{run.id}.json").get_json()
    assert status["state"] == "succeeded" and status["served_weight"] == 3
    assert status["finished"] is True
    page = client.get("/coordinator/tours/spring-2027/solve").get_data(as_text=True)
    assert "3 of 3 requests assigned" in page


def test_second_solve_while_one_runs_says_so(app, client, auth, make):
    auth.login()
    tour, _, _ = small_tour(make)
    runs.start(tour, 5, "someone@example.org")
    response = client.post(
        "/coordinator/tours/spring-2027/solve", data={"time_limit": "5"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "already running" in page
    assert db.session.scalar(select(db.func.count(SolveRun.id))) == 1


def test_running_page_refreshes_itself_and_offers_cancel(app, client, auth, make):
    auth.login()
    tour, _, _ = small_tour(make)
    run = runs.start(tour, 5, "a")
    page = client.get("/coordinator/tours/spring-2027/solve").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "Cancel" in page
    assert "<script>" not in page and 'src="/static/js/solve-progress.js"' in page
    response = client.post(f"/coordinator/tours/spring-2027/solve/runs/{run.id}/cancel")
    assert response.status_code == 302
    db.session.commit()  # a fresh snapshot
    assert db.session.get(SolveRun, run.id).state == SolveState.CANCELLED


def test_bad_time_limit_is_shown_beside_the_field(app, client, auth, make):
    auth.login()
    small_tour(make)
    response = client.post("/coordinator/tours/spring-2027/solve", data={"time_limit": "0"})
    assert response.status_code == 200
    assert "between 1 and 3600" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(SolveRun.id))) == 0


def test_failed_run_shows_its_error(app, client, auth, make):
    auth.login()
    tour, _, requests = small_tour(make)
    requests[0].priority = 9
    db.session.commit()
    run_solve(runs.start(tour, 5, "a").id)
    page = client.get("/coordinator/tours/spring-2027/solve").get_data(as_text=True)
    assert "failed" in page and "priority" in page


def test_status_of_another_tours_run_is_not_found(app, client, auth, make):
    auth.login()
    tour, _, _ = small_tour(make)
    make.tour(slug="other")
    run = runs.start(tour, 5, "a")
    assert client.get(f"/coordinator/tours/other/solve/runs/{run.id}.json").status_code == 404


# -- command line ------------------------------------------------------------------------------


def test_cli_solve_prints_progress_on_stderr_and_a_summary_on_stdout(app, runner, make):
    small_tour(make)
    result = runner.invoke(args=["tour", "solve", "spring-2027", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "served weight" in result.stderr and "gap" in result.stderr
    assert result.stdout.startswith("Run #1 succeeded: OPTIMAL, 3 of 3 requests assigned")
    assert db.session.scalar(
        select(db.func.count(Assignment.id)).where(Assignment.state == AssignmentState.PROPOSED)
    ) == 3


def test_cli_solve_publish_confirms_the_proposal(app, runner, make):
    small_tour(make)
    result = runner.invoke(args=["tour", "solve", "spring-2027", "--time-limit", "5", "--publish"])
    assert result.exit_code == 0, result.output
    assert "Published version 1" in result.stdout
    assert db.session.scalars(select(ScheduleVersion)).one().number == 1
    confirmed = db.session.scalars(
        select(Assignment).where(Assignment.state == AssignmentState.CONFIRMED)
    )
    assert len(list(confirmed)) == 3


def test_cli_solve_refuses_while_a_run_is_active_and_unknown_tours(app, runner, make):
    tour, _, _ = small_tour(make)
    runs.start(tour, 5, "a")
    busy = runner.invoke(args=["tour", "solve", "spring-2027"])
    assert busy.exit_code == 1 and "already running" in busy.stderr
    unknown = runner.invoke(args=["tour", "solve", "nope"])
    assert unknown.exit_code == 2 and 'no tour with slug "nope"' in unknown.stderr

"""Reminders: an unfinished advance N days before the event, the report request the day after;
each sent once, under a re-run and under two runs at the same moment."""

import threading
from datetime import UTC, date, datetime

import pytest

from scheduler.extensions import db
from scheduler.models import EventAdvance, EventReport, ReminderSent
from scheduler.services import reminders
from tests.mailbox import outbox

EVENT_DAY = date(2027, 3, 10)  # at a Los Angeles venue, 7 PM


def at(day: date, hour: int = 20) -> datetime:
    """A moment on ``day`` in Los Angeles (UTC hour 20 is noon there)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _event(make, **fields):
    tour = make.tour()
    chapter_request = make.request(tour, contact_email="jo@ucla.example.edu", **fields)
    make.assignment(chapter_request, make.speaker(tour), EVENT_DAY)
    return tour, chapter_request


def test_an_unfinished_advance_is_reminded_14_days_before_once(app, make):
    _, chapter_request = _event(make)
    assert reminders.send_due(now=at(date(2027, 2, 23))) == 0  # 15 days before
    assert reminders.send_due(now=at(date(2027, 2, 24))) == 1
    assert reminders.send_due(now=at(date(2027, 2, 24))) == 0
    assert reminders.send_due(now=at(date(2027, 2, 27))) == 0
    [message] = outbox(app)
    assert message["To"] == "jo@ucla.example.edu"
    assert "in 14 days" in message["Subject"]
    body = message.get_content()
    assert f"http://localhost/r/{chapter_request.token}/advance" in body
    assert "the host's mobile number" in body and "Wednesday, March 10, 2027" in body


def test_then_5_days_before_and_a_late_first_run_sends_only_the_nearer_one(app, make):
    _event(make)
    assert reminders.send_due(now=at(date(2027, 3, 6))) == 1  # 4 days before: the 5-day step
    assert reminders.send_due(now=at(date(2027, 3, 7))) == 0
    steps = db.session.execute(db.select(ReminderSent.step)).scalars().all()
    assert steps == ["advance-5"]
    assert "in 5 days" in outbox(app)[0]["Subject"]


def test_a_complete_advance_gets_no_reminder(app, make):
    _, chapter_request = _event(make)
    db.session.add(EventAdvance(
        request=chapter_request, host_name="Jo", host_phone="+1 310 555 0100", building="Hall",
        room="1", arrival_time=datetime(2027, 3, 10, 17, 30).time(), interpreter="no",
        lodging="none", consent_acknowledged=True))
    db.session.commit()
    assert reminders.send_due(now=at(date(2027, 3, 6))) == 0


def test_the_report_is_asked_for_the_day_after_once_and_not_once_filed(app, make):
    tour, chapter_request = _event(make, chapter_name="LiNK at UCLA")
    other = make.request(tour, chapter_name="LiNK at Filed", contact_email="filed@x.edu")
    make.assignment(other, tour.speakers[0], EVENT_DAY)
    db.session.add(EventReport(request=other, outcome="held", attendance=10))
    db.session.commit()
    assert reminders.send_due(now=at(EVENT_DAY)) == 0  # the day itself
    assert reminders.send_due(now=at(date(2027, 3, 11))) == 1
    assert reminders.send_due(now=at(date(2027, 3, 12))) == 0
    [message] = outbox(app)
    assert message["To"] == "jo@ucla.example.edu"
    assert f"/r/{chapter_request.token}/report" in message.get_content()


def test_two_runs_at_the_same_moment_send_each_reminder_once(app, make, monkeypatch):
    """Both runs find the reminder due, then both try to claim it at once: one mail leaves."""
    _event(make)
    both_found_it_due = threading.Barrier(2, timeout=10)
    claim = reminders._claim

    def claim_together(request_id, step):
        both_found_it_due.wait()
        return claim(request_id, step)

    monkeypatch.setattr(reminders, "_claim", claim_together)
    counts, failures = [], []

    def run():
        try:
            with app.app_context():
                counts.append(reminders.send_due(now=at(date(2027, 2, 24))))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(counts) == [0, 1]
    assert len(outbox(app)) == 1
    assert db.session.scalar(db.select(db.func.count(ReminderSent.id))) == 1


def test_a_mail_that_cannot_leave_is_tried_again_next_run(app, make, monkeypatch):
    _event(make)

    def refuse(messages):
        raise OSError("connection refused")

    monkeypatch.setattr(reminders.mail, "send", refuse)
    with pytest.raises(OSError):
        reminders.send_due(now=at(date(2027, 2, 24)))
    assert db.session.scalar(db.select(db.func.count(ReminderSent.id))) == 0
    monkeypatch.undo()
    assert reminders.send_due(now=at(date(2027, 2, 24))) == 1


def test_the_cli_and_the_button_send_what_is_due(app, client, auth, runner, make, monkeypatch):
    tour, _ = _event(make)
    result = runner.invoke(args=["tour", "remind"])
    assert result.exit_code == 0, result.output
    assert "No reminder is due." in result.output  # today is long before the 2027 event

    monkeypatch.setattr(reminders, "venue_today", lambda timezone, now=None: date(2027, 3, 11))
    result = runner.invoke(args=["tour", "remind"])
    assert "1 reminder(s) sent." in result.output
    auth.login()
    response = client.post(f"/coordinator/tours/{tour.slug}/advance/remind",
                           follow_redirects=True)
    assert "No reminder was due" in response.get_data(as_text=True)
    page = client.get(f"/coordinator/tours/{tour.slug}/advance").get_data(as_text=True)
    assert ">report</td>" in page  # the step sent, beside the event


def test_the_reminder_days_are_a_tour_setting(client, auth, make):
    tour, _ = _event(make)
    auth.login()
    url = f"/coordinator/tours/{tour.slug}/advance/reminder-days"
    bad = client.post(url, data={"days": "soon"})
    assert bad.status_code == 400
    assert "Give whole numbers of days separated by commas" in bad.get_data(as_text=True)
    assert 'value="soon"' in bad.get_data(as_text=True)
    client.post(url, data={"days": "3 21,7"})
    assert tour.advance_reminder_days == "21, 7, 3"
    assert reminders.reminder_days(tour) == [21, 7, 3]

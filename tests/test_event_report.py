"""The event report: the chapter files it from the event's day at the venue; coordinators enter
or correct it, and the audit log keeps who changed what."""

from datetime import timedelta

from scheduler.extensions import db
from scheduler.models import AuditEntry, EventReport
from scheduler.services import event_reports
from scheduler.services.consent import venue_today

VENUE_ZONE = "Pacific/Kiritimati"  # UTC+14: its "today" is often a date ahead of the server's
REPORT = {"outcome": "held", "attendance": "140", "funds": "1250.50", "signups": "23",
          "note": "Full room; the Q&A ran long."}


def _event_on(make, day, **fields):
    tour = make.tour()
    speaker = make.speaker(tour)
    chapter_request = make.request(tour, timezone=VENUE_ZONE, **fields)
    make.assignment(chapter_request, speaker, day)
    return tour, chapter_request


def test_the_report_opens_on_the_event_day_at_the_venue(client, make):
    tomorrow_there = venue_today(VENUE_ZONE) + timedelta(days=1)
    _, chapter_request = _event_on(make, tomorrow_there)
    page = client.get(f"/r/{chapter_request.token}/report")
    assert page.status_code == 200
    assert "The report opens on the day of your event" in page.get_data(as_text=True)
    refused = client.post(f"/r/{chapter_request.token}/report", data=REPORT)
    assert refused.status_code == 400
    assert db.session.scalar(db.select(EventReport)) is None


def test_on_the_day_the_chapter_files_its_report(client, make):
    _, chapter_request = _event_on(make, venue_today(VENUE_ZONE))
    response = client.post(f"/r/{chapter_request.token}/report", data=REPORT)
    assert response.status_code == 303
    report = event_reports.report_of(chapter_request)
    assert (report.outcome, report.attendance, report.funds_cents, report.signups) == (
        "held", 140, 125050, 23)
    assert report.note == "Full room; the Q&A ran long."
    page = client.get(f"/r/{chapter_request.token}/report").get_data(as_text=True)
    assert "Your report is in" in page and 'value="1250.50"' in page


def test_a_bad_report_is_refused_beside_each_field_with_the_input_kept(client, make):
    _, chapter_request = _event_on(make, venue_today(VENUE_ZONE) - timedelta(days=1))
    data = {"attendance": "-5", "funds": "lots", "signups": "", "note": "kept\x00"}
    response = client.post(f"/r/{chapter_request.token}/report", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose what happened." in page
    assert "Enter a whole number from 0 to 100,000." in page
    assert "Enter an amount in US dollars, like 1250.50." in page
    assert "Enter how many signed up (0 if none)." in page
    assert "Remove the control characters." in page
    assert 'value="-5"' in page
    assert db.session.scalar(db.select(EventReport)) is None
    too_much = client.post(f"/r/{chapter_request.token}/report",
                           data={**REPORT, "funds": "20000000"})
    assert "Enter an amount from 0 to 10,000,000 US dollars." in too_much.get_data(as_text=True)


def test_a_coordinator_corrects_a_report_and_the_audit_log_keeps_who_changed_what(
    client, auth, make
):
    tour, chapter_request = _event_on(make, venue_today(VENUE_ZONE) - timedelta(days=2))
    client.post(f"/r/{chapter_request.token}/report", data=REPORT)
    auth.login(email="boss@example.org")
    url = f"/coordinator/tours/{tour.slug}/events/{chapter_request.id}/report"
    form = client.get(url).get_data(as_text=True)
    assert 'value="140"' in form
    response = client.post(url, data={**REPORT, "attendance": "104", "funds": "1350"})
    assert response.status_code == 303

    report = event_reports.report_of(chapter_request)
    assert (report.attendance, report.funds_cents) == (104, 135000)
    entries = db.session.execute(
        db.select(AuditEntry).filter_by(entity="event_report").order_by(AuditEntry.id)
    ).scalars().all()
    assert [(e.actor, e.action) for e in entries] == [
        ("chapter", "created"), ("boss@example.org", "changed")]
    assert entries[1].before == {"attendance": 140, "funds_cents": 125050}
    assert entries[1].after == {"attendance": 104, "funds_cents": 135000}
    assert entries[1].tour_id == tour.id
    overview = client.get(f"/coordinator/tours/{tour.slug}/advance").get_data(as_text=True)
    assert "104 came · $1,350.00 · 23 sign-ups" in overview


def test_a_coordinator_enters_a_report_for_a_chapter_that_filed_none(client, auth, make):
    tour, chapter_request = _event_on(make, venue_today(VENUE_ZONE) + timedelta(days=3))
    auth.login()
    url = f"/coordinator/tours/{tour.slug}/events/{chapter_request.id}/report"
    client.post(url, data={**REPORT, "outcome": "speaker-did-not-arrive", "attendance": "0"})
    assert event_reports.report_of(chapter_request).outcome == "speaker-did-not-arrive"
    other_tour = make.tour(slug="autumn", name="Autumn")
    wrong = f"/coordinator/tours/{other_tour.slug}/events/{chapter_request.id}/report"
    assert client.get(wrong).status_code == 404

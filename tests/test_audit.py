from datetime import date

from scheduler.extensions import db
from scheduler.models import AuditEntry


def _entries(entity):
    return db.session.execute(
        db.select(AuditEntry).filter_by(entity=entity).order_by(AuditEntry.id)
    ).scalars().all()


def test_changing_a_request_is_logged_from_what_to_what(app, make):
    tour = make.tour()
    request = make.request(tour, priority=1)
    request.priority = 4
    db.session.commit()
    change = _entries("request")[-1]
    assert change.action == "changed"
    assert change.before == {"priority": 1}
    assert change.after == {"priority": 4}
    assert change.actor == "system"
    assert change.tour_id == tour.id


def test_audit_log_never_stores_secret_tokens(app, make):
    request = make.request(make.tour())
    created = _entries("request")[0]
    assert created.action == "created"
    assert "token" not in created.after
    assert request.token not in str(created.after)


def test_coordinator_reads_who_changed_an_event_in_names_and_dates(app, client, auth, make):
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Grace")
    request = make.request(tour, chapter_name="LiNK at UCLA")
    row = make.assignment(request, speaker, date(2027, 3, 10))
    auth.login(email="boss@example.org")
    client.post(f"/coordinator/tours/{tour.slug}/review/requests/{request.id}/unassign")
    page = client.get(f"/coordinator/tours/{tour.slug}/audit").get_data(as_text=True)
    assert "Created event of LiNK at UCLA (Royce Hall, Los Angeles)" in page
    assert "<dt>speaker</dt><dd>Grace</dd><dt>date</dt><dd>Wed, Mar 10, 2027</dd>" in page
    assert "<dt>timezone</dt><dd>Pacific Time</dd>" in page
    assert "<dt>language</dt><dd>English</dd>" in page
    assert "boss@example.org" in page
    assert "Changed request" not in page  # a new event is not a change of its request
    # no ids, no ISO dates, no bookkeeping columns
    assert "2027-03-10" not in page and "speaker_id" not in page
    assert "request_id" not in page and f"#{row.id}" not in page


def test_audit_log_requires_login(client, make):
    tour = make.tour()
    response = client.get(f"/coordinator/tours/{tour.slug}/audit")
    assert response.status_code == 302

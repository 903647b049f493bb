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


def test_coordinator_reads_who_changed_an_assignment(app, client, auth, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10))
    auth.login(email="boss@example.org")
    page = client.get(f"/coordinator/tours/{tour.slug}/audit")
    assert page.status_code == 200
    assert b"created assignment" in page.data
    assert b"2027-03-10" in page.data


def test_audit_log_requires_login(client, make):
    tour = make.tour()
    response = client.get(f"/coordinator/tours/{tour.slug}/audit")
    assert response.status_code == 302

"""Publishing: one transaction, raised sequences, numbered versions, mail to changed chapters."""

from datetime import date, timedelta

import pytest

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, ScheduleVersion, TourState
from scheduler.services import editing, publishing
from scheduler.services.requests import closed_reason
from scheduler.services.versions import changes_between, version
from tests.mailbox import empty_outbox, outbox

BOSTON = {
    "lat": 42.3601,
    "lon": -71.0589,
    "city": "Boston, Massachusetts",
    "timezone": "America/New_York",
    "venue_name": "Marsh Chapel",
}


@pytest.fixture
def tour(app, make):
    return make.tour()


def confirm(client, tour):
    """Open the preview and press its publish button, as a coordinator does."""
    fingerprint = publishing.preview(tour).fingerprint
    return client.post(
        f"/coordinator/tours/{tour.slug}/publish",
        data={"fingerprint": fingerprint},
        follow_redirects=True,
    )


def rows(request, state):
    return [a for a in request.assignments if a.state == state]


def test_publish_confirms_the_proposal_and_records_version_one(app, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)

    version = publishing.publish(tour, "coord@example.org")

    assert [a.state for a in request.assignments] == [AssignmentState.CONFIRMED]
    assert tour.state == TourState.OPEN
    assert (version.number, version.published_by) == (1, "coord@example.org")
    assert version.assignments[0]["date"] == "2027-03-10"
    assert version.assignments[0]["speaker"] == "Speaker A"


def test_moving_a_published_event_cancels_the_old_row_and_raises_the_sequence(app, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)))
    old = make.assignment(request, speaker, date(2027, 3, 10), sequence=0)
    editing.move(request, speaker, date(2027, 3, 12))

    version = publishing.publish(tour, "coord@example.org")

    new = request.assignment_in(AssignmentState.CONFIRMED)
    assert old.state == AssignmentState.CANCELLED and old.cancelled_at is not None
    assert new.date == date(2027, 3, 12)
    assert new.sequence > old.sequence > 0
    assert [c.kind for c in changes_between(None, version)] == ["added"]


def test_an_unchanged_proposed_row_does_not_touch_the_confirmed_event(app, make, tour):
    speaker = make.speaker(tour)
    request = make.request(tour)
    confirmed = make.assignment(request, speaker, date(2027, 3, 10), sequence=3)
    make.assignment(
        request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED, pinned=True
    )

    publishing.publish(tour, "coord@example.org")

    assert request.assignments == [confirmed]
    assert (confirmed.sequence, confirmed.pinned) == (3, True)
    assert outbox(app) == []


def test_unassigned_and_withdrawn_requests_have_their_published_event_cancelled(app, make, tour):
    speaker = make.speaker(tour)
    dropped = make.request(tour, chapter_name="Dropped")
    withdrawn = make.request(tour, chapter_name="Withdrawn", dates=(date(2027, 3, 20),))
    first = make.assignment(dropped, speaker, date(2027, 3, 10))
    second = make.assignment(withdrawn, speaker, date(2027, 3, 20))
    editing.unassign(dropped)
    withdrawn.state = "withdrawn"
    db.session.commit()

    publishing.publish(tour, "coord@example.org")

    assert first.state == second.state == AssignmentState.CANCELLED
    assert rows(dropped, AssignmentState.DROPPED) == []
    assert sorted(m["Subject"] for m in outbox(app)) == [
        "Your event on Saturday, March 20, 2027 is cancelled",
        "Your event on Wednesday, March 10, 2027 is cancelled",
    ]


def test_a_failure_mid_way_leaves_the_schedule_unchanged_and_sends_nothing(
    app, make, tour, monkeypatch
):
    speaker = make.speaker(tour)
    moved = make.request(tour, chapter_name="Moved", dates=(date(2027, 3, 10), date(2027, 3, 12)))
    added = make.request(tour, chapter_name="Added", dates=(date(2027, 3, 20),))
    make.assignment(moved, speaker, date(2027, 3, 10))
    make.assignment(added, speaker, date(2027, 3, 20), state=AssignmentState.PROPOSED)
    editing.move(moved, speaker, date(2027, 3, 12))
    calls = []

    def cancel_then_fail(assignment):
        calls.append(assignment)
        raise RuntimeError("disk full")

    monkeypatch.setattr(publishing, "cancel", cancel_then_fail)
    with pytest.raises(RuntimeError):
        publishing.publish(tour, "coord@example.org")

    db.session.expire_all()
    assert calls
    states = sorted(
        (a.request.chapter.name, a.state, a.date)
        for a in db.session.execute(db.select(Assignment)).scalars()
    )
    assert states == [
        ("Added", AssignmentState.PROPOSED, date(2027, 3, 20)),
        ("Moved", AssignmentState.CONFIRMED, date(2027, 3, 10)),
        ("Moved", AssignmentState.PROPOSED, date(2027, 3, 12)),
    ]
    assert db.session.execute(db.select(ScheduleVersion)).first() is None
    assert tour.state == TourState.OPEN
    assert outbox(app) == []


def test_only_chapters_whose_event_changed_are_emailed_with_their_details(app, make, tour):
    ana = make.speaker(tour, display_name="Ana", full_name="Secret Fullname")
    ben = make.speaker(tour, display_name="Ben", full_name="Other Secret")
    same = make.request(tour, chapter_name="Same", contact_email="same@example.edu")
    boston = make.request(
        tour,
        chapter_name="BU",
        contact_email="bu@example.edu",
        dates=(date(2027, 3, 20), date(2027, 3, 22)),
        **BOSTON,
    )
    make.assignment(same, ana, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    make.assignment(boston, ana, date(2027, 3, 20), state=AssignmentState.PROPOSED)
    publishing.publish(tour, "coord@example.org")
    assert sorted(m["To"] for m in outbox(app)) == ["bu@example.edu", "same@example.edu"]
    empty_outbox(app)
    editing.move(boston, ben, date(2027, 3, 22))

    version = publishing.publish(tour, "coord@example.org")

    [message] = outbox(app)
    body = message.get_content()
    assert message["To"] == "bu@example.edu"
    assert message["Subject"] == "New speaker for your event: Monday, March 22, 2027"
    assert "Monday, March 22, 2027, 7:00\u202fPM Eastern Time" in body
    assert "Marsh Chapel, Boston, Massachusetts" in body
    assert "Speaker:    Ben" in body
    assert "Secret" not in body
    assert f"http://localhost/r/{boston.token}" in body
    assert f"http://localhost/feeds/chapter/{boston.token}.ics" in body
    assert version.number == 2


def test_versions_diff_names_added_moved_reassigned_and_cancelled(app, make, tour):
    ana = make.speaker(tour, display_name="Ana")
    ben = make.speaker(tour, display_name="Ben")
    requests = {
        name: make.request(
            tour, chapter_name=name, dates=(date(2027, 3, day), date(2027, 3, day + 1))
        )
        for name, day in (("moved", 2), ("reassigned", 9), ("cancelled", 16), ("added", 23))
    }
    make.assignment(requests["moved"], ana, date(2027, 3, 2))
    make.assignment(requests["reassigned"], ana, date(2027, 3, 9))
    make.assignment(requests["cancelled"], ana, date(2027, 3, 16))
    first = publishing.publish(tour, "a@example.org")
    editing.move(requests["moved"], ana, date(2027, 3, 3))
    editing.move(requests["reassigned"], ben, date(2027, 3, 9))
    editing.unassign(requests["cancelled"])
    editing.move(requests["added"], ben, date(2027, 3, 23))

    second = publishing.publish(tour, "b@example.org")

    changes = changes_between(first, second)
    assert sorted((c.kind, c.current["chapter"]) for c in changes) == [
        ("added", "added"),
        ("cancelled", "cancelled"),
        ("moved", "moved"),
        ("re-assigned", "reassigned"),
    ]
    moved = next(c for c in changes if c.kind == "moved")
    assert (moved.before["date"], moved.after["date"]) == ("2027-03-02", "2027-03-03")
    assert version(tour, 2).published_by == "b@example.org"
    assert len(outbox(app)) == 4  # version 1 only recorded rows that were already confirmed


def test_versions_page_lists_versions_and_compares_any_two(client, auth, app, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    request = make.request(tour, chapter_name="Kept", dates=(date(2027, 3, 2), date(2027, 3, 3)))
    make.assignment(request, speaker, date(2027, 3, 2), state=AssignmentState.PROPOSED)
    confirm(client, tour)
    editing.move(request, speaker, date(2027, 3, 3))
    response = confirm(client, tour)
    page = response.get_data(as_text=True)
    assert "Published version 2: 1 change" in page
    assert "Version 1" in page and "coord@example.org" in page
    assert "moved" in page

    compared = client.get(f"/coordinator/tours/{tour.slug}/versions?old=0&new=2")
    assert "added" in compared.get_data(as_text=True)
    assert client.get(f"/coordinator/tours/{tour.slug}/versions?new=9").status_code == 404


def test_publishing_an_unchanged_proposal_again_records_no_new_version(client, auth, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    request = make.request(tour)
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    confirm(client, tour)

    response = confirm(client, tour)

    assert "Nothing to publish: the proposal is the published schedule." in response.get_data(
        as_text=True
    )
    assert [v.number for v in db.session.execute(db.select(ScheduleVersion)).scalars()] == [1]


def test_the_preview_lists_each_change_and_the_email_each_chapter_gets(client, auth, make, tour):
    auth.login()
    ana = make.speaker(tour, display_name="Ana")
    request = make.request(tour, chapter_name="Cornell KSA", contact_email="ksa@cornell.edu")
    make.request(tour, chapter_name="No Address", contact_email="", dates=(date(2027, 3, 20),))
    make.assignment(request, ana, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    make.assignment(
        tour.requests[1], ana, date(2027, 3, 20), state=AssignmentState.PROPOSED
    )

    page = client.get(f"/coordinator/tours/{tour.slug}/publish").get_data(as_text=True)

    assert "Cornell KSA" in page and "Wed, Mar 10, 2027 · Ana" in page
    assert "ksa@cornell.edu" in page
    assert "Your event is scheduled: Wednesday, March 10, 2027" in page
    assert "No email for 1 chapter without a contact address: No Address." in page
    assert "Publish version 1 and send 1 email" in page
    assert db.session.execute(db.select(ScheduleVersion)).first() is None


def test_with_nothing_to_publish_the_preview_has_no_button(client, auth, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10))

    page = client.get(f"/coordinator/tours/{tour.slug}/publish").get_data(as_text=True)
    review = client.get(f"/coordinator/tours/{tour.slug}/review").get_data(as_text=True)

    assert "Nothing to publish" in page
    assert "<button" not in page.split('<main', 1)[1]
    assert "Preview and publish" not in review


def test_a_draft_edited_after_the_preview_is_not_published_unseen(client, auth, app, make, tour):
    auth.login()
    speaker = make.speaker(tour)
    request = make.request(tour, dates=(date(2027, 3, 10), date(2027, 3, 12)))
    make.assignment(request, speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    seen = publishing.preview(tour).fingerprint
    editing.move(request, speaker, date(2027, 3, 12))

    response = client.post(
        f"/coordinator/tours/{tour.slug}/publish",
        data={"fingerprint": seen},
        follow_redirects=True,
    )

    assert "Not published: the proposal changed after you opened this preview" in (
        response.get_data(as_text=True)
    )
    assert db.session.execute(db.select(ScheduleVersion)).first() is None
    assert outbox(app) == []


def test_the_tour_still_takes_requests_after_publishing_until_its_deadline(
    client, auth, make
):
    tour = make.tour(request_deadline=date.today() + timedelta(days=10))
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    auth.login()

    confirm(client, tour)

    assert [v.number for v in tour.versions] == [1]
    assert tour.state == TourState.OPEN
    assert closed_reason(tour) is None
    assert client.get(f"/tours/{tour.slug}/request").status_code == 200
    after_deadline = date.today() + timedelta(days=11)
    assert "Requests for this tour closed on" in closed_reason(tour, after_deadline)


def test_a_chapter_left_out_of_the_schedule_is_told_and_a_later_one_waits_for_the_next_solve(
    client, auth, make
):
    tour = make.tour(request_deadline=date.today() + timedelta(days=10))
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10), state=AssignmentState.PROPOSED)
    left_out = make.request(tour, chapter_name="LiNK at Tufts")
    auth.login()
    confirm(client, tour)
    later = make.request(tour, chapter_name="LiNK at Emerson")

    assert "we could not fit your event" in client.get(f"/r/{left_out.token}").get_data(
        as_text=True
    )
    page = client.get(f"/r/{later.token}").get_data(as_text=True)
    assert "we could not fit your event" not in page
    assert "We have your request" in page

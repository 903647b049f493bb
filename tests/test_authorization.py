"""Every route, every role, every method: who may reach what, and that nothing leaks.

The speakers' emergency contacts are planted as secrets of the coordinators, and each speaker
chose another public name than the display name, so no chapter may ever read a display name.

The matrix names each endpoint of ``app.url_map`` with the kind of key that opens it. A route
added without an entry here fails ``test_every_route_is_in_the_matrix``. Each case runs on a
fresh database holding two chapters and two speakers, and every page a role can open is searched
for the private data of the others.
"""

from datetime import date

import pytest
from flask import g
from werkzeug.security import generate_password_hash

from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import (
    CoordinatorUser,
    EventAdvance,
    PhotoConsent,
    PublicNaming,
    SolveRun,
    SpeakerUnavailability,
)

ROLES = ("anonymous", "chapter_a", "chapter_b", "speaker_one", "coordinator")
UNKNOWN_TOKEN = "aW52YWxpZC10b2tlbi10aGF0LWlzLWxvbmctZW5vdWdo"
PASSWORD_HASH = generate_password_hash("correct horse")

MATRIX = {
    "static": "public",
    "healthz": "public",
    "favicon": "public",
    "public.index": "public",
    "public.tour_detail": "public",
    "public.new_request": "public",
    "public.city_search": "public",
    "public.lost_link": "public",
    "public.request_created": "chapter",
    "public.request_view": "chapter",
    "public.edit_request": "chapter",
    "public.withdraw_request": "chapter",
    "public.event_notice": "chapter",
    "public.event_advance": "chapter",
    "public.event_report": "chapter",
    "feeds.chapter_feed": "chapter",
    "feeds.speaker_feed": "speaker",
    "feeds.tour_feed": "tour_feed",
    "speakers.itinerary": "speaker",
    "speakers.unavailable_dates": "speaker",
    "speakers.remove_unavailable": "speaker",
    "speakers.choose_language": "speaker",
    "speakers.consent": "speaker",
    "speakers.check_in": "speaker",
    "speakers.day_sheet": "speaker",
    "coordinator.login": "login",
    "coordinator.logout": "coordinator",
    "coordinator.dashboard": "coordinator",
    "coordinator.audit_log": "coordinator",
    "coordinator.tour_new": "coordinator",
    "coordinator.tour_detail": "coordinator",
    "coordinator.tour_edit": "coordinator",
    "coordinator.speakers": "coordinator",
    "coordinator.speaker_new": "coordinator",
    "coordinator.speaker_edit": "coordinator",
    "coordinator.speaker_send_link": "coordinator",
    "coordinator.requests": "coordinator",
    "coordinator.requests_csv": "coordinator",
    "coordinator.request_priorities": "coordinator",
    "coordinator.solve": "coordinator",
    "coordinator.solve_status": "coordinator",
    "coordinator.solve_cancel": "coordinator",
    "coordinator.review": "coordinator",
    "coordinator.tour_calendar": "coordinator",
    "coordinator.place_event": "coordinator",
    "coordinator.unassign_event": "coordinator",
    "coordinator.pin_event": "coordinator",
    "coordinator.undo_edit": "coordinator",
    "coordinator.publish_preview": "coordinator",
    "coordinator.publish": "coordinator",
    "coordinator.versions": "coordinator",
    "coordinator.exports": "coordinator",
    "coordinator.export_schedule_csv": "coordinator",
    "coordinator.export_solution_json": "coordinator",
    "coordinator.itinerary": "coordinator",
    "coordinator.today": "coordinator",
    "coordinator.advance_overview": "coordinator",
    "coordinator.advance_reminder_days": "coordinator",
    "coordinator.send_reminders": "coordinator",
    "coordinator.event_report_edit": "coordinator",
    "coordinator.tour_results": "coordinator",
    "coordinator.tour_results_csv": "coordinator",
    "coordinator.rescue_cost": "coordinator",
    "coordinator.tour_feeds": "coordinator",
    "coordinator.rotate_speaker_feed_token": "coordinator",
}

# What each kind of route answers a role that holds no key to it.
REFUSAL = {
    "chapter": 404,  # a token that opens nothing looks like a page that never existed
    "speaker": 404,
    "coordinator": "login",
    "tour_feed": 403,
}
ALLOWED = {
    "public": set(ROLES),
    "login": set(ROLES),
    "chapter": {"chapter_a", "chapter_b"},
    "speaker": {"speaker_one"},
    "coordinator": {"coordinator"},
    "tour_feed": {"coordinator"},
}

# Private strings planted in the world, and the roles allowed to see each.
SECRETS = {
    "Kim Secret-One": {"coordinator", "speaker_one"},
    "one@private.example": {"coordinator", "speaker_one"},
    "Hometown-One": {"coordinator", "speaker_one"},
    "Lee Secret-Two": {"coordinator"},
    "two@private.example": {"coordinator"},
    "Hometown-Two": {"coordinator"},
    "Emergency-One": {"coordinator"},
    "Emergency-Two": {"coordinator"},
    # Display names: each speaker chose a first name or a pseudonym for the public.
    "Speaker Hana": {"coordinator", "speaker_one"},
    "Speaker Min": {"coordinator"},
    "alice@a.example.edu": {"coordinator", "chapter_a", "speaker_one"},
    "Venue-A-Hall": {"coordinator", "chapter_a", "speaker_one"},
    "bob@b.example.edu": {"coordinator", "chapter_b"},
    "Venue-B-Hall": {"coordinator", "chapter_b"},
    # The hosts of the day from each chapter's advance: the speaker reads only their own host.
    "Host-A-Person": {"coordinator", "chapter_a", "speaker_one"},
    "+1 555 0100 111": {"coordinator", "chapter_a", "speaker_one"},
    "Host-B-Person": {"coordinator", "chapter_b"},
    "+1 555 0100 222": {"coordinator", "chapter_b"},
}


def _rules():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    return list(app.url_map.iter_rules())


def _reads():
    """GET changes nothing, so one world serves every role."""
    return [pytest.param(rule.endpoint, id=rule.endpoint)
            for rule in _rules() if "GET" in rule.methods]


def _writes():
    """Other methods may change the world, so each role gets a fresh one."""
    return [
        pytest.param(rule.endpoint, method, role, id=f"{rule.endpoint}-{method}-{role}")
        for rule in _rules()
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
        for role in ROLES
    ]


@pytest.fixture
def world(app, make):
    tour = make.tour(slug="spring-2027")
    one = make.speaker(tour, display_name="Speaker Hana", full_name="Kim Secret-One",
                       contact_email="one@private.example", home_city="Hometown-One",
                       emergency_contact="Emergency-One", public_naming=PublicNaming.FIRST_NAME,
                       first_name="Hana", photo_consent=PhotoConsent.NO_FACES)
    two = make.speaker(tour, display_name="Speaker Min", full_name="Lee Secret-Two",
                       contact_email="two@private.example", home_city="Hometown-Two",
                       emergency_contact="Emergency-Two", public_naming=PublicNaming.PSEUDONYM,
                       pseudonym="Morning Star", livestream_consent=True)
    chapter_a = make.request(tour, dates=(date(2027, 3, 10),), chapter_name="LiNK at A",
                             contact_email="alice@a.example.edu", venue_name="Venue-A-Hall")
    chapter_b = make.request(tour, dates=(date(2027, 3, 12),), chapter_name="LiNK at B",
                             contact_email="bob@b.example.edu", venue_name="Venue-B-Hall",
                             lat=40.7, lon=-74.0, timezone="America/New_York")
    talk = make.assignment(chapter_a, one, date(2027, 3, 10))
    make.assignment(chapter_b, two, date(2027, 3, 12))
    mark = SpeakerUnavailability(speaker=one, date=date(2027, 4, 1), marked_by="speaker")
    run = SolveRun(tour=tour, state="succeeded", result=None)
    advances = [
        EventAdvance(request=chapter_a, host_name="Host-A-Person", host_phone="+1 555 0100 111"),
        EventAdvance(request=chapter_b, host_name="Host-B-Person", host_phone="+1 555 0100 222"),
    ]
    db.session.add_all(advances)
    user = CoordinatorUser(email="coord@example.org", password_hash=PASSWORD_HASH)
    db.session.add_all([mark, run, user])
    db.session.commit()
    return {
        "tour": tour, "one": one, "chapter_a": chapter_a, "chapter_b": chapter_b,
        "mark": mark, "run": run, "user": user, "talk": talk,
    }


def _token_for(kind: str, role: str, world: dict) -> str:
    if kind == "chapter" and role in ("chapter_a", "chapter_b"):
        return world[role].token
    if kind == "speaker" and role == "speaker_one":
        return world["one"].feed_token
    return UNKNOWN_TOKEN


def _url(app, endpoint: str, role: str, world: dict) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    values = {
        "slug": world["tour"].slug,
        "request_id": world["chapter_a"].id,
        "speaker_id": world["one"].id,
        "run_id": world["run"].id,
        "mark_id": world["mark"].id,
        "assignment_id": world["talk"].id,
        "state": "on",
        "filename": "css/app.css",
        "token": _token_for(MATRIX[endpoint], role, world),
    }
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "add the new routes to MATRIX"
    assert MATRIX.keys() - endpoints == set(), "remove routes that no longer exist"


def _check(app, client, world, endpoint: str, method: str, role: str) -> None:
    # The fixture's app context is shared by the test client's requests; empty ``g`` so that
    # nothing (the logged-in user, a locale) carries over from the previous role's request.
    for name in list(g):
        g.pop(name)
    if role == "coordinator":
        with client.session_transaction() as session:
            session["_user_id"] = str(world["user"].id)
            session["_fresh"] = True
    kind = MATRIX[endpoint]
    response = client.open(_url(app, endpoint, role, world), method=method, data={})
    location = response.headers.get("Location", "")
    body = response.get_data().decode("utf-8", "replace")  # the favicon is binary
    response.close()
    where = f"{method} {endpoint} as {role}"

    assert response.status_code < 500, where
    if role in ALLOWED[kind]:
        assert response.status_code in (200, 302, 303, 400, 422), where
        assert "/coordinator/login" not in location or endpoint == "coordinator.logout", where
    elif REFUSAL[kind] == "login":
        assert response.status_code == 302, where
        assert "/coordinator/login" in location, where
    else:
        assert response.status_code == REFUSAL[kind], where

    for secret, seen_by in SECRETS.items():
        if role not in seen_by:
            assert secret not in body, f"{where}: saw {secret!r}"
    tokens = {
        "chapter_a": world["chapter_a"].token,
        "chapter_b": world["chapter_b"].token,
        "speaker_one": world["one"].feed_token,
    }
    for owner, token in tokens.items():
        if role not in (owner, "coordinator"):
            assert token not in body, f"{where}: saw the token of {owner}"


@pytest.mark.parametrize("endpoint", _reads())
def test_page_answers_each_role_as_the_matrix_says(app, world, endpoint):
    for role in ROLES:
        _check(app, app.test_client(), world, endpoint, "GET", role)


@pytest.mark.parametrize(("endpoint", "method", "role"), _writes())
def test_action_answers_each_role_as_the_matrix_says(app, client, world, endpoint, method, role):
    _check(app, client, world, endpoint, method, role)


def test_each_chapter_reads_its_own_speakers_rules_and_no_one_elses(app, client, world):
    """The rules a chapter reads are its speaker's: Hana allows photos without her face,
    Morning Star allows livestreaming; neither chapter reads the other's."""
    page_a = client.get(f"/r/{world['chapter_a'].token}").get_data(as_text=True)
    page_b = client.get(f"/r/{world['chapter_b'].token}").get_data(as_text=True)
    feed_a = client.get(f"/feeds/chapter/{world['chapter_a'].token}.ics").get_data(as_text=True)
    feed_b = client.get(f"/feeds/chapter/{world['chapter_b'].token}.ics").get_data(as_text=True)
    for text in (page_a, feed_a.replace("\r\n ", "")):
        assert "without the speaker" in text and "No livestreaming" in text
        assert "Morning Star" not in text
    for text in (page_b, feed_b.replace("\r\n ", "")):
        assert "No photos of the speaker at all." in text
        assert "Livestreaming the talk is allowed" in text
        assert "Hana" not in text

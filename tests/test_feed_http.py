"""Feeds over HTTP: validators, 304, gzip, caching, tokens, access rules, and quiet logs."""

import gzip
import logging
import urllib.request
from datetime import date

import pytest
from icalendar import Calendar

from scheduler.extensions import db
from scheduler.feeds import sources
from scheduler.models import RequestState
from scheduler.services import assignments


@pytest.fixture
def booked(make):
    """A tour with one speaker booked at one chapter's event."""
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour)
    row = make.assignment(request, speaker, date(2027, 3, 10))
    return tour, speaker, request, row


def speaker_url(speaker) -> str:
    return f"/feeds/speaker/{speaker.feed_token}.ics"


def rotate_url(tour, speaker) -> str:
    return f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/rotate-feed-token"


def test_feed_is_text_calendar_with_validators_and_private_caching(client, booked):
    _, speaker, _, _ = booked
    response = client.get(speaker_url(speaker))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")
    assert "private" in response.headers["Cache-Control"]
    assert "max-age=300" in response.headers["Cache-Control"]
    assert Calendar.from_ical(response.data).events


def test_if_none_match_gives_304_until_the_data_changes(client, booked):
    _, speaker, _, row = booked
    etag = client.get(speaker_url(speaker)).headers["ETag"]

    unchanged = client.get(speaker_url(speaker), headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.data == b""
    assert unchanged.headers["ETag"] == etag

    assignments.cancel(row)
    db.session.commit()
    changed = client.get(speaker_url(speaker), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert Calendar.from_ical(changed.data).events[0]["STATUS"] == "CANCELLED"


def test_if_modified_since_gives_304(client, booked):
    _, speaker, _, _ = booked
    last_modified = client.get(speaker_url(speaker)).headers["Last-Modified"]

    response = client.get(speaker_url(speaker), headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304
    assert response.data == b""
    older = client.get(
        speaker_url(speaker), headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
    )
    assert older.status_code == 200


def test_gzip_when_asked_with_its_own_etag(client, booked):
    _, speaker, _, _ = booked
    plain = client.get(speaker_url(speaker))
    zipped = client.get(speaker_url(speaker), headers={"Accept-Encoding": "gzip, deflate"})

    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        speaker_url(speaker),
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304


def test_feed_is_rendered_again_only_when_its_data_changed(client, booked, monkeypatch):
    _, speaker, request, _ = booked
    renders = []
    real_build = sources.build_calendar
    monkeypatch.setattr(
        sources, "build_calendar", lambda **kw: renders.append(1) or real_build(**kw)
    )

    first = client.get(speaker_url(speaker)).data
    second = client.get(speaker_url(speaker)).data
    assert len(renders) == 1
    assert first == second

    request.venue_name = "Pauley Pavilion"
    db.session.commit()
    third = client.get(speaker_url(speaker)).data
    assert len(renders) == 2
    assert b"Pauley Pavilion" in third


def test_download_link_asks_to_save_the_file(client, booked):
    tour, speaker, _, _ = booked
    response = client.get(speaker_url(speaker) + "?download=1")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Disposition"].endswith('.ics"')


def test_unknown_token_is_404(client, booked):
    _, speaker, request, _ = booked
    assert client.get("/feeds/speaker/not-a-real-token-at-all-000000000000.ics").status_code == 404
    assert client.get(f"/feeds/speaker/{speaker.feed_token[:-1]}x.ics").status_code == 404
    assert client.get("/feeds/chapter/not-a-real-token-at-all-000000000000.ics").status_code == 404
    # A speaker token does not open a chapter feed, nor the reverse.
    assert client.get(f"/feeds/chapter/{speaker.feed_token}.ics").status_code == 404
    assert client.get(f"/feeds/speaker/{request.token}.ics").status_code == 404


def test_rotated_speaker_token_stops_working_at_once(client, auth, booked):
    tour, speaker, _, _ = booked
    old_url = speaker_url(speaker)
    assert client.get(old_url).status_code == 200
    auth.login()

    response = client.post(rotate_url(tour, speaker))

    assert response.status_code == 302
    db.session.refresh(speaker)
    assert client.get(old_url).status_code == 404
    assert client.get(speaker_url(speaker)).status_code == 200
    page = client.get(f"/coordinator/tours/{tour.slug}/feeds").get_data(as_text=True)
    assert speaker.feed_token in page
    assert old_url not in page


@pytest.fixture
def csrf_client(app_config, request):
    """A client of an app with CSRF protection on, as in production."""
    app_config["WTF_CSRF_ENABLED"] = True
    return request.getfixturevalue("app").test_client()


def test_rotation_needs_a_csrf_token(csrf_client, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    token = speaker.feed_token
    make.coordinator()
    login_page = csrf_client.get("/coordinator/login").get_data(as_text=True)
    csrf = login_page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    csrf_client.post(
        "/coordinator/login",
        data={"email": "coord@example.org", "password": "correct horse", "csrf_token": csrf},
    )

    response = csrf_client.post(rotate_url(tour, speaker))

    assert response.status_code == 400
    db.session.refresh(speaker)
    assert speaker.feed_token == token


def test_rotation_requires_login(client, booked):
    tour, speaker, _, _ = booked
    token = speaker.feed_token
    response = client.post(rotate_url(tour, speaker))
    assert response.status_code == 302
    assert "/coordinator/login" in response.headers["Location"]
    db.session.refresh(speaker)
    assert speaker.feed_token == token


def test_withdrawn_requests_chapter_feed_is_gone(client, booked):
    _, _, request, _ = booked
    assert client.get(f"/feeds/chapter/{request.token}.ics").status_code == 200
    request.state = RequestState.WITHDRAWN
    db.session.commit()
    assert client.get(f"/feeds/chapter/{request.token}.ics").status_code == 410


def test_tour_feed_requires_login_or_the_coordinators_token(client, auth, make, booked):
    tour, _, _, _ = booked
    url = f"/feeds/tour/{tour.slug}.ics"
    coordinator = make.coordinator()

    assert client.get(url).status_code == 403
    assert client.get(url + "?token=wrong-token-000000000000000000000").status_code == 404
    with_token = client.get(f"{url}?token={coordinator.feed_token}")
    assert with_token.status_code == 200
    assert len(Calendar.from_ical(with_token.data).events) == 1

    auth.login()
    assert client.get(url).status_code == 200
    assert client.get("/feeds/tour/no-such-tour.ics").status_code == 404


def test_tokens_never_reach_the_access_log(app, live_server, make, caplog):
    """Feed URLs go through the app-wide access-log redaction (scheduler.web.redaction)."""
    tour = make.tour()
    speaker = make.speaker(tour)
    request = make.request(tour)
    make.assignment(request, speaker, date(2027, 3, 10))
    coordinator = make.coordinator()
    base = f"http://127.0.0.1:{live_server.server_port}"
    secrets = (speaker.feed_token, request.token, coordinator.feed_token)

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        for path in (
            f"/feeds/speaker/{speaker.feed_token}.ics",
            f"/feeds/chapter/{request.token}.ics",
            f"/feeds/tour/{tour.slug}.ics?token={coordinator.feed_token}",
        ):
            with urllib.request.urlopen(base + path) as response:
                assert response.status == 200

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged.count("GET /feeds/") == 3
    assert logged.count("[redacted]") == 3
    for secret in secrets:
        assert secret not in logged


def test_a_failing_feed_does_not_log_its_token(app, client, booked, monkeypatch, caplog):
    """Flask logs "Exception on <path>" for a 500; the path carries the speaker's token."""
    _, speaker, _, _ = booked
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken(**fields):
        raise RuntimeError("calendar could not be built")

    monkeypatch.setattr(sources, "build_calendar", broken)

    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = client.get(speaker_url(speaker))

    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Exception on /feeds/speaker/[redacted].ics" in logged
    assert speaker.feed_token not in logged

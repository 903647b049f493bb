"""No secret token reaches a log, however the URL carrying it was spelled.

The last two tests run the two real servers: gunicorn (as ``gunicorn.conf.py`` configures it,
in a subprocess) and werkzeug's development server, and read what they logged.
"""

import http.client
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from werkzeug.serving import make_server

from scheduler.web.redaction import redact

TOKEN = "q6gD1wY0v0oTe2b0mVt3yGm3cW1o8mD0YbJ3k9x2QzA"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def percent_encoded(text: str) -> str:
    """Every character as a %XX escape, as a client may legally send it."""
    return "".join(f"%{ord(char):02X}" for char in text)


@pytest.mark.parametrize(
    "line",
    [
        f'"GET /r/{TOKEN} HTTP/1.1" 200',
        f'"GET /r/{TOKEN}/created HTTP/1.1" 200',
        f'"GET /speaker/{TOKEN}/availability HTTP/1.1" 200',
        f'"GET /feeds/speaker/{TOKEN}.ics HTTP/1.1" 304',
        f'"GET /feeds/chapter/{TOKEN}.ics HTTP/1.1" 410',
        f'"GET /feeds/tour/spring.ics?token={TOKEN} HTTP/1.1" 200',
        f'"GET /r/{percent_encoded(TOKEN)} HTTP/1.1" 200',
        f'"GET /r/{TOKEN[:5]}{percent_encoded(TOKEN[5:9])}{TOKEN[9:]} HTTP/1.1" 200',
        f'"GET /r/{quote(percent_encoded(TOKEN))} HTTP/1.1" 404',
        f'"GET {percent_encoded("/speaker/" + TOKEN)} HTTP/1.1" 404',
        f'"GET /r%2F{TOKEN} HTTP/1.1" 200',
        f'"GET /R/{TOKEN} HTTP/1.1" 404',
        f'"GET /Speaker/{TOKEN} HTTP/1.1" 404',
        f'"GET /FEEDS/Chapter/{TOKEN}.ics HTTP/1.1" 404',
        f'"GET /r//{TOKEN} HTTP/1.1" 308',
        f'"GET ///feeds///speaker////{TOKEN}.ics HTTP/1.1" 308',
        f'"GET /feeds/tour/spring.ics?lang=ko&TOKEN={TOKEN} HTTP/1.1" 200',
        f'"GET /feeds/tour/spring.ics?token%3D{TOKEN} HTTP/1.1" 403',
        f'"http://127.0.0.1:8123/speaker/{TOKEN}"',
        f'Referer: https://tour.example.org/r/{TOKEN}/edit',
    ],
)
def test_log_lines_keep_the_path_but_lose_the_token(line):
    cleaned = redact(line)
    assert TOKEN not in cleaned
    assert TOKEN[10:30] not in cleaned
    assert "[redacted]" in cleaned


@pytest.mark.parametrize(
    "line", ['"GET /tours/spring-2027/request HTTP/1.1" 200', '"POST /lost-link HTTP/1.1" 200']
)
def test_ordinary_paths_are_left_alone(line):
    assert redact(line) == line


def test_decoding_cannot_split_a_log_line():
    cleaned = redact('"GET /tours/x%0A127.0.0.1%20-%20fake HTTP/1.1" 404')
    assert "\n" not in cleaned
    assert cleaned == '"GET /tours/x%0A127.0.0.1%20-%20fake HTTP/1.1" 404'


def test_the_development_server_log_never_shows_a_token(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "%s %s %s" %s -', "GET",
                                       f"/feeds/speaker/{TOKEN}.ics", "HTTP/1.1", 200)
    assert TOKEN not in caplog.text
    assert "/feeds/speaker/[redacted].ics" in caplog.text


def plant_a_chapter_and_a_speaker(make):
    tour = make.tour()
    speaker = make.speaker(tour)
    chapter_request = make.request(tour)
    return chapter_request.token, speaker.feed_token


def spellings_of(request_token: str, speaker_token: str) -> list[tuple[str, dict]]:
    """Each way the issue found a token reaching a log: (path, extra headers)."""
    return [
        (f"/r/{percent_encoded(request_token)}", {}),
        (f"/R/{request_token}", {}),
        (f"/r//{request_token}", {}),
        (f"/speaker/{percent_encoded(speaker_token)}", {}),
        ("/tours/spring-2027", {"Referer": f"http://127.0.0.1/speaker/{speaker_token}"}),
        ("/", {"Referer": f"http://127.0.0.1/r/{quote(request_token)}/edit",
               "Origin": f"http://127.0.0.1/R//{request_token}"}),
    ]


def fetch_each(port: int, spellings: list[tuple[str, dict]]) -> list[int]:
    statuses = []
    for path, headers in spellings:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        connection.close()
    return statuses


def test_a_real_gunicorn_logs_no_token(app, app_config, make, tmp_path):
    request_token, speaker_token = plant_a_chapter_and_a_speaker(make)
    access_log = tmp_path / "access.log"
    error_log = tmp_path / "error.log"
    access_format = '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(U)s %({origin}i)s %({location}o)s'
    environment = {
        **os.environ,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": "false",
        "GUNICORN_BIND": "127.0.0.1:0",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
         "--access-logfile", str(access_log), "--error-logfile", str(error_log),
         "--access-logformat", access_format, "wsgi:app"],
        cwd=PROJECT_ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port = wait_for_listening_port(error_log, server)
        statuses = fetch_each(port, spellings_of(request_token, speaker_token))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    assert statuses[0] == 200, "a percent-encoded token is served, so it must be redacted"
    assert statuses[3] == 200
    logged = access_log.read_text() + error_log.read_text()
    assert logged.count("[redacted]") >= 7
    for token in (request_token, speaker_token):
        assert token not in logged
        assert token[8:24] not in logged
        assert percent_encoded(token)[:24] not in logged


def wait_for_listening_port(error_log: Path, server: subprocess.Popen) -> int:
    """The port gunicorn chose for ``127.0.0.1:0``, read from its "Listening at" line."""
    while server.poll() is None:
        if error_log.exists():
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", error_log.read_text())
            if found:
                return int(found.group(1))
        threading.Event().wait(0.1)
    raise AssertionError(f"gunicorn exited: {error_log.read_text()}")


def test_the_real_development_server_logs_no_token(app, app_config, make, caplog):
    request_token, speaker_token = plant_a_chapter_and_a_speaker(make)
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        statuses = fetch_each(server.server_port, spellings_of(request_token, speaker_token))
    finally:
        server.shutdown()
        thread.join(timeout=30)

    assert statuses[0] == 200
    logged = caplog.text
    assert logged.count("[redacted]") >= 4
    for token in (request_token, speaker_token):
        assert token not in logged
        assert token[8:24] not in logged

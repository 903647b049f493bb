import pytest

from scheduler.web.redaction import redact

TOKEN = "q6gD1wY0v0oTe2b0mVt3yGm3cW1o8mD0YbJ3k9x2QzA"


@pytest.mark.parametrize(
    "line",
    [
        f'"GET /r/{TOKEN} HTTP/1.1" 200',
        f'"GET /r/{TOKEN}/created HTTP/1.1" 200',
        f'"GET /speaker/{TOKEN}/availability HTTP/1.1" 200',
        f'"GET /feeds/speaker/{TOKEN}.ics HTTP/1.1" 304',
        f'"GET /feeds/chapter/{TOKEN}.ics HTTP/1.1" 410',
        f'"GET /feeds/tour/spring.ics?token={TOKEN} HTTP/1.1" 200',
    ],
)
def test_log_lines_keep_the_path_but_lose_the_token(line):
    cleaned = redact(line)
    assert TOKEN not in cleaned
    assert "[redacted]" in cleaned


@pytest.mark.parametrize(
    "line", ['"GET /tours/spring-2027/request HTTP/1.1" 200', '"POST /lost-link HTTP/1.1" 200']
)
def test_ordinary_paths_are_left_alone(line):
    assert redact(line) == line


def test_the_development_server_log_never_shows_a_token(app, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('127.0.0.1 - - "%s %s %s" %s -', "GET",
                                       f"/feeds/speaker/{TOKEN}.ics", "HTTP/1.1", 200)
    assert TOKEN not in caplog.text
    assert "/feeds/speaker/[redacted].ics" in caplog.text

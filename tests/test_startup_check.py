"""The start-up check names each unreachable service in one line, never with a password:
``flask --app wsgi check``, the RQ worker command, and gunicorn's start (gunicorn.conf.py).

The Redis cases need Redis on 127.0.0.1:6379 (as tests/test_queue.py does); nothing is written
to it, the check only sends PING.
"""

import os
import subprocess
import sys

import pytest

from scheduler import create_app
from scheduler.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "hunter2-Secret"
# Port 1 on the loopback: nothing listens there, so the connection is refused at once.
CLOSED_DATABASE = f"postgresql+psycopg://tour:{SECRET}@127.0.0.1:1/tour?password={SECRET}"
CLOSED_REDIS = f"redis://:{SECRET}@127.0.0.1:1/0"
LIVE_REDIS = "redis://127.0.0.1:6379/5"


def run_cli(config: dict, *args: str):
    app = create_app(config)
    try:
        return app.test_cli_runner().invoke(args=list(args))
    finally:
        with app.app_context():  # the app's own pool closed, as the app fixture does
            db.session.remove()
            db.engine.dispose()


def run_with_closed_database(program: str, *args: str) -> subprocess.CompletedProcess:
    """One of the virtualenv's console scripts as an operator starts it, with the database
    closed and no Redis."""
    environment = {
        **os.environ,
        "DATABASE_URL": CLOSED_DATABASE,
        "SECRET_KEY": "test-secret",
        "ENV": "development",
    }
    environment.pop("REDIS_URL", None)
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), program), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def output_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def test_unreachable_database_is_named_in_one_line_without_its_password(app_config):
    result = run_cli({**app_config, "DATABASE_URL": CLOSED_DATABASE}, "check")

    assert result.exit_code == 2
    lines = output_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith("Database unreachable at postgresql+psycopg://127.0.0.1:1/tour: ")
    assert "refused" in lines[0].lower()
    assert SECRET not in result.output
    assert "tour:" not in lines[0].partition(": ")[0]  # no user name either


def test_unreachable_redis_is_named_and_the_database_is_not(app_config):
    result = run_cli({**app_config, "REDIS_URL": CLOSED_REDIS}, "check")

    assert result.exit_code == 2
    lines = output_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith("Redis unreachable at redis://127.0.0.1:1/0: ")
    assert SECRET not in result.output


def test_both_unreachable_gives_a_line_for_each(app_config):
    result = run_cli(
        {**app_config, "DATABASE_URL": CLOSED_DATABASE, "REDIS_URL": CLOSED_REDIS}, "check"
    )

    assert result.exit_code == 2
    assert [line.split(" unreachable")[0] for line in output_lines(result)] == [
        "Database",
        "Redis",
    ]


def test_the_command_line_says_only_that_the_database_is_unreachable():
    """``flask --app wsgi check`` as an operator types it: the app is built before the check
    runs, and nothing it does on the way (the stale-run sweep) may speak before the check."""
    finished = run_with_closed_database("flask", "--app", "wsgi", "check")

    assert finished.returncode == 2
    lines = [line for line in (finished.stdout + finished.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Database unreachable at postgresql+psycopg://127.0.0.1:1/tour: ")
    assert SECRET not in finished.stdout + finished.stderr


def test_everything_answering_exits_0(app_config):
    without_queue = run_cli(app_config, "check")
    assert without_queue.exit_code == 0, without_queue.output
    assert without_queue.output.strip() == "The database answers."

    with_queue = run_cli({**app_config, "REDIS_URL": LIVE_REDIS}, "check")
    assert with_queue.exit_code == 0, with_queue.output
    assert with_queue.output.strip() == "The database and Redis answer."


def test_the_rq_worker_does_not_start_without_its_database(app_config):
    result = run_cli(
        {**app_config, "DATABASE_URL": CLOSED_DATABASE, "REDIS_URL": LIVE_REDIS},
        "worker",
        "--burst",
    )

    assert result.exit_code == 2
    assert output_lines(result)[0].startswith("Database unreachable at ")
    assert SECRET not in result.output


def test_gunicorn_stops_at_start_with_the_line_and_no_traceback(tmp_path):
    finished = run_with_closed_database(
        "gunicorn", "wsgi:app", "--bind", "127.0.0.1:0", "--no-control-socket"
    )

    assert finished.returncode == 2
    log = finished.stdout + finished.stderr
    errors = [line for line in log.splitlines() if "[ERROR]" in line]
    assert len(errors) == 1
    assert "Database unreachable at postgresql+psycopg://127.0.0.1:1/tour: " in errors[0]
    assert "Traceback" not in log
    assert SECRET not in log
    assert "Booting worker" not in log


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        (
            "postgresql+psycopg://u:p%40ss@db.example.org:5432/tour",
            "postgresql+psycopg://db.example.org:5432/tour",
        ),
        ("redis://:pw@redis-host:6380/2?ssl_cert_reqs=none", "redis://redis-host:6380/2"),
        ("sqlite:////var/lib/tour/tour.sqlite", "sqlite:////var/lib/tour/tour.sqlite"),
    ],
)
def test_printed_urls_keep_the_address_and_lose_the_credentials(url, printed):
    from scheduler.startup import printable_url

    assert printable_url(url) == printed

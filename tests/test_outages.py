"""Nothing a visitor or a failing service sends makes the app answer 500: malformed forms, ids
beyond any row, oversized bodies, the database unreachable, Redis stopped mid-use."""

import shutil
import socket
import subprocess
import time
from datetime import date

import pytest
from redis import Redis

from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import Request, SolveRun, SolveState
from tests.test_request_form import FORM_URL, form_data

BEYOND_ANY_ROW = str(2**64)


def test_a_form_part_without_a_name_is_a_400_not_a_crash(client):
    body = b"--XX\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XX--\r\n"
    response = client.post(
        "/coordinator/login", data=body, content_type="multipart/form-data; boundary=XX"
    )
    assert response.status_code == 400
    assert b"no name" in response.data


@pytest.mark.parametrize(
    "path",
    [
        f"/coordinator/tours/spring-2027/solve/runs/{BEYOND_ANY_ROW}.json",
        f"/coordinator/tours/spring-2027/speakers/{BEYOND_ANY_ROW}/edit",
        f"/coordinator/tours/spring-2027/solve/runs/{2**31}.json",
    ],
)
def test_an_id_beyond_any_row_is_a_404(client, auth, make, path):
    make.tour()
    auth.login()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/coordinator/tours/spring-2027/requests/{BEYOND_ANY_ROW}/priority",
        f"/coordinator/tours/spring-2027/review/requests/{BEYOND_ANY_ROW}/place",
    ],
)
def test_a_post_to_an_id_beyond_any_row_is_a_404(client, auth, make, path):
    make.tour()
    auth.login()
    assert client.post(path, data={"priority": "3"}).status_code == 404


def test_a_huge_post_is_refused_without_echoing_it(client, make):
    make.tour()
    response = client.post(FORM_URL, data={**form_data(), "notes": "x" * (100 * 1024 * 1024)})
    assert response.status_code == 413
    assert len(response.data) < 10_000
    assert b"nothing was read or saved" in response.data
    assert db.session.query(Request).count() == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_database_gives_a_503_page_that_says_so(app_config):
    app = create_app(
        {**app_config, "DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/x"}
    )
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert b"cannot reach its database" in response.data


# -- Redis stopped while the app uses it ------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of the test's own on a free port, so stopping it disturbs nobody else."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (the project's CI machine has it)")
    port = _closed_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(tmp_path)]
    server = {"process": subprocess.Popen(command, stdout=subprocess.DEVNULL)}
    url = f"redis://127.0.0.1:{port}/0"

    def wait_until_up():
        for _ in range(100):
            try:
                Redis.from_url(url, socket_connect_timeout=0.2).ping()
                return
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop():
        server["process"].terminate()
        server["process"].wait(10)

    def restart():
        server["process"] = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until_up()

    wait_until_up()
    yield type("RedisServer", (), {"url": url, "stop": staticmethod(stop),
                                   "restart": staticmethod(restart)})
    stop()


@pytest.fixture
def app_config(app_config, redis_server):
    return {**app_config, "REDIS_URL": redis_server.url, "RATELIMIT_ENABLED": True}


def test_with_redis_stopped_login_requests_and_solving_answer_without_a_500(
    app, client, auth, make, redis_server
):
    tour = make.tour()
    make.speaker(tour)
    make.request(tour, dates=(date(2027, 3, 10),))
    redis_server.stop()

    assert auth.login().status_code == 302  # the limiter counts in memory meanwhile
    assert submit_request(client).status_code == 303  # saved, off to its private page
    assert db.session.query(Request).count() == 2
    response = client.post("/coordinator/tours/spring-2027/solve", data={"time_limit": "5"})
    assert response.status_code == 302
    page = client.get("/coordinator/tours/spring-2027/solve").get_data(as_text=True)
    assert "solve queue (Redis) cannot be reached" in page
    runs = db.session.query(SolveRun).all()
    assert [run.state for run in runs] == [SolveState.FAILED]  # no queued run left behind

    redis_server.restart()
    client.post("/coordinator/tours/spring-2027/solve", data={"time_limit": "5"})
    db.session.expire_all()
    latest = db.session.query(SolveRun).order_by(SolveRun.id.desc()).first()
    assert latest.state == SolveState.QUEUED and latest.job_id  # queued for a worker again


def submit_request(client):
    return client.post(FORM_URL, data=form_data(chapter_name="LiNK at Ithaca College"))

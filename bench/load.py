"""Load on a real server on 127.0.0.1: chapters posting requests at once, and feed reads.

For each server configuration it starts a fresh database and server, lets N concurrent clients
each fetch the form (session + CSRF token) and post a request, then counts what the database
stored against what was sent: none may be lost and none may get a 500. It then reads one calendar
feed repeatedly from the same number of clients. The loops are bounded; every server is stopped.

    python bench/load.py                                  # werkzeug + SQLite (the default setup)
    python bench/load.py --setups sqlite,gunicorn-postgres --clients 50 --posts 4

Rate limits are switched off for the run (all clients share one address).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
POSTGRES_URL = os.environ.get("LOAD_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SETUP_SCRIPT = """
from datetime import date, timedelta
from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Tour, TourState
from tests import factories
from flask_migrate import upgrade
app = create_app()
with app.app_context():
    if db.engine.url.get_backend_name() == "postgresql":
        db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    upgrade()
    start = date.today() + timedelta(days=60)
    tour = factories.tour(slug="load", start=start, end=start + timedelta(days=55),
                          state=TourState.OPEN)
    speaker = factories.speaker(tour)
    for day in range(20):
        request = factories.request(tour, dates=(start + timedelta(days=day),))
        factories.assignment(request, speaker, start + timedelta(days=day),
                             state=AssignmentState.CONFIRMED)
    print(start.isoformat(), speaker.feed_token)
"""
COUNT_SCRIPT = """
from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import Request
app = create_app()
with app.app_context():
    print(db.session.execute(db.select(db.func.count(Request.id))).scalar_one())
"""


@dataclass
class Tally:
    sent: int = 0
    created: int = 0
    errors: dict[int | str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ok: bool, code: int | str) -> None:
        with self.lock:
            self.sent += 1
            if ok:
                self.created += 1
            else:
                self.errors[code] = self.errors.get(code, 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server at {base} did not start")


def post_request(base: str, start: str, number: int, tally: Tally) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        form = opener.open(f"{base}/tours/load/request", timeout=60).read().decode()
        token = CSRF.search(form).group(1)
        data = {
            "csrf_token": token,
            "chapter_name": f"Load chapter {number}",
            "school": "Load University",
            "contact_name": "Load Tester",
            "contact_email": f"load{number}@example.edu",
            "venue_name": "Main Hall",
            "city": "Ithaca, New York",
            "start_time": "19:00",
            "duration_minutes": "90",
            "language": "en",
            "choices-0-first_date": start,
            "choices-0-kind": "date",
        }
        response = opener.open(
            f"{base}/tours/load/request", urllib.parse.urlencode(data).encode(), timeout=60
        )
        ok = "/r/" in response.url and response.status == 200
        tally.add(ok, response.status if not ok else 200)
    except urllib.error.HTTPError as error:
        tally.add(False, error.code)
    except (urllib.error.URLError, OSError) as error:
        tally.add(False, type(error).__name__)


def read_feed(url: str, tally: Tally) -> None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            tally.add(response.status == 200, response.status)
    except urllib.error.HTTPError as error:
        tally.add(False, error.code)
    except (urllib.error.URLError, OSError) as error:
        tally.add(False, type(error).__name__)


def run_clients(clients: int, per_client: int, work) -> float:
    """Each of ``clients`` threads calls ``work(number)`` ``per_client`` times; returns seconds."""
    def client(index: int) -> None:
        for step in range(per_client):
            work(index * per_client + step)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return time.perf_counter() - began


def run_setup(name: str, clients: int, posts: int, feed_reads: int) -> dict:
    workdir = tempfile.mkdtemp(prefix=f"load-{name}-")
    database = POSTGRES_URL if "postgres" in name else f"sqlite:///{workdir}/load.sqlite"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database, "RATELIMIT_ENABLED": "false",
           "SECRET_KEY": "load-test-secret", "PYTHONPATH": ROOT}
    setup = subprocess.run([PYTHON, "-c", SETUP_SCRIPT], env=env, cwd=ROOT, check=True,
                           capture_output=True, text=True)
    start, feed_token = setup.stdout.split()[-2:]
    if name.startswith("gunicorn"):
        command = [os.path.join(BIN, "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}",
                   "--workers", "4", "--threads", "4", "--access-logfile", "/dev/null"]
    else:
        command = [os.path.join(BIN, "flask"), "--app", "wsgi", "run", "--port", str(port),
                   "--host", "127.0.0.1", "--with-threads"]
    log = open(os.path.join(workdir, "server.log"), "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        posted = Tally()
        post_seconds = run_clients(clients, posts, lambda n: post_request(base, start, n, posted))
        feeds = Tally()
        feed_url = f"{base}/feeds/speaker/{feed_token}.ics"
        feed_seconds = run_clients(clients, feed_reads, lambda n: read_feed(feed_url, feeds))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    stored = int(subprocess.run([PYTHON, "-c", COUNT_SCRIPT], env=env, cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.split()[-1]) - 20
    return {
        "setup": name, "clients": clients, "sent": posted.sent, "created": posted.created,
        "stored": stored, "lost": posted.created - stored, "post_errors": posted.errors,
        "posts_per_s": posted.sent / post_seconds, "feed_reads": feeds.sent,
        "feed_errors": feeds.errors, "feeds_per_s": feeds.sent / feed_seconds,
        "log": log.name,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="sqlite",
                        help="comma list of: sqlite (werkzeug, one process), gunicorn-sqlite, "
                             "gunicorn-postgres (4 workers)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--posts", type=int, default=4, help="requests posted by each client")
    parser.add_argument("--feed-reads", type=int, default=20, help="feed reads by each client")
    args = parser.parse_args()
    failed = False
    print(f"{'setup':<18} {'sent':>5} {'stored':>6} {'lost':>4} {'posts/s':>8} "
          f"{'feeds/s':>8}  errors")
    for name in args.setups.split(","):
        row = run_setup(name.strip(), args.clients, args.posts, args.feed_reads)
        errors = {**row["post_errors"], **{f"feed {k}": v for k, v in row["feed_errors"].items()}}
        failed |= bool(errors) or row["lost"] != 0 or row["stored"] != row["sent"]
        print(f"{row['setup']:<18} {row['sent']:>5} {row['stored']:>6} {row['lost']:>4} "
              f"{row['posts_per_s']:>8.1f} {row['feeds_per_s']:>8.1f}  {errors or 'none'}")
        if errors:
            print(f"  server log: {row['log']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

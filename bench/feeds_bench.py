"""Feed requests per second against a static file of the same size, on the same server.

    python bench/feeds_bench.py [--seconds 2] [--clients 4] [--events 25]

A throw-away SQLite database gets one tour with one speaker booked at ``--events`` venues in
several time zones. A real threaded werkzeug server (in a child process, so the load generator
does not share its interpreter) serves the app; the speaker's feed bytes are also written into
the app's static folder, so both URLs go through the same server, WSGI app and security headers.
Each URL is hammered by ``--clients`` threads for ``--seconds``, alternating rounds; the best
round of each counts. Target: feed >= 50% of static. Everything stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from datetime import time as clock

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from scheduler import create_app  # noqa: E402
from scheduler.extensions import db  # noqa: E402
from scheduler.models import (  # noqa: E402
    Assignment,
    AssignmentState,
    Chapter,
    Request,
    Speaker,
    Tour,
    TourState,
)

ZONES = [
    ("America/New_York", "New York, New York", 40.71, -74.0),
    ("America/Chicago", "Chicago, Illinois", 41.88, -87.63),
    ("America/Denver", "Denver, Colorado", 39.74, -104.99),
    ("America/Los_Angeles", "Los Angeles, California", 34.05, -118.24),
]
ROUNDS = 5


def config(workdir: str) -> dict:
    return {
        "SECRET_KEY": "bench-secret-not-for-production-use-000000",
        "DATABASE_URL": f"sqlite:///{os.path.join(workdir, 'bench.sqlite')}",
        "BASE_URL": "http://127.0.0.1",
        "OUTBOX_DIR": os.path.join(workdir, "outbox"),
    }


def seed(events: int) -> str:
    """One speaker with ``events`` confirmed talks; returns the feed's path."""
    tour = Tour(
        name="Bench Tour",
        slug="bench",
        start=date(2027, 3, 1),
        end=date(2027, 5, 30),
        state=TourState.OPEN,
    )
    speaker = Speaker(tour=tour, display_name="Speaker A", home_lat=34.0, home_lon=-118.0)
    db.session.add_all([tour, speaker])
    for number in range(events):
        zone, city, lat, lon = ZONES[number % len(ZONES)]
        day = tour.start + timedelta(days=2 * number)
        request = Request(
            tour=tour,
            chapter=Chapter(
                name=f"Chapter {number}",
                contact_name=f"Contact {number}",
                contact_email=f"chapter{number}@example.edu",
            ),
            venue_name=f"Hall {number}",
            venue_address=f"{number} Campus Drive",
            city=city,
            lat=lat,
            lon=lon,
            timezone=zone,
            start_time=clock(19, 0),
        )
        db.session.add(
            Assignment(request=request, speaker=speaker, date=day, state=AssignmentState.CONFIRMED)
        )
    db.session.commit()
    return f"/feeds/speaker/{speaker.feed_token}.ics"


def serve(workdir: str, static_dir: str, ports) -> None:
    """Child process: the app on a threaded werkzeug server until the parent terminates it."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(config(workdir))
    app.static_folder = static_dir
    server = make_server("127.0.0.1", 0, app, threaded=True)
    ports.put(server.server_port)
    server.serve_forever()


def hammer(port: int, path: str, seconds: float, clients: int, headers: dict) -> float:
    """Requests per second over ``seconds``; each client checks status and body size."""
    deadline = time.perf_counter() + seconds
    counts = [0] * clients
    failures: list[str] = []

    def client(index: int) -> None:
        while time.perf_counter() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status not in (200, 304) or (response.status == 200 and not body):
                failures.append(f"{path}: {response.status}")
                return
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"bench failed: {failures[0]}")
    return sum(counts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round per URL")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--events", type=int, default=25, help="events in the speaker's feed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feeds-bench-") as workdir:
        app = create_app(config(workdir))
        with app.app_context():
            upgrade()
            feed_path = seed(args.events)
            body = app.test_client().get(feed_path).data
            etag = app.test_client().get(feed_path).headers["ETag"]
            db.engine.dispose()
        static_dir = os.path.join(workdir, "static")
        os.makedirs(static_dir)
        with open(os.path.join(static_dir, "feed-copy.ics"), "wb") as copy:
            copy.write(body)

        context = multiprocessing.get_context("fork")
        ports = context.Queue()
        server = context.Process(target=serve, args=(workdir, static_dir, ports), daemon=True)
        server.start()
        try:
            port = ports.get(timeout=30)
            targets = {
                "feed": (feed_path, {}),
                "static": ("/static/feed-copy.ics", {}),
                "feed 304": (feed_path, {"If-None-Match": etag}),
                "feed gzip": (feed_path, {"Accept-Encoding": "gzip"}),
            }
            for path, headers in targets.values():
                hammer(port, path, 0.5, args.clients, headers)  # warm caches and connections
            best = dict.fromkeys(targets, 0.0)
            for _ in range(ROUNDS):
                for name, (path, headers) in targets.items():
                    rate = hammer(port, path, args.seconds, args.clients, headers)
                    best[name] = max(best[name], rate)
        finally:
            server.terminate()
            server.join(timeout=10)

    print(
        f"feed size: {len(body)} bytes, {args.events} events; {args.clients} clients, "
        f"{ROUNDS} rounds of {args.seconds:g}s, threaded werkzeug server"
    )
    for name, rate in best.items():
        print(f"{name:>10}: {rate:8.0f} requests/s")
    ratio = best["feed"] / best["static"]
    print(f"     ratio: {ratio:.0%} of static (target >= 50%)")


if __name__ == "__main__":
    main()

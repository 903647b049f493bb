"""Coordinator pages on the generated large tour: bytes sent (compressed) and server time.

    python bench/pages.py [--size large] [--time-limit 20] [--repeat 10]

A throw-away SQLite database gets the tour of ``bench/generate.py SIZE`` (seed 1), solved by
CP-SAT for ``--time-limit`` seconds as the Solve page would. Then, through the app's WSGI
interface as a logged-in coordinator whose browser accepts ``gzip, deflate, br, zstd``, each page
is fetched ``--repeat`` times; the report gives the median server time (wall, and the process's
CPU time, which other work on a shared machine inflates far less) and the bytes of the
compressed body. The edit round trip is a pin then an unpin of one event posted as the review
page's script does (the fragment answer), median over ``--repeat`` edits; a move of one event
(to its own place: the whole check runs, nothing changes) is timed the same way. What the app
loaded at start-up is frozen out of the garbage collector, as ``wsgi.py`` does in production.
Targets: every page under 300 KB sent and 300 ms; an edit round trip under 150 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402

from bench.generate import SIZES, generate_instance  # noqa: E402
from scheduler import create_app  # noqa: E402
from scheduler.extensions import db  # noqa: E402
from scheduler.models import CoordinatorUser, TourState  # noqa: E402
from scheduler.services import proposal  # noqa: E402
from scheduler.solving import runs  # noqa: E402
from scheduler.solving.execute import run_solve  # noqa: E402
from scheduler.tour_format import import_tour  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "bench password"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
PAGE_BYTES, PAGE_MS, EDIT_MS = 300_000, 300.0, 150.0


def build(app, size: str, time_limit: float) -> tuple[str, int, dict]:
    """The imported and solved tour's slug, one placed request to pin, and the move form that
    puts it where it is."""
    with app.app_context():
        upgrade()
        user = CoordinatorUser(email=EMAIL)
        user.set_password(PASSWORD)
        db.session.add(user)
        tour = import_tour(generate_instance(*SIZES[size], seed=1, name=f"Bench {size}"))
        tour.state = TourState.OPEN
        db.session.add(tour)
        db.session.commit()
        run = run_solve(runs.start(tour, time_limit, EMAIL).id)
        print(f"solve: {run.state}, served weight {run.served_weight} of bound {run.bound}")
        placed = [(r, row) for r, row in proposal.draft(tour).items() if row is not None]
        print(f"tour: {len(tour.requests)} requests, {len(tour.speakers)} speakers, "
              f"{len(placed)} events placed")
        request, row = placed[0]
        return tour.slug, request.id, {"day": row.date.isoformat(), "speaker": row.speaker_id}


def timed(call) -> tuple[float, float, object]:
    """Wall and CPU milliseconds of one call: on a shared machine the wall time also counts the
    waits for a core, the CPU time only this process's own work."""
    start, cpu = time.perf_counter(), time.process_time()
    response = call()
    return (time.perf_counter() - start) * 1000.0, (time.process_time() - cpu) * 1000.0, response


def measure(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median milliseconds (wall, CPU), bytes sent (compressed) and bytes of the page itself."""
    times, cpus, sent = [], [], 0
    for _ in range(repeat):
        ms, cpu, response = timed(lambda: client.get(url, headers=BROWSER))
        assert response.status_code == 200, (url, response.status_code)
        times.append(ms)
        cpus.append(cpu)
        sent = len(response.data)
    plain = len(client.get(url).data)
    return statistics.median(times), statistics.median(cpus), sent, plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="large", help="generated tour size")
    parser.add_argument("--time-limit", type=float, default=20.0, help="solve seconds")
    parser.add_argument("--repeat", type=int, default=10, help="fetches per page (median)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "DATABASE_URL": f"sqlite:///{os.path.join(folder, 'bench.db')}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "OUTBOX_DIR": os.path.join(folder, "outbox"),
            "RATELIMIT_ENABLED": False,
        })
        gc.freeze()  # as wsgi.py does once the app is created
        slug, request_id, move = build(app, args.size, args.time_limit)
        client = app.test_client()
        client.post("/coordinator/login", data={"email": EMAIL, "password": PASSWORD})
        base = f"/coordinator/tours/{slug}"
        pages = {
            "Review": f"{base}/review",
            "Requests": f"{base}/requests",
            "Publish preview": f"{base}/publish",
            "Request form": f"/tours/{slug}/request",
        }
        missed = []
        print(f"{'page':<18}{'server ms':>10}{'CPU ms':>8}{'sent KB':>10}{'page KB':>10}")
        for name, url in pages.items():
            ms, cpu, sent, plain = measure(client, url, args.repeat)
            print(f"{name:<18}{ms:>10.0f}{cpu:>8.0f}{sent / 1000:>10.1f}{plain / 1000:>10.1f}")
            if ms > PAGE_MS or sent > PAGE_BYTES:
                missed.append(name)
        fetch = {**BROWSER, "X-Requested-With": "fetch"}
        edits = {
            "Edit round trip": lambda i: client.post(
                f"{base}/review/requests/{request_id}/pin/{'on' if i % 2 == 0 else 'off'}",
                headers=fetch,
            ),
            "Move round trip": lambda i: client.post(
                f"{base}/review/requests/{request_id}/place", data=move, headers=fetch
            ),
        }
        for name, post in edits.items():
            times, cpus = [], []
            for i in range(args.repeat):
                ms, cpu, response = timed(lambda i=i, post=post: post(i))
                assert response.status_code == 200, response.status_code
                times.append(ms)
                cpus.append(cpu)
            edit_ms = statistics.median(times)
            print(f"{name:<18}{edit_ms:>10.0f}{statistics.median(cpus):>8.0f}"
                  f"{len(response.data) / 1000:>10.1f}")
            if edit_ms > EDIT_MS:
                missed.append(name)
        print("targets missed: " + (", ".join(missed) if missed else "none"))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

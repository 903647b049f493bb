"""Coordinator pages on the generated large tour: bytes sent (compressed) and server time.

    python bench/pages.py [--size large] [--time-limit 20] [--repeat 10]

A throw-away SQLite database gets the tour of ``bench/generate.py SIZE`` (seed 1), solved by
CP-SAT for ``--time-limit`` seconds as the Solve page would. Then, through the app's WSGI
interface as a logged-in coordinator whose browser accepts ``gzip, deflate, br, zstd``, each page
is fetched ``--repeat`` times; the report gives the median server time and the bytes of the
compressed body. The edit round trip is a pin then an unpin of one event posted as the review
page's script does (the fragment answer), median over ``--repeat`` edits.
Targets: every page under 300 KB sent and 300 ms; an edit round trip under 150 ms.
"""

from __future__ import annotations

import argparse
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


def build(app, size: str, time_limit: float) -> tuple[str, int]:
    """The imported and solved tour's slug, and one placed request to pin."""
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
        placed = [r for r, row in proposal.draft(tour).items() if row is not None]
        print(f"tour: {len(tour.requests)} requests, {len(tour.speakers)} speakers, "
              f"{len(placed)} events placed")
        return tour.slug, placed[0].id


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    response = call()
    return (time.perf_counter() - start) * 1000.0, response


def measure(client, url: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds, bytes sent (compressed) and bytes of the page itself."""
    times, sent = [], 0
    for _ in range(repeat):
        ms, response = timed(lambda: client.get(url, headers=BROWSER))
        assert response.status_code == 200, (url, response.status_code)
        times.append(ms)
        sent = len(response.data)
    plain = len(client.get(url).data)
    return statistics.median(times), sent, plain


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
        slug, request_id = build(app, args.size, args.time_limit)
        client = app.test_client()
        client.post("/coordinator/login", data={"email": EMAIL, "password": PASSWORD})
        base = f"/coordinator/tours/{slug}"
        pages = {
            "Review": f"{base}/review",
            "Requests": f"{base}/requests",
            "Publish preview": f"{base}/publish",
        }
        missed = []
        print(f"{'page':<18}{'server ms':>10}{'sent KB':>10}{'page KB':>10}")
        for name, url in pages.items():
            ms, sent, plain = measure(client, url, args.repeat)
            print(f"{name:<18}{ms:>10.0f}{sent / 1000:>10.1f}{plain / 1000:>10.1f}")
            if ms > PAGE_MS or sent > PAGE_BYTES:
                missed.append(name)
        edits = []
        for i in range(args.repeat):
            url = f"{base}/review/requests/{request_id}/pin/{'on' if i % 2 == 0 else 'off'}"
            ms, response = timed(
                lambda url=url: client.post(
                    url, headers={**BROWSER, "X-Requested-With": "fetch"}
                )
            )
            assert response.status_code == 200, response.status_code
            edits.append(ms)
        edit_ms = statistics.median(edits)
        print(f"{'Edit round trip':<18}{edit_ms:>10.0f}{len(response.data) / 1000:>10.1f}")
        if edit_ms > EDIT_MS:
            missed.append("Edit round trip")
        print("targets missed: " + (", ".join(missed) if missed else "none"))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

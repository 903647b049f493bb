"""The column-generation bound in a process of its own, beside the neighbourhood search.

Why a process: in a thread it shares the interpreter with the search, and both are mostly Python
between their solver calls (GLOP's solves hold the interpreter too), so each waits for the other.
On the large benchmark, one minute with two workers: 929 in a thread, 927 in a process, about
what the same column generation reaches alone in that time (before its master lost GLOP's
scaling, which now lets it converge at 923 within the minute).
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable

from scheduler.solver.columns import ROUTES_EVERY, ColumnBound, column_bound
from scheduler.solver.problem import Problem

# seconds to wait for the process to end once killed
JOIN_SECONDS = 1.0


def _work(prob: Problem, allowed: list[int], pinned: set[int], seconds: float,
          start: list[int], routes_every: float, messages, stop) -> None:
    try:
        result = column_bound(prob, allowed, pinned, seconds, start=start, stop=stop.is_set,
                              on_bound=lambda b: messages.put(("bound", b)),
                              on_routes=lambda options: messages.put(("routes", options)),
                              routes_every=routes_every)
    except RuntimeError:  # the master LP failed: no columns, the caller keeps its bound
        result = None
    messages.put(("done", result))


class BackgroundBound:
    """Column generation running in a spawned process (a fork would copy the threads of a
    running web app or CP-SAT); ``poll`` collects what it has proven so far."""

    def __init__(self, prob: Problem, allowed: list[int], pinned: set[int], seconds: float,
                 start: list[int], routes_every: float = ROUTES_EVERY):
        context = multiprocessing.get_context("spawn")
        self._messages = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_work, args=(prob, allowed, pinned, seconds, start, routes_every,
                                self._messages, self._stop), daemon=True)
        self._process.start()
        self.result: ColumnBound | None = None
        # the options of the routes generated so far, reported every ``routes_every`` seconds
        self.routes: frozenset[int] | None = None
        self.finished = False

    def poll(self, on_bound: Callable[[int], None]) -> None:
        """Take in every message so far; each better bound goes to ``on_bound``."""
        while not self.finished:
            try:
                kind, value = self._messages.get_nowait()
            except queue.Empty:
                if not self._process.is_alive() and self._messages.empty():
                    self.finished = True  # it died without a word (killed, out of memory)
                return
            self._take(kind, value, on_bound)

    def finish(self, on_bound: Callable[[int], None], wait: float) -> ColumnBound | None:
        """Stop the process, wait at most ``wait`` seconds for its last answer (a pricing round
        and a master solve: about a second on xl), kill it if it has none by then, and return
        its answer (None if it had none). Every bound it reported before is taken in."""
        self._stop.set()
        until = time.monotonic() + max(0.0, wait)
        while not self.finished:
            try:
                kind, value = self._messages.get(timeout=max(0.0, until - time.monotonic()))
            except queue.Empty:
                self._process.kill()
                self.finished = True
                break
            self._take(kind, value, on_bound)
        self._process.join(JOIN_SECONDS)
        return self.result

    def _take(self, kind: str, value, on_bound: Callable[[int], None]) -> None:
        if kind == "bound":
            on_bound(value)
        elif kind == "routes":
            self.routes = value
        else:
            self.result = value
            self.finished = True

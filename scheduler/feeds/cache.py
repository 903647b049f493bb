"""Rendered feeds kept in memory, keyed by feed and data version.

Calendar apps poll every feed about hourly and almost always get the same bytes back, so a feed
is rendered (and gzipped) once per version of its data, not once per poll. Each process keeps
its own small cache; a stale entry can never be served because the version is part of the key.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    body: bytes
    gzipped: bytes


class FeedCache:
    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[tuple, tuple[str, Rendered]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: tuple, version: str, render: Callable[[], bytes]) -> Rendered:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                return entry[1]
        body = render()
        rendered = Rendered(body, gzip.compress(body, mtime=0))
        with self._lock:
            self._entries[key] = (version, rendered)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return rendered

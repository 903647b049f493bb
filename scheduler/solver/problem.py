"""The instance turned into integer indices, a distance matrix and the feasible options: every
(request, speaker, date) triple that H1 and H2 allow. Everything downstream (greedy, CP-SAT model,
reasons) works on these indices so that it never re-derives a rule differently."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from scheduler.solver.instance import Instance

EARTH_RADIUS_KM = 6371.0
SAME_DAY_KM = 100.0
KM_SCALE = 10  # travel is optimised in integer units of 0.1 km


@dataclass(frozen=True, slots=True)
class Option:
    """One feasible triple; ``day`` counts days from the tour start."""

    index: int
    request: int
    speaker: int
    day: int
    rank: int
    penalty: int


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle km between every pair of points (Earth radius 6371.0 km, as the format says)."""
    p = np.radians(lat)[:, None]
    q = np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin((q - p) / 2) ** 2 + np.cos(p) * np.cos(q) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


class Problem:
    """Indexed view of an ``Instance`` with its feasible options."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.rules = inst.rules
        self.start: date = inst.tour.start
        self.days = (inst.tour.end - inst.tour.start).days + 1
        self.req_index = {r.id: i for i, r in enumerate(inst.requests)}
        self.spk_index = {s.id: i for i, s in enumerate(inst.speakers)}
        lat = np.array([r.lat for r in inst.requests], dtype=float)
        lon = np.array([r.lon for r in inst.requests], dtype=float)
        self.dist = haversine_matrix(lat, lon) if len(lat) else np.zeros((0, 0))
        self.dist_rows: list[list[float]] = self.dist.tolist()  # fast scalar access in loops
        # order of events within one day, as the checker sorts them
        self.order_key = [(r.start_time, r.id) for r in inst.requests]
        self.options: list[Option] = []
        self.by_request: list[list[int]] = [[] for _ in inst.requests]
        self.by_speaker: list[list[int]] = [[] for _ in inst.speakers]
        self.lookup: dict[tuple[int, int, int], int] = {}
        self._enumerate()
        km = self.rules.max_km_per_day
        max_d = float(self.dist.max()) if self.dist.size else 0.0
        # beyond this many days apart every pair of venues is reachable: travel never binds
        self.reach_days = max(1, int(max_d // km) + 1)

    def __getstate__(self) -> dict:
        """Pickled (for the column bound's process) without ``dist_rows``, a copy of ``dist``
        as Python floats that is half of what an xl tour would send."""
        return {k: v for k, v in self.__dict__.items() if k != "dist_rows"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.dist_rows = self.dist.tolist()

    def _enumerate(self) -> None:
        inst = self.inst
        for r_i, req in enumerate(inst.requests):
            preferred = set(req.preferred_speakers)
            for choice in req.dates:
                d = (choice.date - self.start).days
                if not 0 <= d < self.days:
                    continue
                for s_i, spk in enumerate(inst.speakers):
                    if req.language not in spk.languages or choice.date in spk.unavailable:
                        continue
                    penalty = choice.rank - 1 + (1 if preferred and spk.id not in preferred else 0)
                    o = Option(len(self.options), r_i, s_i, d, choice.rank, penalty)
                    self.options.append(o)
                    self.by_request[r_i].append(o.index)
                    self.by_speaker[s_i].append(o.index)
                    self.lookup[(r_i, s_i, d)] = o.index
        for s_i, lst in enumerate(self.by_speaker):
            lst.sort(key=lambda i: (self.options[i].day, self.order_key[self.options[i].request]))
            self.by_speaker[s_i] = lst

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def week_of(self, day: int) -> tuple[int, int]:
        iso = self.date_of(day).isocalendar()
        return (iso[0], iso[1])

    def travel_ok(self, r1: int, d1: int, r2: int, d2: int) -> bool:
        """H3 (same day, when several events a day are allowed) and H4 for one pair of events."""
        gap = abs(d2 - d1)
        km = self.dist[r1, r2]
        if gap == 0:
            return km <= SAME_DAY_KM
        return km <= self.rules.max_km_per_day * gap

    def before(self, r1: int, d1: int, r2: int, d2: int) -> bool:
        """Whether event (r1, d1) comes before (r2, d2) in a speaker's date-and-time order."""
        return (d1, self.order_key[r1]) < (d2, self.order_key[r2])

    def km_units(self, r1: int, r2: int) -> int:
        return int(round(self.dist[r1, r2] * KM_SCALE))

    def options_by_day(self, s: int) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for o in self.by_speaker[s]:
            out[self.options[o].day].append(o)
        return out

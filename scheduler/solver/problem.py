"""The instance turned into integer indices, a distance matrix and the feasible options: every
(request, speaker, date) triple that H1, H2 and H9 allow (H9, the home rule, only ever concerns
one event, so an option that breaks it simply does not exist). Everything downstream (greedy,
CP-SAT model, bounds, reasons) works on these indices so that it never re-derives a rule
differently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import numpy as np

from scheduler.solver.geo import haversine_matrix, haversine_to
from scheduler.solver.instance import MINUTES_CAP, Instance

KM_SCALE = 10  # travel is optimised in integer units of 0.1 km
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Option(NamedTuple):
    """One feasible triple; ``day`` counts days from the tour start, ``start`` and ``end`` are
    the event's instants in minutes since 1970 (UTC). A named tuple: a 2,000-request tour has
    130,000 of them, and a frozen dataclass took a second to make them."""

    index: int
    request: int
    speaker: int
    day: int
    rank: int
    penalty: int
    start: int
    end: int


class Problem:
    """Indexed view of an ``Instance`` with its feasible options and each speaker's limits."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.rules = inst.rules
        self.start: date = inst.tour.start
        self.days = (inst.tour.end - inst.tour.start).days + 1
        # each day's date and ISO week, looked up rather than recomputed: the rules ask millions
        # of times on a 2,000-request tour (the reasons of the unserved alone took 6 s)
        self._dates = [self.start + timedelta(days=d) for d in range(self.days + 1)]
        self._weeks = [tuple(day.isocalendar()[:2]) for day in self._dates]
        self.req_index = {r.id: i for i, r in enumerate(inst.requests)}
        self.spk_index = {s.id: i for i, s in enumerate(inst.speakers)}
        lat = np.array([r.lat for r in inst.requests], dtype=float)
        lon = np.array([r.lon for r in inst.requests], dtype=float)
        self.dist = haversine_matrix(lat, lon) if len(lat) else np.zeros((0, 0))
        self.dist_rows: list[list[float]] = self.dist.tolist()  # fast scalar access in loops
        # km from each speaker's home to each venue (H9 and the travel objective's home legs)
        self.home_km = np.zeros((len(inst.speakers), len(inst.requests)))
        for s, spk in enumerate(inst.speakers):
            self.home_km[s] = haversine_to(spk.home[0], spk.home[1], lat, lon)
        per_day = self.rules.max_events_per_day
        # each speaker's own limits, with "no cap" as the most the calendar allows
        self.week_cap = [min(7 * per_day, spk.max_events_per_week or 7 * per_day)
                         for spk in inst.speakers]
        self.run_cap = [min(self.days, spk.max_consecutive_days or self.days)
                        for spk in inst.speakers]
        self.km_week_cap = [spk.max_km_per_week for spk in inst.speakers]
        self.km_week_cap_any = any(cap is not None for cap in self.km_week_cap)
        self._instants: dict[tuple[int, int], tuple[int, int]] = {}
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
                start, end = self.instants(r_i, d)
                for s_i, spk in enumerate(inst.speakers):
                    if req.language not in spk.languages or choice.date in spk.unavailable:
                        continue
                    if self.home_short(s_i, r_i, d) is not None:
                        continue
                    penalty = choice.rank - 1 + (1 if preferred and spk.id not in preferred else 0)
                    o = Option(len(self.options), r_i, s_i, d, choice.rank, penalty, start, end)
                    self.options.append(o)
                    self.by_request[r_i].append(o.index)
                    self.by_speaker[s_i].append(o.index)
                    self.lookup[(r_i, s_i, d)] = o.index
        for lst in self.by_speaker:
            lst.sort(key=self.order_of)

    def order_of(self, o: int) -> tuple[int, int, int]:
        """An option's place in a speaker's time order: date, then start instant."""
        opt = self.options[o]
        return (opt.day, opt.start, opt.request)

    def date_of(self, day: int) -> date:
        if 0 <= day <= self.days:
            return self._dates[day]
        return self.start + timedelta(days=day)

    def week_of(self, day: int) -> tuple[int, int]:
        if 0 <= day <= self.days:
            return self._weeks[day]
        iso = self.date_of(day).isocalendar()
        return (iso[0], iso[1])

    def week_days(self, day: int) -> range:
        """The days (from the tour start, maybe outside the tour) of ``day``'s ISO week."""
        monday = day - self.date_of(day).weekday()
        return range(monday, monday + 7)

    def instants(self, r: int, d: int) -> tuple[int, int]:
        """Start and end of request ``r`` on day ``d``, in minutes since 1970 (UTC)."""
        key = (r, d)
        if key not in self._instants:
            req = self.inst.requests[r]
            day = self.date_of(d)
            self._instants[key] = (_minutes(req.start_utc(day)), _minutes(req.end_utc(day)))
        return self._instants[key]

    def home_short(self, s: int, r: int, d: int) -> tuple[float, float, str] | None:
        """H9 for one event: None when the speaker can be there on day ``d`` from home and back
        home in time, else (km from home, km allowed, "from" or "back")."""
        if not self.rules.travel_from_home:
            return None
        km = float(self.home_km[s, r])
        per_day = self.rules.max_km_per_day
        out_allowed = per_day * (d + 1)
        back_allowed = per_day * (self.days - d)
        if km > out_allowed:
            return km, out_allowed, "from"
        if km > back_allowed:
            return km, back_allowed, "back"
        return None

    def clock_ok(self, r1: int, r2: int, d: int) -> bool:
        """H3's clock for two events on the same date: the later starts no earlier than the
        earlier one's end plus the turnaround and the drive between them; same start: never."""
        a, b = self.instants(r1, d), self.instants(r2, d)
        if a[0] == b[0]:
            return False
        if b[0] < a[0]:
            a, b = b, a
        rules = self.rules
        drive = self.dist_rows[r1][r2] / rules.same_day_speed_kmh * 60
        turnaround = min(rules.turnaround_minutes, MINUTES_CAP)
        return b[0] >= a[1] + turnaround + drive

    def travel_ok(self, r1: int, d1: int, r2: int, d2: int) -> bool:
        """H3 (same day: distance and clock) and H4 for one pair of events."""
        gap = abs(d2 - d1)
        km = self.dist_rows[r1][r2]
        if gap == 0:
            return km <= self.rules.same_day_km and self.clock_ok(r1, r2, d1)
        return km <= self.rules.max_km_per_day * gap

    def km_units(self, r1: int, r2: int) -> int:
        return int(round(self.dist[r1, r2] * KM_SCALE))

    def home_units(self, s: int, r: int) -> int:
        return int(round(self.home_km[s, r] * KM_SCALE))


def _minutes(instant: datetime) -> int:
    return int((instant - _EPOCH).total_seconds() // 60)

"""The hard rules H3-H7 as an incremental schedule: what stops one more event for a speaker.

The greedy first solution, the final repair, the reasons for unassigned requests and the check of
pinned assignments all ask the same question, so they share this one answer."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from scheduler.solver.problem import SAME_DAY_KM, Problem


@dataclass(frozen=True)
class Block:
    """One rule that stops an event; ``other`` is the request index of the event in the way."""

    rule: str
    text: str
    other: int | None = None


class Schedule:
    """Events per speaker, with the counts the rules need."""

    def __init__(self, prob: Problem):
        self.prob = prob
        n = len(prob.inst.speakers)
        self.days: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(n)]
        self.weeks: list[Counter] = [Counter() for _ in range(n)]
        self.count = [0] * n
        self.placed: dict[int, tuple[int, int]] = {}  # request -> (speaker, day)

    def add(self, s: int, r: int, d: int) -> None:
        self.days[s][d].append(r)
        self.weeks[s][self.prob.week_of(d)] += 1
        self.count[s] += 1
        self.placed[r] = (s, d)

    def blockers(self, s: int, r: int, d: int, first_only: bool = False) -> list[Block]:
        """Every rule among H3-H7 that adding request ``r`` on day ``d`` to speaker ``s`` breaks."""
        prob, rules = self.prob, self.prob.rules
        spk = prob.inst.speakers[s]
        reqs = prob.inst.requests
        out: list[Block] = []
        days = self.days[s]
        same = days.get(d, [])
        if len(same) >= rules.max_events_per_day:
            out.append(Block("H3", f"{spk.id} already has {len(same)} event(s) that day "
                                   f"({', '.join(reqs[q].id for q in same)})", same[0]))
        for q in same:
            km_apart = prob.dist_rows[r][q]
            if km_apart > SAME_DAY_KM:
                out.append(Block("H3", f"{spk.id} speaks at {reqs[q].id} that day, "
                                       f"{km_apart:.0f} km away (> {SAME_DAY_KM:g} km)", q))
        if out and first_only:
            return out
        km = rules.max_km_per_day
        for gap in range(1, prob.reach_days + 1):
            for d2 in (d - gap, d + gap):
                for q in days.get(d2, ()):
                    if prob.dist_rows[r][q] > km * gap:
                        out.append(Block("H4", f"{spk.id} speaks at {reqs[q].id} on "
                                               f"{prob.date_of(d2)}, {prob.dist_rows[r][q]:.0f} km "
                                               f"away (> {km * gap:g} km in {gap} day(s))", q))
                        if first_only:
                            return out
        week = prob.week_of(d)
        if self.weeks[s][week] >= rules.max_events_per_week:
            out.append(Block("H5", f"{spk.id} already has {self.weeks[s][week]} events in ISO week "
                                   f"{week[0]}-W{week[1]:02d}"))
        if d not in days or not days[d]:
            run = 1
            x = d - 1
            while days.get(x):
                run += 1
                x -= 1
            x = d + 1
            while days.get(x):
                run += 1
                x += 1
            if run > rules.max_consecutive_days:
                out.append(Block("H6", f"{spk.id} would work {run} days in a row "
                                       f"(> {rules.max_consecutive_days})"))
        if spk.max_events is not None and self.count[s] >= spk.max_events:
            out.append(Block("H7", f"{spk.id} already has {self.count[s]} events "
                                   f"(max_events {spk.max_events})"))
        return out

    def fits(self, s: int, r: int, d: int) -> bool:
        return not self.blockers(s, r, d, first_only=True)


RULE_NAMES = {
    "H1": "one of its own dates inside the tour, once",
    "H2": "speaker available and speaking the language",
    "H3": "events per day",
    "H4": "travel per day",
    "H5": "events per ISO week",
    "H6": "consecutive days",
    "H7": "events per speaker in the tour",
}


@dataclass(frozen=True)
class PinConflict:
    text: str  # one line, rule first
    requests: tuple[str, ...]  # the pinned requests it involves


def pinned_conflicts(prob: Problem) -> list[PinConflict]:
    """Why the pinned assignments cannot all hold, one per conflict (empty when they can).

    The pinned set alone is a solution whenever it keeps the rules (every other request may stay
    unassigned), so this check decides INFEASIBLE exactly.
    """
    inst = prob.inst
    out: list[PinConflict] = []
    sched = Schedule(prob)
    seen: dict[int, tuple[int, int]] = {}
    for pin in inst.pinned:
        r, s = prob.req_index[pin.request], prob.spk_index[pin.speaker]
        d = (pin.date - prob.start).days
        req, spk = inst.requests[r], inst.speakers[s]
        label = f"pinned {pin.request} -> {pin.speaker} on {pin.date}"
        if r in seen:
            if seen[r] != (s, d):
                out.append(PinConflict(f"H1 ({RULE_NAMES['H1']}): {label} contradicts another "
                                       f"pin of {pin.request}", (pin.request,)))
            continue
        seen[r] = (s, d)
        broken = False
        if pin.date not in {c.date for c in req.dates}:
            out.append(PinConflict(f"H1 ({RULE_NAMES['H1']}): {label}: {pin.request} did not "
                                   "offer that date", (pin.request,)))
            broken = True
        elif not 0 <= d < prob.days:
            out.append(PinConflict(f"H1 ({RULE_NAMES['H1']}): {label}: the date is outside the "
                                   "tour", (pin.request,)))
            broken = True
        if pin.date in spk.unavailable:
            out.append(PinConflict(f"H2 ({RULE_NAMES['H2']}): {label}: {pin.speaker} is "
                                   "unavailable that day", (pin.request,)))
            broken = True
        if req.language not in spk.languages:
            out.append(PinConflict(f"H2 ({RULE_NAMES['H2']}): {label}: {pin.speaker} does not "
                                   f"speak {req.language!r}", (pin.request,)))
            broken = True
        for b in sched.blockers(s, r, d):
            with_, involved = "", (pin.request,)
            if b.other is not None:
                o_s, o_d = sched.placed[b.other]
                other = inst.requests[b.other].id
                with_ = (f" (conflicts with pinned {other} -> {inst.speakers[o_s].id} on "
                         f"{prob.date_of(o_d)})")
                involved = (pin.request, other)
            out.append(PinConflict(f"{b.rule} ({RULE_NAMES[b.rule]}): {label}: {b.text}{with_}",
                                   involved))
            broken = True
        if not broken:
            sched.add(s, r, d)
    return out

"""The hard rules H3-H7, H9 and H10 as an incremental schedule: what stops one more event for a
speaker.

The greedy first schedule, the final repair, the search's check of H10 (``week_overruns``), the
reasons for unassigned requests and the check of pinned assignments all ask the same question, so
they share this one answer. Each ``Block`` says it in plain words: names, places, dates, km.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from scheduler.solver.problem import Problem
from scheduler.solver.words import day_text, km_text, minutes_text, named

# each rule in plain words, for summaries ("blocked by ... (3 of 5)")
RULE_NAMES = {
    "H1": "one of its own dates inside the tour, once (H1)",
    "H2": "speaker available and speaking the language (H2)",
    "H3": "talks on one day: how many, how far apart and fitting the clock (H3)",
    "H4": "driving between days (H4)",
    "H5": "talks a week (H5)",
    "H6": "days in a row (H6)",
    "H7": "talks in the whole tour (H7)",
    "H8": "pinned talks (H8)",
    "H9": "leaving home on the first day and home again after the last (H9)",
    "H10": "driving a week (H10)",
}


@dataclass(frozen=True)
class Block:
    """One rule that stops an event; ``other`` is the request index of the event in the way.
    ``words`` may be a function that writes them: most blocks are only counted (the reasons of
    a 2,000-request tour ask for some 400,000 and show a few), and writing each took most of
    the time."""

    rule: str
    words: str | Callable[[], str]
    other: int | None = None

    @property
    def text(self) -> str:
        return self.words() if callable(self.words) else self.words


def speaker_name(prob: Problem, s: int) -> str:
    spk = prob.inst.speakers[s]
    return named(spk.name, spk.id)


def event_name(prob: Problem, r: int) -> str:
    """``LiNK at UCLA (Royce Hall)``."""
    req = prob.inst.requests[r]
    chapter = named(req.chapter, req.id)
    return f"{chapter} ({req.venue_name})" if req.venue_name.strip() else chapter


def place_name(prob: Problem, r: int) -> str:
    req = prob.inst.requests[r]
    return named(req.venue_name, named(req.chapter, req.id))


def home_block(prob: Problem, s: int, r: int, d: int) -> Block | None:
    """H9 for one event (the options never include one that breaks it; reasons and pins ask)."""
    short = prob.home_short(s, r, d)
    if short is None:
        return None
    km, allowed, way = short
    who = speaker_name(prob, s)
    where = place_name(prob, r)
    if way == "from":
        text = (f"{who}'s home is {km_text(km)} from {where}: not reachable by "
                f"{day_text(prob.date_of(d))} leaving home on {day_text(prob.start)} "
                f"({km_text(allowed)} of driving at most)")
    else:
        text = (f"{who}'s home is {km_text(km)} from {where}: not home again by "
                f"{day_text(prob.date_of(prob.days))}, the day after the tour "
                f"({km_text(allowed)} of driving at most)")
    return Block("H9", text)


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

    def remove(self, r: int) -> None:
        s, d = self.placed.pop(r)
        self.days[s][d].remove(r)
        self.weeks[s][self.prob.week_of(d)] -= 1
        self.count[s] -= 1

    def week_events(self, s: int, day: int) -> list[tuple[int, int]]:
        """The speaker's (request, day) events of ``day``'s ISO week in time order."""
        prob = self.prob
        days = self.days[s]
        events = [(r, d) for d in prob.week_days(day) for r in days.get(d, ())]
        return sorted(events, key=lambda e: (e[1], prob.instants(e[0], e[1])[0], e[0]))

    def week_km(self, events: list[tuple[int, int]]) -> float:
        rows = self.prob.dist_rows
        return sum(rows[a][b] for (a, _), (b, _) in zip(events, events[1:], strict=False))

    def blockers(self, s: int, r: int, d: int, first_only: bool = False) -> list[Block]:
        """Every rule among H3-H7 and H10 that adding request ``r`` on day ``d`` to speaker
        ``s`` breaks, in plain words."""
        prob, rules = self.prob, self.prob.rules
        spk = prob.inst.speakers[s]
        who = speaker_name(prob, s)
        out: list[Block] = []

        def when() -> str:
            return day_text(prob.date_of(d))

        def monday() -> date:
            return prob.date_of(d - prob.date_of(d).weekday())

        days = self.days[s]
        same = days.get(d, [])
        if len(same) >= rules.max_events_per_day:
            talks = "a talk" if len(same) == 1 else f"{len(same)} talks"
            there = tuple(same)  # as it is now, should the schedule change before it is read
            out.append(Block("H3", lambda: f"{who} already has {talks} on {when()} "
                                           f"({', '.join(event_name(prob, q) for q in there)}, "
                                           f"at most {rules.max_events_per_day} a day)",
                             same[0]))
        for q in same:
            km_apart = prob.dist_rows[r][q]
            if km_apart > rules.same_day_km:
                out.append(Block("H3", lambda q=q, km_apart=km_apart: (
                    f"{who} speaks at {event_name(prob, q)} on {when()}, {km_text(km_apart)} "
                    f"away (at most {km_text(rules.same_day_km)} between talks of one day)"), q))
            elif not prob.clock_ok(r, q, d):
                out.append(Block("H3", lambda q=q: self._clock_text(s, r, q, d), q))
        if out and first_only:
            return out
        km = rules.max_km_per_day
        for gap in range(1, prob.reach_days + 1):
            for d2 in (d - gap, d + gap):
                for q in days.get(d2, ()):
                    if prob.dist_rows[r][q] > km * gap:
                        out.append(Block("H4", lambda q=q, d2=d2, gap=gap: (
                            f"{who} speaks at {event_name(prob, q)} on "
                            f"{day_text(prob.date_of(d2))}, {km_text(prob.dist_rows[r][q])} away "
                            f"(at most {km_text(km * gap)} in {gap} "
                            f"{'day' if gap == 1 else 'days'})"), q))
                        if first_only:
                            return out
        week = prob.week_of(d)
        if self.weeks[s][week] >= prob.week_cap[s]:
            held = self.weeks[s][week]
            out.append(Block("H5", lambda: f"{who} already has {held} talks in the week of "
                                           f"{day_text(monday())} (at most {prob.week_cap[s]})"))
        if d not in days or not days[d]:
            run = 1
            x = d - 1
            while days.get(x):
                run += 1
                x -= 1
            first = x + 1
            x = d + 1
            while days.get(x):
                run += 1
                x += 1
            if run > prob.run_cap[s]:
                last = x - 1
                out.append(Block("H6", lambda: f"{who} would work {run} days in a row "
                                               f"({day_text(prob.date_of(first))} to "
                                               f"{day_text(prob.date_of(last))}, at most "
                                               f"{prob.run_cap[s]})"))
        if spk.max_events is not None and self.count[s] >= spk.max_events:
            held = self.count[s]
            out.append(Block("H7", lambda: f"{who} already has {held} talks in the tour "
                                           f"(at most {spk.max_events})"))
        cap = prob.km_week_cap[s]
        if cap is not None:
            events = self.week_events(s, d)
            before = self.week_km(events)
            after = self.week_km(sorted([*events, (r, d)], key=lambda e: (
                e[1], prob.instants(e[0], e[1])[0], e[0])))
            if after > cap:
                out.append(Block("H10", lambda: f"the week of {day_text(monday())} already has "
                                                f"{km_text(before)} of {km_text(cap)} of driving "
                                                f"for {who}, and {place_name(prob, r)} would "
                                                f"make it {km_text(after)}"))
        return out

    def _clock_text(self, s: int, r: int, q: int, d: int) -> str:
        prob, rules = self.prob, self.prob.rules
        a_start, b_start = prob.instants(r, d)[0], prob.instants(q, d)[0]
        first, second = (r, q) if a_start <= b_start else (q, r)
        who = speaker_name(prob, s)
        if a_start == b_start:
            return (f"{who} speaks at {event_name(prob, q)} on {day_text(prob.date_of(d))} "
                    "at the same time")
        drive = prob.dist_rows[r][q] / rules.same_day_speed_kmh * 60
        return (f"{who} speaks at {event_name(prob, q)} on {day_text(prob.date_of(d))}: "
                f"{event_name(prob, second)} starts too soon after {event_name(prob, first)} "
                f"ends (needs {minutes_text(rules.turnaround_minutes)} to turn around and "
                f"{minutes_text(drive)} to drive {km_text(prob.dist_rows[r][q])})")

    def fits(self, s: int, r: int, d: int) -> bool:
        return not self.blockers(s, r, d, first_only=True)


def week_overruns(prob: Problem, chosen) -> list[list[int]]:
    """H10 for a whole schedule (options): per speaker and ISO week over its cap, a smallest
    set of that week's options still over it (dropping any one of them keeps the rule), for a
    cut that forbids the set."""
    opts = prob.options
    weeks: dict[tuple[int, tuple[int, int]], list[int]] = defaultdict(list)
    for o in chosen:
        if prob.km_week_cap[opts[o].speaker] is not None:
            weeks[(opts[o].speaker, prob.week_of(opts[o].day))].append(o)
    out = []
    for (s, _), own in weeks.items():
        cap = prob.km_week_cap[s]
        own.sort(key=prob.order_of)
        if legs_km(prob, own) <= cap:
            continue
        for o in list(own):
            smaller = [p for p in own if p != o]
            if legs_km(prob, smaller) > cap:
                own = smaller
        out.append(own)
    return out


def legs_km(prob: Problem, ordered: list[int]) -> float:
    """The km between consecutive options of ``ordered`` (H10's measure within one week)."""
    opts, rows = prob.options, prob.dist_rows
    return sum(rows[opts[a].request][opts[b].request]
               for a, b in zip(ordered, ordered[1:], strict=False))


@dataclass(frozen=True)
class PinConflict:
    text: str  # one line, in plain words, the rule's name in it
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
        who = speaker_name(prob, s)
        label = f"{event_name(prob, r)} is pinned to {who} on {day_text(pin.date)}"
        if r in seen:
            if seen[r] != (s, d):
                out.append(PinConflict(f"{label}, but it is pinned elsewhere too: a talk is "
                                       f"given once ({RULE_NAMES['H1']})", (pin.request,)))
            continue
        seen[r] = (s, d)
        broken = []
        if pin.date not in {c.date for c in req.dates}:
            broken.append(Block("H1", f"the chapter did not offer {day_text(pin.date)}"))
        elif not 0 <= d < prob.days:
            broken.append(Block("H1", f"{day_text(pin.date)} is outside the tour "
                                      f"({day_text(inst.tour.start)} to "
                                      f"{day_text(inst.tour.end)})"))
        if pin.date in spk.unavailable:
            broken.append(Block("H2", f"{who} is unavailable that day"))
        if req.language not in spk.languages:
            broken.append(Block("H2", f"{who} does not speak {req.language!r}"))
        if 0 <= d < prob.days:
            home = home_block(prob, s, r, d)
            if home is not None:
                broken.append(home)
        broken.extend(sched.blockers(s, r, d))
        for b in broken:
            involved = (pin.request,)
            if b.other is not None:
                involved = (pin.request, inst.requests[b.other].id)
            out.append(PinConflict(f"{label}, but {b.text} ({RULE_NAMES[b.rule]})", involved))
        if not broken:
            sched.add(s, r, d)
    return out

"""Why a request stayed unassigned, stated so a chapter can act on it and true of this solution.

Either nothing could ever serve it (no offered date inside the tour, no speaker with its
language, every such speaker away on every offered date, or too far from every speaker's home to
get there and back within the tour), or every (speaker, date) that could serve it is blocked in
the final schedule; then the reason names the rules that block, in plain words, and the talks
that took the place, with their priority.
"""

from __future__ import annotations

from collections import Counter

from scheduler.solver.problem import Problem
from scheduler.solver.rules import RULE_NAMES, Schedule, home_block, speaker_name
from scheduler.solver.words import day_text

_SHOWN = 3


def reason(prob: Problem, sched: Schedule, r: int, proven: bool) -> str:
    """``proven``: the served weight is proven optimal, so no rearrangement could add it."""
    inst = prob.inst
    req = inst.requests[r]
    tour = inst.tour
    inside = [c.date for c in req.dates if tour.start <= c.date <= tour.end]
    if not inside:
        offered = ", ".join(day_text(c.date) for c in req.dates) or "none"
        return (f"no offered date lies inside the tour ({day_text(tour.start)} to "
                f"{day_text(tour.end)}; offered: {offered})")
    speakers = [s for s, spk in enumerate(inst.speakers) if req.language in spk.languages]
    if not speakers:
        return f"no speaker speaks {req.language!r}"
    able = [(s, (d - prob.start).days) for s in speakers for d in inside
            if d not in inst.speakers[s].unavailable]
    if not able:
        return (f"every speaker who speaks {req.language!r} is unavailable on every offered date "
                f"({', '.join(day_text(d) for d in sorted(inside))})")
    rules = Counter()
    examples = []
    takers = {}
    for s, d in sorted(able, key=lambda sd: (sd[1], sd[0])):
        home = home_block(prob, s, r, d)
        blocks = [home] if home is not None else sched.blockers(s, r, d)
        for rule in {b.rule for b in blocks}:
            rules[rule] += 1
        if blocks and len(examples) < _SHOWN:
            examples.append(f"{speaker_name(prob, s)} on {day_text(prob.date_of(d))}: "
                            f"{blocks[0].text}")
        for b in blocks:
            if b.other is not None:
                takers[b.other] = inst.requests[b.other]
    if set(rules) == {"H9"}:
        return (f"too far from home for every speaker able to give it ({RULE_NAMES['H9']}); "
                f"e.g. {'; '.join(examples)}")
    summary = ", ".join(f"{RULE_NAMES[rule]} ({n} of {len(able)})"
                        for rule, n in sorted(rules.items(), key=lambda kv: int(kv[0][1:])))
    text = (f"capacity: each of the {len(able)} speaker-date pairs able to serve it is blocked by "
            f"{summary}")
    if takers:
        higher = sum(1 for q in takers.values() if q.priority > req.priority)
        same = sum(1 for q in takers.values() if q.priority == req.priority)
        lower = len(takers) - higher - same
        parts = [f"{n} of {label} priority" for n, label in
                 ((higher, "higher"), (same, "equal"), (lower, "lower")) if n]
        text += f"; the places went to {len(takers)} other talk(s) ({', '.join(parts)})"
    if proven:
        text += "; no rearrangement serves more weight (proven optimal)"
    return f"{text}; e.g. {'; '.join(examples)}"

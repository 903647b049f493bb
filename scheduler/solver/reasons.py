"""Why a request stayed unassigned, stated so a chapter can act on it and true of this solution.

Either nothing could ever serve it (no offered date inside the tour, no speaker with its
language, every such speaker away on every offered date), or every (speaker, date) that could
serve it is blocked in the final schedule; then the reason names the rules that block and the
requests that took the place, with their priority.
"""

from __future__ import annotations

from collections import Counter

from scheduler.solver.problem import Problem
from scheduler.solver.rules import RULE_NAMES, Schedule

_SHOWN = 3


def reason(prob: Problem, sched: Schedule, r: int, proven: bool) -> str:
    """``proven``: the served weight is proven optimal, so no rearrangement could add it."""
    inst = prob.inst
    req = inst.requests[r]
    tour = inst.tour
    inside = [c.date for c in req.dates if tour.start <= c.date <= tour.end]
    if not inside:
        return f"no offered date inside the tour ({tour.start}..{tour.end})"
    speakers = [s for s, spk in enumerate(inst.speakers) if req.language in spk.languages]
    if not speakers:
        return f"no speaker speaks {req.language!r}"
    able = [(s, (d - prob.start).days) for s in speakers for d in inside
            if d not in inst.speakers[s].unavailable]
    if not able:
        return (f"every speaker who speaks {req.language!r} is unavailable on every offered date "
                f"({', '.join(str(d) for d in sorted(inside))})")
    rules = Counter()
    examples = []
    takers = {}
    for s, d in sorted(able, key=lambda sd: (sd[1], sd[0])):
        blocks = sched.blockers(s, r, d)
        for rule in {b.rule for b in blocks}:
            rules[rule] += 1
        if blocks and len(examples) < _SHOWN:
            examples.append(f"{inst.speakers[s].id} on {prob.date_of(d)}: {blocks[0].text}")
        for b in blocks:
            if b.other is not None:
                takers[b.other] = inst.requests[b.other]
    summary = ", ".join(f"{rule} {RULE_NAMES[rule]} ({n} of {len(able)})"
                        for rule, n in sorted(rules.items()))
    text = (f"capacity: each of the {len(able)} speaker-date pairs able to serve it is blocked by "
            f"{summary}")
    if takers:
        higher = sum(1 for q in takers.values() if q.priority > req.priority)
        same = sum(1 for q in takers.values() if q.priority == req.priority)
        lower = len(takers) - higher - same
        parts = [f"{n} of {label} priority" for n, label in
                 ((higher, "higher"), (same, "equal"), (lower, "lower")) if n]
        text += f"; the places went to {len(takers)} other request(s) ({', '.join(parts)})"
    if proven:
        text += "; no rearrangement serves more weight (proven optimal)"
    return f"{text}; e.g. {'; '.join(examples)}"

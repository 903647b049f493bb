"""An independent checker of speaker-tour solutions (tour-format.md, H1-H8 and the objective).

Written apart from the CP-SAT model and on plain tour-format dicts only, so that a bug in the
model cannot hide in a shared helper, and so the app can check a coordinator's hand edits with the
same code. It favours plainness over speed: every rule is checked the way the format states it
(H4 over every pair of a speaker's events, not only consecutive ones).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

SOLUTION_FORMAT = "speaker-tour-solution/1"
STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")
EARTH_RADIUS_KM = 6371.0
SAME_DAY_KM = 100.0
DEFAULT_RULES = {
    "max_km_per_day": 650,
    "max_events_per_day": 1,
    "max_events_per_week": 5,
    "max_consecutive_days": 4,
}
# Per-leg rounding to 0.1 km is a legitimate way to report travel; anything beyond that is wrong.
TRAVEL_TOLERANCE_PER_LEG_KM = 0.05


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``rule`` is H1..H8 or a structural check (FORMAT, UNKNOWN, COVERAGE,
    OBJECTIVE, BOUND); ``message`` names the request, speaker, dates and numbers involved."""

    rule: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Event:
    request: str
    speaker: str
    day: date
    lat: float
    lon: float
    start_time: str


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371.0 km, as the format prescribes."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def rules_of(instance: dict) -> dict:
    """The instance's rules with the format's defaults filled in."""
    return {**DEFAULT_RULES, **(instance.get("rules") or {})}


def preference_penalty(request: dict, speaker_id: str, day: date) -> int:
    """``rank - 1`` of the chosen date, plus 1 when preferred speakers exist and this is not one."""
    rank = None
    for choice in request.get("dates", []):
        if _parse_date(choice.get("date")) == day:
            rank = choice.get("rank", 1)
            break
    penalty = (rank or 1) - 1
    preferred = request.get("preferred_speakers") or []
    if preferred and speaker_id not in preferred:
        penalty += 1
    return penalty


def compute_objective(instance: dict, assignments: list[dict]) -> dict:
    """The three objective levels of a list of assignments, computed from the format's definitions.

    Assignments naming an unknown request or speaker, or without a readable date, are left out:
    ``check_solution`` reports them separately.
    """
    requests = {r["id"]: r for r in instance.get("requests", [])}
    speakers = {s["id"] for s in instance.get("speakers", [])}
    served = 0
    penalty = 0
    by_speaker: dict[str, list[_Event]] = defaultdict(list)
    for a in assignments:
        request = requests.get(a.get("request"))
        day = _parse_date(a.get("date"))
        if request is None or a.get("speaker") not in speakers or day is None:
            continue
        served += request.get("priority", 1)
        penalty += preference_penalty(request, a["speaker"], day)
        by_speaker[a["speaker"]].append(_event(request, a["speaker"], day))
    travel = 0.0
    for events in by_speaker.values():
        ordered = sorted(events, key=lambda e: (e.day, e.start_time, e.request))
        for prev, nxt in zip(ordered, ordered[1:], strict=False):
            travel += haversine_km(prev.lat, prev.lon, nxt.lat, nxt.lon)
    return {
        "served_weight": served,
        "preference_penalty": penalty,
        "travel_km": round(travel, 1),
    }


def check_solution(instance: dict, solution: dict) -> list[Violation]:
    """Every way ``solution`` breaks the format or the hard rules H1-H8 of ``instance``.

    An empty list means a coordinator can trust every line of it.
    """
    out: list[Violation] = []
    requests = {r["id"]: r for r in instance.get("requests", [])}
    speakers = {s["id"]: s for s in instance.get("speakers", [])}
    rules = rules_of(instance)

    _check_header(solution, out)
    assignments = solution.get("assignments") or []
    events = _events(assignments, requests, speakers, out)
    _check_coverage(requests, assignments, solution.get("unassigned") or [], out)
    _check_h1_h2(instance, requests, speakers, events, out)
    by_speaker: dict[str, list[_Event]] = defaultdict(list)
    for e in events:
        by_speaker[e.speaker].append(e)
    for speaker_id, own in sorted(by_speaker.items()):
        own.sort(key=lambda e: (e.day, e.start_time, e.request))
        _check_h3_h4(speaker_id, own, rules, out)
        _check_h5(speaker_id, own, rules, out)
        _check_h6(speaker_id, own, rules, out)
        _check_h7(speakers[speaker_id], own, out)
    _check_h8(instance, requests, speakers, assignments, out)
    _check_objective(instance, solution, assignments, out)
    return out


def _parse_date(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _event(request: dict, speaker_id: str, day: date) -> _Event:
    venue = request["venue"]
    return _Event(
        request=request["id"],
        speaker=speaker_id,
        day=day,
        lat=float(venue["lat"]),
        lon=float(venue["lon"]),
        start_time=request.get("start_time", "19:00"),
    )


def _check_header(solution: dict, out: list[Violation]) -> None:
    if solution.get("format") != SOLUTION_FORMAT:
        out.append(
            Violation(
                "FORMAT",
                f"FORMAT: format is {solution.get('format')!r}, expected {SOLUTION_FORMAT!r}",
            )
        )
    if solution.get("status") not in STATUSES:
        out.append(
            Violation(
                "FORMAT",
                f"FORMAT: status {solution.get('status')!r} is not one of {', '.join(STATUSES)}",
            )
        )


def _events(assignments, requests, speakers, out: list[Violation]) -> list[_Event]:
    """The assignments that name a known request, a known speaker and a readable date."""
    events = []
    for i, a in enumerate(assignments):
        where = f"assignments[{i}]"
        request_id, speaker_id = a.get("request"), a.get("speaker")
        ok = True
        if request_id not in requests:
            out.append(
                Violation(
                    "UNKNOWN",
                    f"UNKNOWN: {where} names request {request_id!r}, which is not in the instance",
                )
            )
            ok = False
        if speaker_id not in speakers:
            out.append(
                Violation(
                    "UNKNOWN",
                    f"UNKNOWN: {where} names speaker {speaker_id!r}, which is not in the instance",
                )
            )
            ok = False
        day = _parse_date(a.get("date"))
        if day is None:
            out.append(
                Violation(
                    "FORMAT", f"FORMAT: {where}.date {a.get('date')!r} is not a YYYY-MM-DD date"
                )
            )
            ok = False
        if ok:
            events.append(_event(requests[request_id], speaker_id, day))
    return events


def _check_coverage(requests, assignments, unassigned, out: list[Violation]) -> None:
    """Every request appears once, in ``assignments`` (H1: at most once) or in ``unassigned``."""
    assigned = Counter(a.get("request") for a in assignments)
    left = Counter(u.get("request") for u in unassigned)
    for request_id, n in sorted(assigned.items(), key=lambda kv: str(kv[0])):
        if n > 1 and request_id in requests:
            out.append(Violation("H1", f"H1 once: {request_id} is assigned {n} times"))
    for i, u in enumerate(unassigned):
        request_id = u.get("request")
        if request_id not in requests:
            out.append(
                Violation(
                    "UNKNOWN",
                    f"UNKNOWN: unassigned[{i}] names request "
                    f"{request_id!r}, which is not in the instance",
                )
            )
        elif not str(u.get("reason") or "").strip():
            out.append(Violation("COVERAGE", f"COVERAGE: unassigned {request_id} gives no reason"))
    for request_id, n in sorted(left.items(), key=lambda kv: str(kv[0])):
        if n > 1 and request_id in requests:
            out.append(
                Violation("COVERAGE", f"COVERAGE: {request_id} is listed {n} times in unassigned")
            )
    for request_id in requests:
        if assigned[request_id] and left[request_id]:
            out.append(
                Violation("COVERAGE", f"COVERAGE: {request_id} is both assigned and unassigned")
            )
        elif not assigned[request_id] and not left[request_id]:
            out.append(
                Violation("COVERAGE", f"COVERAGE: {request_id} is neither assigned nor unassigned")
            )


def _check_h1_h2(instance, requests, speakers, events, out: list[Violation]) -> None:
    tour = instance["tour"]
    start, end = date.fromisoformat(tour["start"]), date.fromisoformat(tour["end"])
    for e in events:
        request, speaker = requests[e.request], speakers[e.speaker]
        offered = {_parse_date(c.get("date")) for c in request.get("dates", [])}
        if e.day not in offered:
            listed = ", ".join(sorted(str(d) for d in offered if d)) or "none"
            out.append(
                Violation(
                    "H1",
                    f"H1 date: {e.request} is assigned {e.day}, which it did "
                    f"not offer (offered: {listed})",
                )
            )
        if not start <= e.day <= end:
            out.append(
                Violation(
                    "H1",
                    f"H1 window: {e.request} is assigned {e.day}, outside the tour {start}..{end}",
                )
            )
        unavailable = {_parse_date(d) for d in speaker.get("unavailable", [])}
        if e.day in unavailable:
            out.append(
                Violation(
                    "H2",
                    f"H2 unavailable: {e.speaker} is unavailable on {e.day} "
                    f"but assigned {e.request}",
                )
            )
        language = request.get("language", "en")
        languages = speaker.get("languages") or ["en"]
        if language not in languages:
            out.append(
                Violation(
                    "H2",
                    f"H2 language: {e.request} needs {language!r} but "
                    f"{e.speaker} speaks {', '.join(languages)}",
                )
            )


def _check_h3_h4(speaker_id: str, own: list[_Event], rules: dict, out: list[Violation]) -> None:
    per_day = Counter(e.day for e in own)
    for day, n in sorted(per_day.items()):
        if n > rules["max_events_per_day"]:
            out.append(
                Violation(
                    "H3",
                    f"H3 per day: {speaker_id} has {n} events on {day} > "
                    f"{rules['max_events_per_day']} allowed",
                )
            )
    km_per_day = rules["max_km_per_day"]
    for i, a in enumerate(own):
        for b in own[i + 1 :]:
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            days = (b.day - a.day).days
            if days == 0 and km > SAME_DAY_KM:
                out.append(
                    Violation(
                        "H3",
                        f"H3 same day: {speaker_id} {a.request} and "
                        f"{b.request} ({a.day}) are {km:.1f} km apart > "
                        f"{SAME_DAY_KM:g} km allowed on one day",
                    )
                )
            elif days > 0 and km > km_per_day * days:
                unit = "day" if days == 1 else "days"
                out.append(
                    Violation(
                        "H4",
                        f"H4 travel: {speaker_id} {a.request} ({a.day}) -> "
                        f"{b.request} ({b.day}): {km:.1f} km > "
                        f"{km_per_day * days:g} km allowed in {days} {unit}",
                    )
                )


def _check_h5(speaker_id: str, own: list[_Event], rules: dict, out: list[Violation]) -> None:
    weeks = Counter(e.day.isocalendar()[:2] for e in own)
    for (year, week), n in sorted(weeks.items()):
        if n > rules["max_events_per_week"]:
            monday = date.fromisocalendar(year, week, 1)
            out.append(
                Violation(
                    "H5",
                    f"H5 per week: {speaker_id} has {n} events in ISO week "
                    f"{year}-W{week:02d} ({monday}..{monday + timedelta(6)}) "
                    f"> {rules['max_events_per_week']} allowed",
                )
            )


def _check_h6(speaker_id: str, own: list[_Event], rules: dict, out: list[Violation]) -> None:
    days = sorted({e.day for e in own})
    limit = rules["max_consecutive_days"]
    run_start = 0
    for i in range(1, len(days) + 1):
        if i < len(days) and (days[i] - days[i - 1]).days == 1:
            continue
        length = i - run_start
        if length > limit:
            out.append(
                Violation(
                    "H6",
                    f"H6 consecutive: {speaker_id} works {length} days in a "
                    f"row ({days[run_start]}..{days[i - 1]}) > {limit} allowed",
                )
            )
        run_start = i


def _check_h7(speaker: dict, own: list[_Event], out: list[Violation]) -> None:
    cap = speaker.get("max_events")
    if cap is not None and len(own) > cap:
        out.append(
            Violation(
                "H7",
                f"H7 total: {speaker['id']} has {len(own)} events > {cap} allowed (max_events)",
            )
        )


def _check_h8(instance, requests, speakers, assignments, out: list[Violation]) -> None:
    placed = defaultdict(list)
    for a in assignments:
        placed[a.get("request")].append((a.get("speaker"), _parse_date(a.get("date"))))
    for i, pin in enumerate(instance.get("pinned") or []):
        request_id, speaker_id = pin.get("request"), pin.get("speaker")
        if request_id not in requests or speaker_id not in speakers:
            out.append(
                Violation(
                    "UNKNOWN",
                    f"UNKNOWN: pinned[{i}] names request {request_id!r} "
                    f"and speaker {speaker_id!r}; one is not in the "
                    "instance",
                )
            )
            continue
        wanted = (speaker_id, _parse_date(pin.get("date")))
        if wanted not in placed[request_id]:
            got = ", ".join(f"{s} on {d}" for s, d in placed[request_id]) or "unassigned"
            out.append(
                Violation(
                    "H8",
                    f"H8 pinned: {request_id} is pinned to {speaker_id} on "
                    f"{pin.get('date')} but the solution has {got}",
                )
            )


def _check_objective(instance, solution, assignments, out: list[Violation]) -> None:
    computed = compute_objective(instance, assignments)
    reported = solution.get("objective")
    if reported is None:
        if assignments or solution.get("status") not in ("INFEASIBLE", "UNKNOWN"):
            out.append(Violation("OBJECTIVE", "OBJECTIVE: the solution reports no objective"))
    else:
        for key in ("served_weight", "preference_penalty"):
            if reported.get(key) != computed[key]:
                out.append(
                    Violation(
                        "OBJECTIVE",
                        f"OBJECTIVE {key}: reported "
                        f"{reported.get(key)!r}, computed {computed[key]}",
                    )
                )
        legs = max(0, len(assignments) - 1)
        tolerance = 0.1 + TRAVEL_TOLERANCE_PER_LEG_KM * legs
        travel = reported.get("travel_km")
        if not isinstance(travel, int | float) or abs(travel - computed["travel_km"]) > tolerance:
            out.append(
                Violation(
                    "OBJECTIVE",
                    f"OBJECTIVE travel_km: reported {travel!r}, computed {computed['travel_km']}",
                )
            )
    bound = (solution.get("bound") or {}).get("served_weight")
    if bound is None:
        return
    if bound < computed["served_weight"]:
        out.append(
            Violation(
                "BOUND",
                f"BOUND: bound.served_weight {bound} is below the served "
                f"weight {computed['served_weight']}",
            )
        )
    elif solution.get("status") == "OPTIMAL" and bound != computed["served_weight"]:
        out.append(
            Violation(
                "BOUND",
                f"BOUND: status OPTIMAL but bound.served_weight {bound} "
                f"differs from the served weight {computed['served_weight']}",
            )
        )

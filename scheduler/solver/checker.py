"""An independent checker of speaker-tour solutions (tour-format.md, H1-H10 and the objective).

Written apart from the CP-SAT model and on plain tour-format dicts only, so that a bug in the
model cannot hide in a shared helper, and so the app can check a coordinator's hand edits with the
same code. It favours plainness over speed: every rule is checked the way the format states it
(H3 and H4 over every pair of a speaker's events, not only consecutive ones; instants from the
venues' time zones with zoneinfo). What it shares with the solver is only what the format itself
spells out or how things are said, never a rule: the haversine formula (``geo.py``), the format's
defaults (``instance.DEFAULT_RULES``) and the wording of dates and km (``words.py``).

Each ``Violation`` says in plain words who, where, when and which limit; ``rule`` carries the
format's code (H1..H10, or FORMAT, UNKNOWN, COVERAGE, OBJECTIVE, BOUND) for programs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.solver.geo import haversine_km
from scheduler.solver.instance import (
    DEFAULT_RULES,
    PERSONAL_LIMITS,
    REQUEST_DEFAULTS,
    SPEAKER_DEFAULTS,
)
from scheduler.solver.words import day_text, km_text, minutes_text

__all__ = ["DEFAULT_RULES", "SOLUTION_FORMAT", "STATUSES", "Violation", "check_solution",
           "compute_objective", "haversine_km", "preference_penalty", "rules_of"]

SOLUTION_FORMAT = "speaker-tour-solution/2"
STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")
# Per-leg rounding to 0.1 km is a legitimate way to report travel; anything beyond that is wrong.
TRAVEL_TOLERANCE_PER_LEG_KM = 0.05


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``rule`` is H1..H10 or a structural check (FORMAT, UNKNOWN, COVERAGE,
    OBJECTIVE, BOUND); ``message`` says it in plain words, naming the speaker, the talks, the
    dates and the numbers involved; ``requests`` are the ids of the talks it concerns."""

    rule: str
    message: str
    requests: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Event:
    request: str
    speaker: str
    day: date
    lat: float
    lon: float
    start: datetime  # UTC
    end: datetime  # UTC
    label: str  # "Chapter (Venue)"
    zone: ZoneInfo  # the venue's

    def local(self, instant: datetime) -> str:
        """``21:30`` on the venue's clock."""
        return instant.astimezone(self.zone).strftime("%H:%M")


def rules_of(instance: dict) -> dict:
    """The instance's rules with the format's defaults filled in."""
    return {**DEFAULT_RULES, **(instance.get("rules") or {})}


def limits_of(speaker: dict, rules: dict) -> dict:
    """The speaker's weekly limits: their own when given (None: no cap), else the tour's."""
    return {key: speaker[key] if key in speaker else rules[key] for key in PERSONAL_LIMITS}


def preference_penalty(request: dict, speaker_id: str, day: date) -> int:
    """``rank - 1`` of the chosen date, plus 1 when preferred speakers exist and this is not one."""
    rank = None
    for choice in request.get("dates", []):
        if _parse_date(choice.get("date")) == day:
            rank = choice.get("rank", REQUEST_DEFAULTS["rank"])
            break
    penalty = (rank or 1) - 1
    preferred = request.get("preferred_speakers") or []
    if preferred and speaker_id not in preferred:
        penalty += 1
    return penalty


def compute_objective(instance: dict, assignments: list[dict]) -> dict:
    """The three objective levels of a list of assignments, computed from the format's definitions
    (travel: consecutive events in time order, plus the legs from and back home when
    ``travel_from_home``).

    Assignments naming an unknown request or speaker, or without a readable date, are left out:
    ``check_solution`` reports them separately.
    """
    requests = {r["id"]: r for r in instance.get("requests", [])}
    speakers = {s["id"]: s for s in instance.get("speakers", [])}
    tour_zone = (instance.get("tour") or {}).get("timezone")
    served = 0
    penalty = 0
    by_speaker: dict[str, list[_Event]] = defaultdict(list)
    for a in assignments:
        request = requests.get(a.get("request"))
        day = _parse_date(a.get("date"))
        if request is None or a.get("speaker") not in speakers or day is None:
            continue
        served += request.get("priority", REQUEST_DEFAULTS["priority"])
        penalty += preference_penalty(request, a["speaker"], day)
        by_speaker[a["speaker"]].append(_event(request, a["speaker"], day, tour_zone))
    from_home = rules_of(instance)["travel_from_home"]
    travel = 0.0
    for speaker_id, events in by_speaker.items():
        ordered = _in_time_order(events)
        for prev, nxt in zip(ordered, ordered[1:], strict=False):
            travel += haversine_km(prev.lat, prev.lon, nxt.lat, nxt.lon)
        home = speakers[speaker_id].get("home")
        if from_home and isinstance(home, dict):
            travel += haversine_km(home["lat"], home["lon"], ordered[0].lat, ordered[0].lon)
            travel += haversine_km(ordered[-1].lat, ordered[-1].lon, home["lat"], home["lon"])
    return {
        "served_weight": served,
        "preference_penalty": penalty,
        "travel_km": round(travel, 1),
    }


def check_solution(instance: dict, solution: dict) -> list[Violation]:
    """Every way ``solution`` breaks the format or the hard rules H1-H10 of ``instance``.

    An empty list means a coordinator can trust every line of it.
    """
    out: list[Violation] = []
    requests = {r["id"]: r for r in instance.get("requests", [])}
    speakers = {s["id"]: s for s in instance.get("speakers", [])}
    rules = rules_of(instance)
    tour = instance["tour"]
    start, end = date.fromisoformat(tour["start"]), date.fromisoformat(tour["end"])

    _check_header(solution, out)
    assignments = solution.get("assignments") or []
    events = _events(assignments, requests, speakers, tour.get("timezone"), out)
    _check_coverage(requests, assignments, solution.get("unassigned") or [], out)
    _check_h1_h2(start, end, requests, speakers, events, out)
    by_speaker: dict[str, list[_Event]] = defaultdict(list)
    for e in events:
        by_speaker[e.speaker].append(e)
    for speaker_id, own in sorted(by_speaker.items()):
        speaker = speakers[speaker_id]
        who = _speaker_name(speaker)
        limits = limits_of(speaker, rules)
        own = _in_time_order(own)
        _check_h3_h4(who, own, rules, out)
        _check_h5(who, own, limits["max_events_per_week"], out)
        _check_h6(who, own, limits["max_consecutive_days"], out)
        _check_h7(who, speaker, own, out)
        if rules["travel_from_home"]:
            _check_h9(who, speaker, own, rules["max_km_per_day"], start, end, out)
        _check_h10(who, own, limits["max_km_per_week"], out)
    _check_h8(instance, requests, speakers, assignments, out)
    _check_objective(instance, solution, assignments, len(by_speaker), out)
    return out


def _parse_date(value) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _zone(name, fallback) -> ZoneInfo:
    """The venue's zone; the tour's (then UTC) for a file that lacks a usable one."""
    for candidate in (name, fallback, "UTC"):
        if isinstance(candidate, str):
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _event(request: dict, speaker_id: str, day: date, tour_zone) -> _Event:
    venue = request["venue"]
    clock = time.fromisoformat(request.get("start_time", REQUEST_DEFAULTS["start_time"]))
    zone = _zone(venue.get("timezone"), tour_zone)
    start = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
    minutes = min(int(request.get("duration_minutes", REQUEST_DEFAULTS["duration_minutes"])),
                  7 * 24 * 60)
    chapter = str(request.get("chapter") or request["id"])
    label = f"{chapter} ({venue['name']})" if str(venue.get("name") or "").strip() else chapter
    return _Event(request["id"], speaker_id, day, float(venue["lat"]), float(venue["lon"]),
                  start, start + timedelta(minutes=minutes), label, zone)


def _in_time_order(events: list[_Event]) -> list[_Event]:
    """Date, then start instant (the format's order of a speaker's events)."""
    return sorted(events, key=lambda e: (e.day, e.start, e.request))


def _speaker_name(speaker: dict) -> str:
    return str(speaker.get("name") or "").strip() or speaker["id"]


def _week_text(day: date) -> str:
    return f"the week of {day_text(day - timedelta(days=day.weekday()))}"


def _check_header(solution: dict, out: list[Violation]) -> None:
    if solution.get("format") != SOLUTION_FORMAT:
        out.append(Violation("FORMAT", f"The solution's format is {solution.get('format')!r}, "
                                       f"expected {SOLUTION_FORMAT!r}"))
    if solution.get("status") not in STATUSES:
        out.append(Violation("FORMAT", f"The status {solution.get('status')!r} is not one of "
                                       f"{', '.join(STATUSES)}"))


def _events(assignments, requests, speakers, tour_zone, out: list[Violation]) -> list[_Event]:
    """The assignments that name a known request, a known speaker and a readable date."""
    events = []
    for i, a in enumerate(assignments):
        where = f"assignment {i + 1}"
        request_id, speaker_id = a.get("request"), a.get("speaker")
        ok = True
        if request_id not in requests:
            out.append(Violation("UNKNOWN", f"The {where} names a talk request {request_id!r} "
                                            "that is not in the tour"))
            ok = False
        if speaker_id not in speakers:
            out.append(Violation("UNKNOWN", f"The {where} names a speaker {speaker_id!r} "
                                            "who is not in the tour"))
            ok = False
        day = _parse_date(a.get("date"))
        if day is None:
            out.append(Violation("FORMAT", f"The {where} has the date {a.get('date')!r}, "
                                           "which is not a YYYY-MM-DD date"))
            ok = False
        if ok:
            events.append(_event(requests[request_id], speaker_id, day, tour_zone))
    return events


def _label(requests: dict, request_id) -> str:
    request = requests.get(request_id)
    if request is None:
        return repr(request_id)
    return str(request.get("chapter") or "").strip() or request_id


def _check_coverage(requests, assignments, unassigned, out: list[Violation]) -> None:
    """Every request appears once, in ``assignments`` (H1: at most once) or in ``unassigned``."""
    assigned = Counter(a.get("request") for a in assignments)
    left = Counter(u.get("request") for u in unassigned)
    for request_id, n in sorted(assigned.items(), key=lambda kv: str(kv[0])):
        if n > 1 and request_id in requests:
            out.append(Violation("H1", f"{_label(requests, request_id)} is given {n} times "
                                       "(a talk is given once)", (request_id,)))
    for i, u in enumerate(unassigned):
        request_id = u.get("request")
        if request_id not in requests:
            out.append(Violation("UNKNOWN", f"Unassigned entry {i + 1} names a talk request "
                                            f"{request_id!r} that is not in the tour"))
        elif not str(u.get("reason") or "").strip():
            out.append(Violation("COVERAGE", f"{_label(requests, request_id)} is unassigned "
                                             "without a reason", (request_id,)))
    for request_id, n in sorted(left.items(), key=lambda kv: str(kv[0])):
        if n > 1 and request_id in requests:
            out.append(Violation("COVERAGE", f"{_label(requests, request_id)} is listed {n} "
                                             "times as unassigned", (request_id,)))
    for request_id in requests:
        if assigned[request_id] and left[request_id]:
            out.append(Violation("COVERAGE", f"{_label(requests, request_id)} is both assigned "
                                             "and unassigned", (request_id,)))
        elif not assigned[request_id] and not left[request_id]:
            out.append(Violation("COVERAGE", f"{_label(requests, request_id)} is neither "
                                             "assigned nor unassigned", (request_id,)))


def _check_h1_h2(start, end, requests, speakers, events, out: list[Violation]) -> None:
    for e in events:
        request, speaker = requests[e.request], speakers[e.speaker]
        who = _speaker_name(speaker)
        offered = {_parse_date(c.get("date")) for c in request.get("dates", [])}
        if e.day not in offered:
            listed = ", ".join(day_text(d) for d in sorted(d for d in offered if d)) or "none"
            out.append(Violation("H1", f"{e.label} is placed on {day_text(e.day)}, a date the "
                                       f"chapter did not offer (offered: {listed})",
                                 (e.request,)))
        if not start <= e.day <= end:
            out.append(Violation("H1", f"{e.label} is placed on {day_text(e.day)}, outside the "
                                       f"tour ({day_text(start)} to {day_text(end)})",
                                 (e.request,)))
        unavailable = {_parse_date(d) for d in speaker.get("unavailable", [])}
        if e.day in unavailable:
            out.append(Violation("H2", f"{who} is unavailable on {day_text(e.day)} but is "
                                       f"placed at {e.label}", (e.request,)))
        language = request.get("language", REQUEST_DEFAULTS["language"])
        languages = speaker.get("languages") or list(SPEAKER_DEFAULTS["languages"])
        if language not in languages:
            out.append(Violation("H2", f"{e.label} is in {language!r} but {who} speaks "
                                       f"{', '.join(map(repr, languages))}", (e.request,)))


def _check_h3_h4(who: str, own: list[_Event], rules: dict, out: list[Violation]) -> None:
    per_day: dict[date, list[_Event]] = defaultdict(list)
    for e in own:
        per_day[e.day].append(e)
    for day, lst in sorted(per_day.items()):
        if len(lst) > rules["max_events_per_day"]:
            out.append(Violation("H3", f"{who} has {len(lst)} talks on {day_text(day)} "
                                       f"({', '.join(e.label for e in lst)}); at most "
                                       f"{rules['max_events_per_day']} a day",
                                 tuple(e.request for e in lst)))
    km_per_day = rules["max_km_per_day"]
    for i, a in enumerate(own):
        for b in own[i + 1:]:
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            days = (b.day - a.day).days
            pair = (a.request, b.request)
            if days == 0:
                _check_same_day(who, a, b, km, rules, out)
            elif km > km_per_day * days:
                unit = "day" if days == 1 else "days"
                out.append(Violation("H4", f"{who} cannot drive from {a.label} on "
                                           f"{day_text(a.day)} to {b.label} on "
                                           f"{day_text(b.day)}: {km_text(km)}, at most "
                                           f"{km_text(km_per_day * days)} in {days} {unit}",
                                     pair))


def _check_same_day(who: str, a: _Event, b: _Event, km: float, rules: dict,
                    out: list[Violation]) -> None:
    """H3 for two talks of one date, ``a`` not later than ``b`` in time order."""
    when = day_text(a.day)
    pair = (a.request, b.request)
    if km > rules["same_day_km"]:
        out.append(Violation("H3", f"{who} has {a.label} and {b.label} on {when}, "
                                   f"{km_text(km)} apart; at most {km_text(rules['same_day_km'])} "
                                   "between talks of one day", pair))
        return
    if a.start == b.start:
        out.append(Violation("H3", f"{who} has {a.label} and {b.label} on {when} at the same "
                                   "time", pair))
        return
    drive = timedelta(hours=km / rules["same_day_speed_kmh"])
    turnaround = timedelta(minutes=min(rules["turnaround_minutes"], 7 * 24 * 60))
    ready = a.end + turnaround + drive
    if b.start < ready:
        out.append(Violation("H3", f"{who} cannot get from {a.label} to {b.label} on {when}: "
                                   f"the first ends at {a.local(a.end)}, and with "
                                   f"{minutes_text(turnaround.total_seconds() / 60)} to turn "
                                   f"around and {minutes_text(drive.total_seconds() / 60)} to "
                                   f"drive {km_text(km)} the second can start at "
                                   f"{b.local(ready)} at the earliest, not {b.local(b.start)} "
                                   "(venue times)", pair))


def _check_h5(who: str, own: list[_Event], cap, out: list[Violation]) -> None:
    if cap is None:
        return
    weeks: dict[tuple[int, int], list[_Event]] = defaultdict(list)
    for e in own:
        weeks[e.day.isocalendar()[:2]].append(e)
    for lst in weeks.values():
        if len(lst) > cap:
            out.append(Violation("H5", f"{who} has {len(lst)} talks in {_week_text(lst[0].day)}; "
                                       f"at most {cap} a week", tuple(e.request for e in lst)))


def _check_h6(who: str, own: list[_Event], limit, out: list[Violation]) -> None:
    if limit is None:
        return
    days = sorted({e.day for e in own})
    run_start = 0
    for i in range(1, len(days) + 1):
        if i < len(days) and (days[i] - days[i - 1]).days == 1:
            continue
        length = i - run_start
        if length > limit:
            out.append(Violation("H6", f"{who} works {length} days in a row "
                                       f"({day_text(days[run_start])} to "
                                       f"{day_text(days[i - 1])}); at most {limit}"))
        run_start = i


def _check_h7(who: str, speaker: dict, own: list[_Event], out: list[Violation]) -> None:
    cap = speaker.get("max_events")
    if cap is not None and len(own) > cap:
        out.append(Violation("H7", f"{who} has {len(own)} talks in the tour; at most {cap}"))


def _check_h9(who: str, speaker: dict, own: list[_Event], km_per_day: float, start: date,
              end: date, out: list[Violation]) -> None:
    """Leave home on the tour's first day, be home again by the day after its last."""
    home = speaker.get("home")
    if not isinstance(home, dict):
        return
    for e in own:
        if not start <= e.day <= end:
            continue  # outside the tour: H1's business
        km = haversine_km(home["lat"], home["lon"], e.lat, e.lon)
        out_allowed = km_per_day * ((e.day - start).days + 1)
        back_allowed = km_per_day * ((end - e.day).days + 1)
        if km > out_allowed:
            out.append(Violation("H9", f"{who}'s home is {km_text(km)} from {e.label}: not "
                                       f"reachable by {day_text(e.day)} leaving home on "
                                       f"{day_text(start)} (at most {km_text(out_allowed)})",
                                 (e.request,)))
        elif km > back_allowed:
            out.append(Violation("H9", f"{who}'s home is {km_text(km)} from {e.label} on "
                                       f"{day_text(e.day)}: not home again by "
                                       f"{day_text(end + timedelta(days=1))} (at most "
                                       f"{km_text(back_allowed)})", (e.request,)))


def _check_h10(who: str, own: list[_Event], cap, out: list[Violation]) -> None:
    """The km between consecutive events of each ISO week, in time order."""
    if cap is None:
        return
    weeks: dict[tuple[int, int], list[_Event]] = defaultdict(list)
    for e in own:  # already in time order
        weeks[e.day.isocalendar()[:2]].append(e)
    for lst in weeks.values():
        km = sum(haversine_km(a.lat, a.lon, b.lat, b.lon) for a, b in zip(lst, lst[1:],
                                                                            strict=False))
        if km > cap:
            out.append(Violation("H10", f"{who} drives {km_text(km)} in "
                                        f"{_week_text(lst[0].day)} "
                                        f"({' to '.join(e.label for e in lst)}); at most "
                                        f"{km_text(cap)} a week",
                                 tuple(e.request for e in lst)))


def _check_h8(instance, requests, speakers, assignments, out: list[Violation]) -> None:
    placed = defaultdict(list)
    for a in assignments:
        placed[a.get("request")].append((a.get("speaker"), _parse_date(a.get("date"))))
    for i, pin in enumerate(instance.get("pinned") or []):
        request_id, speaker_id = pin.get("request"), pin.get("speaker")
        if request_id not in requests or speaker_id not in speakers:
            out.append(Violation("UNKNOWN", f"Pin {i + 1} names talk request {request_id!r} "
                                            f"and speaker {speaker_id!r}; one is not in the "
                                            "tour"))
            continue
        pinned_day = _parse_date(pin.get("date"))
        if (speaker_id, pinned_day) not in placed[request_id]:
            got = ", ".join(f"{_speaker_name(speakers[s]) if s in speakers else s} on "
                            f"{day_text(d) if d else '?'}"
                            for s, d in placed[request_id]) or "nobody"
            out.append(Violation("H8", f"{_label(requests, request_id)} is pinned to "
                                       f"{_speaker_name(speakers[speaker_id])} on "
                                       f"{day_text(pinned_day) if pinned_day else pin.get('date')}"
                                       f" but the solution has {got}", (request_id,)))


def _check_objective(instance, solution, assignments, n_speakers: int,
                     out: list[Violation]) -> None:
    computed = compute_objective(instance, assignments)
    reported = solution.get("objective")
    if reported is None:
        if assignments or solution.get("status") not in ("INFEASIBLE", "UNKNOWN"):
            out.append(Violation("OBJECTIVE", "The solution reports no objective"))
    else:
        for key in ("served_weight", "preference_penalty"):
            if reported.get(key) != computed[key]:
                out.append(Violation("OBJECTIVE", f"The objective's {key} is reported as "
                                                  f"{reported.get(key)!r}, but it is "
                                                  f"{computed[key]}"))
        legs = max(0, len(assignments) - 1) + 2 * n_speakers
        tolerance = 0.1 + TRAVEL_TOLERANCE_PER_LEG_KM * legs
        travel = reported.get("travel_km")
        if (isinstance(travel, bool) or not isinstance(travel, int | float)
                or abs(travel - computed["travel_km"]) > tolerance):
            out.append(Violation("OBJECTIVE", f"The objective's travel_km is reported as "
                                              f"{travel!r}, but it is {computed['travel_km']}"))
    bound = (solution.get("bound") or {}).get("served_weight")
    if bound is None:
        return
    if bound < computed["served_weight"]:
        out.append(Violation("BOUND", f"The bound on the served weight, {bound}, is below the "
                                      f"served weight {computed['served_weight']}"))
    elif solution.get("status") == "OPTIMAL" and bound != computed["served_weight"]:
        out.append(Violation("BOUND", f"The status is OPTIMAL but the bound on the served "
                                      f"weight, {bound}, differs from the served weight "
                                      f"{computed['served_weight']}"))

"""What today's data says of the events: of one event, that the speaker marked the day
unavailable, the chapter withdrew, no longer offers the date or offers it outside the tour, or the
speaker does not speak the language (``CHECKS``); of a speaker's events together, that two talks
on one day no longer fit the clock, the first talk is out of reach of the speaker's home, or a
week is over the driving cap (``route_breaks``: the solver's independent checker decides these).
The clash warnings list both; a re-solve frees a published event that breaks one
(``services.proposal.kept_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler import tour_format
from scheduler.models import Assignment, RequestState, Tour
from scheduler.services import wording
from scheduler.solver.checker import SOLUTION_FORMAT, check_solution

SAME_DAY = "same-day-does-not-fit"
HOME = "home-out-of-reach"
WEEKLY_KM = "week-over-driving-cap"
# The checker's codes of the rules that only a speaker's events together can break.
ROUTE_RULES = {"H3": SAME_DAY, "H9": HOME, "H10": WEEKLY_KM}
UNAVAILABLE = "speaker-unavailable"
WITHDRAWN = "request-withdrawn"
DATE_NOT_OFFERED = "date-not-offered"
LANGUAGE = "language-not-spoken"
OUTSIDE_TOUR = "date-outside-tour"


@dataclass(frozen=True)
class Clash:
    """``rule`` is a stable code to filter on; ``reason`` is the sentence a coordinator reads;
    ``cause`` names the change of data in a few words, for a label beside the event that a
    re-solve moved because of it (empty for the road's clashes, found over a whole schedule)."""

    assignment: Assignment
    rule: str
    reason: str
    cause: str = ""


def _unavailable(assignment: Assignment) -> Clash | None:
    speaker = assignment.speaker
    mark = next((m for m in speaker.unavailability if m.date == assignment.date), None)
    if mark is None:
        return None
    who = "the speaker" if mark.marked_by == "speaker" else "a coordinator"
    note = f' (note: "{mark.note}")' if mark.note else ""
    on = wording.day(assignment.date)
    return Clash(
        assignment,
        UNAVAILABLE,
        f"{speaker.display_name} cannot do {on}: marked by {who}{note}.",
        f"{speaker.display_name} marked {on} unavailable"
        if mark.marked_by == "speaker"
        else f"a coordinator marked {speaker.display_name} unavailable on {on}",
    )


def _withdrawn(assignment: Assignment) -> Clash | None:
    request = assignment.request
    if request.state != RequestState.WITHDRAWN:
        return None
    return Clash(
        assignment,
        WITHDRAWN,
        f"{request.chapter.name} withdrew this request.",
        f"{request.chapter.name} withdrew the request",
    )


def _date_not_offered(assignment: Assignment) -> Clash | None:
    request, tour = assignment.request, assignment.request.tour
    if assignment.date in {day for day, _ in request.dates_in_tour}:
        return None
    if not tour.start <= assignment.date <= tour.end:
        return Clash(
            assignment,
            OUTSIDE_TOUR,
            f"{request.chapter.name} on {wording.day(assignment.date)} lies outside the tour "
            f"({wording.day(tour.start)} to {wording.day(tour.end)}).",
            f"the tour now runs {wording.day(tour.start)} to {wording.day(tour.end)}",
        )
    return Clash(
        assignment,
        DATE_NOT_OFFERED,
        f"{request.chapter.name} no longer offers {wording.day(assignment.date)}.",
        f"{request.chapter.name} no longer offers {wording.day(assignment.date)}",
    )


def _language(assignment: Assignment) -> Clash | None:
    language, speaker = assignment.request.language, assignment.speaker
    if language in (speaker.languages or []):
        return None
    return Clash(
        assignment,
        LANGUAGE,
        f"{speaker.display_name} does not speak the talk's language "
        f"({wording.language(language)}).",
        f"the talk is now in {wording.language(language)}, which {speaker.display_name} does not "
        "speak",
    )


CHECKS = (_unavailable, _withdrawn, _date_not_offered, _language)


def broken_by(assignment: Assignment) -> list[Clash]:
    """Each of ``CHECKS`` that today's data breaks for this assignment."""
    return [clash for check in CHECKS if (clash := check(assignment)) is not None]


def breaks_rules(assignment: Assignment) -> bool:
    """True when today's data no longer allows this assignment (see ``CHECKS``)."""
    return bool(broken_by(assignment))



@dataclass(frozen=True)
class RouteBreak:
    """A rule of the road that ``rows`` break together; ``reason`` is the checker's sentence."""

    code: str
    reason: str
    rows: tuple[Assignment, ...]


def route_breaks(
    tour: Tour, rows: list[Assignment], instance: dict | None = None
) -> list[RouteBreak]:
    """What the checker finds against the same-day clock, home and the weekly cap in one
    schedule (``rows``, at most one per request), in the words of ``wording``. ``instance`` is
    the tour's export, when a caller checks several schedules against one."""
    rows = [row for row in rows if row.request.state == RequestState.SUBMITTED]
    if not rows:
        return []
    instance = dict(instance or tour_format.export_tour(tour), pinned=[])
    by_id = {row.request.format_id: row for row in rows}
    solution = {
        "format": SOLUTION_FORMAT,
        "status": "FEASIBLE",
        "assignments": [
            {"request": ident, "speaker": row.speaker.format_id, "date": row.date.isoformat()}
            for ident, row in by_id.items()
        ],
        "unassigned": [],
    }
    breaks = []
    for violation in check_solution(instance, solution):
        named = tuple(by_id[ident] for ident in violation.requests if ident in by_id)
        if violation.rule in ROUTE_RULES and named:
            breaks.append(
                RouteBreak(ROUTE_RULES[violation.rule], wording.violation(tour, violation), named)
            )
    return breaks

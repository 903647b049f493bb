"""What today's data says of one event: the speaker marked the day unavailable, the chapter
withdrew, no longer offers the date or offers it outside the tour, the speaker does not speak
the language. The clash warnings list these; a re-solve frees a published event that breaks one
(``services.proposal.kept``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.models import Assignment, RequestState
from scheduler.services.wording import day
from scheduler.services.wording import language as language_name

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
    return Clash(
        assignment,
        UNAVAILABLE,
        f"{speaker.display_name} cannot do {assignment.date.isoformat()}: marked by {who}{note}.",
        f"{speaker.display_name} marked {day(assignment.date)} unavailable"
        if mark.marked_by == "speaker"
        else f"a coordinator marked {speaker.display_name} unavailable on {day(assignment.date)}",
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
            f"{request.chapter.name} on {assignment.date.isoformat()} lies outside the tour "
            f"({tour.start.isoformat()} to {tour.end.isoformat()}).",
            f"the tour now runs {day(tour.start)} to {day(tour.end)}",
        )
    return Clash(
        assignment,
        DATE_NOT_OFFERED,
        f"{request.chapter.name} no longer offers {assignment.date.isoformat()}.",
        f"{request.chapter.name} no longer offers {day(assignment.date)}",
    )


def _language(assignment: Assignment) -> Clash | None:
    language, speaker = assignment.request.language, assignment.speaker
    if language in (speaker.languages or []):
        return None
    return Clash(
        assignment,
        LANGUAGE,
        f"{speaker.display_name} does not speak the talk's language ({language}).",
        f"the talk is now in {language_name(language)}, which {speaker.display_name} does not "
        "speak",
    )


CHECKS = (_unavailable, _withdrawn, _date_not_offered, _language)


def broken_by(assignment: Assignment) -> list[Clash]:
    """Each of ``CHECKS`` that today's data breaks for this assignment."""
    return [clash for check in CHECKS if (clash := check(assignment)) is not None]


def breaks_rules(assignment: Assignment) -> bool:
    """True when today's data no longer allows this assignment (see ``CHECKS``)."""
    return bool(broken_by(assignment))

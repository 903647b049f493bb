"""Small rules about assignment rows that several features share.

The iCal SEQUENCE of a request's event is the highest ``sequence`` among its assignments: every
change of date, time, place or speaker, and every cancellation, must raise it.
"""

from scheduler.models import Assignment, AssignmentState, Request, utcnow


def next_sequence(request: Request) -> int:
    return max((a.sequence for a in request.assignments), default=-1) + 1


def cancel(assignment: Assignment) -> None:
    """A cancelled assignment stays (as STATUS:CANCELLED in feeds) with a higher SEQUENCE."""
    assignment.sequence = next_sequence(assignment.request)
    assignment.state = AssignmentState.CANCELLED
    assignment.cancelled_at = utcnow()


EVENT_FIELDS = (
    "venue_name", "venue_address", "city", "lat", "lon", "timezone", "start_time",
    "duration_minutes",
)


def event_details(request: Request) -> tuple:
    """What a calendar event shows of a request: a change here is a change of the event."""
    return tuple(getattr(request, name) for name in EVENT_FIELDS)


def announce_change(request: Request) -> None:
    """The request's time or place changed: raise the SEQUENCE of its confirmed event."""
    confirmed = request.assignment_in(AssignmentState.CONFIRMED)
    if confirmed is not None:
        confirmed.sequence = next_sequence(request)

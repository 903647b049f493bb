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

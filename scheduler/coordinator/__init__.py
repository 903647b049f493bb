"""Coordinators' workspace. Every route but login requires a logged-in coordinator."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__)


@bp.context_processor
def words():
    """Dates, time zones and languages written one way on every coordinator page (Babel)."""
    from scheduler.services import wording

    return {
        "day": wording.day,
        "weekday_name": wording.weekday_name,
        "zone": wording.zone,
        "event_time": wording.event_time,
        "clock": wording.clock,
        "stamp": wording.stamp,
        "language": wording.language,
    }


from scheduler.coordinator import (  # noqa: E402,F401
    achievements,
    audit,
    auth,
    calendar_view,
    dashboard,
    events,
    exports,
    publishing,
    requests,
    review,
    solving,
    speakers,
    today,
    tokens,
    tours,
)

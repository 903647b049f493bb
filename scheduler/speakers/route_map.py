"""The speaker's route drawn with the coordinators' offline map, from home and back home.

Only the events are numbered, so the map's numbered markers match the numbered event blocks; the
square marker is the speaker's home (this page is the speaker's own, behind their secret link).
"""

from flask_babel import gettext
from markupsafe import Markup

from scheduler.models import Speaker
from scheduler.services.itinerary import Stop
from scheduler.services.route_map import RouteStop, render_route_svg
from scheduler.speakers.state_names import STATE_NAMES


def _place(stop: Stop) -> str:
    """The city without its state ("Cambridge"): map labels must stay short to stay readable."""
    return (stop.request.city.split(",")[0].strip() or stop.request.venue_name)


def route_map(speaker: Speaker, stops: list[Stop]) -> Markup | None:
    if not stops:
        return None
    points = [RouteStop(_place(stop), stop.request.lat, stop.request.lon) for stop in stops]
    home = RouteStop(gettext("Home"), speaker.home_lat, speaker.home_lon)
    return render_route_svg(
        points,
        title=gettext("Your route"),
        home=home,
        state_name=lambda name: str(STATE_NAMES.get(name, name)),
    )

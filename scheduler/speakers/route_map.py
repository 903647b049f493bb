"""The speaker's route drawn with the coordinators' offline map.

Only the events are drawn, so the map's numbered markers match the numbered event blocks.
"""

from flask_babel import gettext
from markupsafe import Markup

from scheduler.services.route_map import RouteStop, render_route_svg
from scheduler.speakers.itinerary import Stop


def _place(stop: Stop) -> str:
    """The city without its state ("Cambridge"): map labels must stay short to stay readable."""
    return (stop.request.city.split(",")[0].strip() or stop.request.venue_name)


def route_map(stops: list[Stop]) -> Markup | None:
    if not stops:
        return None
    points = [RouteStop(_place(stop), stop.request.lat, stop.request.lon) for stop in stops]
    return render_route_svg(points, title=gettext("Your route"))

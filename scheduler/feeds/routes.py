"""Feed URLs. Unknown or rotated tokens answer 404, the same as a page that never existed."""

from flask import abort, request
from flask_login import current_user

from scheduler.feeds import bp, sources
from scheduler.feeds.http import serve
from scheduler.models import RequestState


@bp.get("/speaker/<token>.ics")
def speaker_feed(token: str):
    feed = sources.speaker_feed(token)
    if feed is None:
        abort(404)
    return serve(feed)


@bp.get("/chapter/<token>.ics")
def chapter_feed(token: str):
    owner = sources.chapter_owner(token)
    if owner is None:
        abort(404)
    if owner.state == RequestState.WITHDRAWN:
        abort(410)
    return serve(sources.chapter_feed(owner))


@bp.get("/tour/<slug>.ics")
def tour_feed(slug: str):
    """Coordinators only: a logged-in session, or ``?token=`` for calendar apps."""
    if not current_user.is_authenticated:
        token = request.args.get("token")
        if not token:
            abort(403)
        if not sources.coordinator_token_is_valid(token):
            abort(404)
    feed = sources.tour_feed(slug)
    if feed is None:
        abort(404)
    return serve(feed)

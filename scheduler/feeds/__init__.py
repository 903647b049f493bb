"""Calendar feeds (iCal): per speaker, per chapter, per tour."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from scheduler.feeds import links, routes  # noqa: E402,F401


@bp.app_context_processor
def feed_link_helpers() -> dict:
    """Subscribe partials on other blueprints' pages build their links with these."""
    return {
        "speaker_feed_links": links.speaker_feed_links,
        "chapter_feed_links": links.chapter_feed_links,
        "tour_feed_links": links.tour_feed_links,
    }

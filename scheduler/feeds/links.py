"""Absolute feed links from ``BASE_URL``: the same in pages, mail, feeds and the CLI.

URLs are built from the configured base rather than the incoming request, so a link printed by
``flask tour feeds`` or rendered behind a proxy points where subscribers can actually reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from scheduler.models import CoordinatorUser, Request, Speaker, Tour


@dataclass(frozen=True)
class FeedLinks:
    """``webcal`` opens the subscribe dialog; ``https`` is for "add calendar from URL"."""

    https: str
    webcal: str
    download: str


def absolute_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or None, url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def base_host() -> str:
    """The host part of ``BASE_URL``: the domain that makes event UIDs globally unique."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def _links(url: str) -> FeedLinks:
    separator = "&" if "?" in url else "?"
    return FeedLinks(
        https=url,
        webcal="webcal://" + url.split("://", 1)[1],
        download=f"{url}{separator}download=1",
    )


def speaker_feed_links(speaker: Speaker) -> FeedLinks:
    return _links(absolute_url("feeds.speaker_feed", token=speaker.feed_token))


def chapter_feed_links(request: Request) -> FeedLinks:
    return _links(absolute_url("feeds.chapter_feed", token=request.token))


def tour_feed_links(tour: Tour, coordinator: CoordinatorUser | None = None) -> FeedLinks:
    """With a coordinator, the link carries their feed token, for apps that cannot log in."""
    values = {"token": coordinator.feed_token} if coordinator is not None else {}
    return _links(absolute_url("feeds.tour_feed", slug=tour.slug, **values))

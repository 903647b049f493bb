"""The feed links of a speaker, a chapter or a tour: https for "add calendar from URL", webcal
to open the subscribe dialog, download for a file; each built by ``web.urls.absolute_url``."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.models import CoordinatorUser, Request, Speaker, Tour
from scheduler.web.urls import absolute_url


@dataclass(frozen=True)
class FeedLinks:
    """``webcal`` opens the subscribe dialog; ``https`` is for "add calendar from URL"."""

    https: str
    webcal: str
    download: str


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

"""The three feeds: who owns each, which rows it holds, how it is named and rendered.

Owners are looked up with small prebuilt Core queries: a poll that finds its feed unchanged
costs two indexed queries and no ORM objects. Only rendering loads models.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.feeds import content
from scheduler.feeds.selection import FeedState, HeldEvent, feed_state
from scheduler.feeds.tokens import find_by_token
from scheduler.models import (
    Assignment,
    Chapter,
    CoordinatorUser,
    Request,
    Speaker,
    Tour,
    utcnow,
)
from scheduler.services.calendar import build_calendar
from scheduler.web.urls import absolute_url, base_host

_tour, _speaker, _request = Tour.__table__, Speaker.__table__, Request.__table__
_coordinator, _chapter = CoordinatorUser.__table__, Chapter.__table__

SPEAKER_BY_TOKEN = (
    select(
        _speaker.c.id,
        _speaker.c.feed_token.label("token"),
        _speaker.c.locale,
        _speaker.c.display_name,
        _tour.c.name.label("tour_name"),
        _tour.c.slug.label("tour_slug"),
        _tour.c.updated_at.label("tour_updated_at"),
    )
    .join(_tour, _speaker.c.tour_id == _tour.c.id)
    .where(_speaker.c.feed_token == bindparam("token"))
)
REQUEST_BY_TOKEN = (
    select(
        _request.c.id,
        _request.c.token,
        _request.c.state,
        _request.c.updated_at,
        _chapter.c.name.label("chapter_name"),
        _tour.c.name.label("tour_name"),
        _tour.c.name_shown_days_before,
        _tour.c.slug.label("tour_slug"),
        _tour.c.updated_at.label("tour_updated_at"),
    )
    .join(_tour, _request.c.tour_id == _tour.c.id)
    .join(_chapter, _request.c.chapter_id == _chapter.c.id)
    .where(_request.c.token == bindparam("token"))
)
COORDINATOR_BY_TOKEN = select(_coordinator.c.id, _coordinator.c.feed_token.label("token")).where(
    _coordinator.c.feed_token == bindparam("token")
)
TOUR_BY_SLUG = select(_tour.c.id, _tour.c.name, _tour.c.slug, _tour.c.updated_at).where(
    _tour.c.slug == bindparam("slug")
)


@dataclass(frozen=True)
class Feed:
    """``fingerprint`` lists what the feed shows besides its rows (names, locale, links)."""

    kind: str
    owner_id: int
    filename: str
    fingerprint: tuple
    since: datetime
    render: Callable[[list[HeldEvent]], bytes]

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.owner_id)

    def state(self) -> FeedState:
        return feed_state(self.kind, self.owner_id, self.fingerprint, self.since)


def _assignments(held: list[HeldEvent]) -> dict[int, Assignment]:
    rows = db.session.execute(
        db.select(Assignment)
        .where(Assignment.id.in_([item.assignment_id for item in held]))
        .options(
            selectinload(Assignment.request).selectinload(Request.chapter),
            selectinload(Assignment.request).selectinload(Request.tour),
            selectinload(Assignment.speaker),
        )
    ).scalars()
    return {row.id: row for row in rows}


def _calendar_uid(kind: str, owner_id: int) -> str:
    """A stable calendar UID that names the feed without its secret token."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_host()}/feeds/{kind}/{owner_id}"))


def _calendar(kind, owner_id, name, description, wording, locale, url_for_request, held) -> bytes:
    events = content.calendar_events(held, _assignments(held), wording, locale, url_for_request)
    return build_calendar(
        uid=_calendar_uid(kind, owner_id), name=name, description=description, events=events
    )


def _fingerprint(*values) -> tuple:
    return (current_app.config["BASE_URL"], *values)


def speaker_feed(token: str) -> Feed | None:
    owner = find_by_token(SPEAKER_BY_TOKEN, token)
    if owner is None:
        return None

    def render(held: list[HeldEvent]) -> bytes:
        with force_locale(owner.locale):
            name = gettext(
                "%(tour)s: %(speaker)s", tour=owner.tour_name, speaker=owner.display_name
            )
            description = gettext("Your talks on this tour, kept up to date by the coordinators.")
        return _calendar(
            "speaker",
            owner.id,
            name,
            description,
            content.speaker_wording,
            owner.locale,
            lambda request: absolute_url("speakers.itinerary", token=owner.token),
            held,
        )

    return Feed(
        kind="speaker",
        owner_id=owner.id,
        filename=f"{owner.tour_slug}-speaker-{owner.id}.ics",
        fingerprint=_fingerprint(*owner),
        since=owner.tour_updated_at,
        render=render,
    )


def _name_timing_hour(owner: Row) -> str | None:
    """While a tour keeps speakers' names back until shortly before events, the chapter feed's
    wording depends on the date: it is rendered afresh each hour so the name appears on time."""
    if owner.name_shown_days_before is None:
        return None
    return utcnow().strftime("%Y-%m-%dT%H")


def chapter_feed(owner: Row) -> Feed:
    """``owner`` is a REQUEST_BY_TOKEN row (the caller answers 410 for a withdrawn request)."""

    def render(held: list[HeldEvent]) -> bytes:
        name = f"{owner.tour_name}: {owner.chapter_name}"
        return _calendar(
            "chapter",
            owner.id,
            name,
            "Your speaker event on this tour.",
            content.chapter_wording,
            "en",
            lambda request: absolute_url("public.request_view", token=request.token),
            held,
        )

    return Feed(
        kind="chapter",
        owner_id=owner.id,
        filename=f"{owner.tour_slug}-request-{owner.id}.ics",
        fingerprint=_fingerprint(*owner, _name_timing_hour(owner)),
        since=max(owner.tour_updated_at, owner.updated_at),
        render=render,
    )


def chapter_owner(token: str) -> Row | None:
    return find_by_token(REQUEST_BY_TOKEN, token)


def coordinator_token_is_valid(token: str | None) -> bool:
    return find_by_token(COORDINATOR_BY_TOKEN, token) is not None


def tour_feed(slug: str) -> Feed | None:
    owner = db.session.execute(TOUR_BY_SLUG, {"slug": slug}).one_or_none()
    if owner is None:
        return None
    name = f"{owner.name} (all events)"

    def render(held: list[HeldEvent]) -> bytes:
        return _calendar(
            "tour",
            owner.id,
            name,
            "Every confirmed event of the tour, for coordinators.",
            content.coordinator_wording,
            "en",
            lambda request: absolute_url("coordinator.requests", slug=owner.slug),
            held,
        )

    return Feed(
        kind="tour",
        owner_id=owner.id,
        filename=f"{owner.slug}.ics",
        fingerprint=_fingerprint(*owner),
        since=owner.updated_at,
        render=render,
    )

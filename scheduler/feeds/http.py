"""Serving a feed over HTTP: validators, 304, gzip, and rendering only on a new data version."""

from __future__ import annotations

from datetime import UTC

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from scheduler.feeds.cache import FeedCache
from scheduler.feeds.sources import Feed

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Private: the URL is a secret, so no shared cache may keep a copy. Five minutes spares the
# database when a client retries, and is far below how often calendar apps poll.
CACHE_CONTROL = "private, max-age=300"


def feed_cache() -> FeedCache:
    cache = current_app.extensions.get("feeds.cache")
    if cache is None:
        cache = current_app.extensions.setdefault("feeds.cache", FeedCache())
    return cache


def serve(feed: Feed) -> Response:
    state = feed.state()
    gzipped = request.accept_encodings["gzip"] > 0
    # Each representation gets its own strong validator (RFC 9110 8.8.3).
    etag = state.version + ("-gzip" if gzipped else "")
    last_modified = state.last_modified.replace(tzinfo=UTC)

    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(status=304)
    else:
        rendered = feed_cache().get_or_render(
            feed.key, state.version, lambda: feed.render(state.events())
        )
        response = Response(rendered.gzipped if gzipped else rendered.body, mimetype=None)
        response.content_type = CONTENT_TYPE
        if gzipped:
            response.content_encoding = "gzip"
        if request.args.get("download"):
            response.headers["Content-Disposition"] = f'attachment; filename="{feed.filename}"'
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept-Encoding")
    response.headers["X-Robots-Tag"] = "noindex"
    return response

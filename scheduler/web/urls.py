"""Absolute links from ``BASE_URL``, the same in pages, mail, feeds and the CLI.

URLs are built from the configured base rather than the incoming request, so a link in an email,
printed by ``flask tour feeds`` or rendered behind a proxy points where people can reach it. Every
link that leaves the app is built here, from its endpoint, never by joining strings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or None, url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def base_host() -> str:
    """The host part of ``BASE_URL``: the domain that makes event UIDs globally unique."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"

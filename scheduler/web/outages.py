"""When a service the app needs is down: the database gives a 503 page that says so, with
``Retry-After``, instead of a bare 500; the app recovers by itself when the database is back
(SQLAlchemy's pool reconnects), so nothing here holds state.

(Redis down: rate limits fall back to memory, see ``web/limits.py``; a solve is refused with a
clear message and leaves no queued run, see ``solving/executors.launch``.)
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, render_template
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from scheduler.extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        log.error("database unavailable: %s", type(error.orig).__name__ if error.orig else error)
        with suppress(SQLAlchemyError):  # the connection may be gone: nothing to roll back
            db.session.rollback()
        page = render_template("errors/503.html", retry_after=RETRY_AFTER_SECONDS)
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

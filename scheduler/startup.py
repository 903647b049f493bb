"""The start-up check: does every service the configuration names answer?

It runs before gunicorn starts its workers (gunicorn.conf.py), at the start of the RQ worker and
as ``flask --app wsgi check``, so that a wrong DATABASE_URL or a Redis that is down is named in
one line at start-up, not found by the first visitor as a 500. The lines are printed: they never
carry a user name or password from the URL.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from scheduler import config
from scheduler.app import PROJECT_ROOT

CONNECT_TIMEOUT_SECONDS = 3


def printable_url(url: str) -> str:
    """The URL without user, password or query string (a password may sit in either)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _reason(error: BaseException, url: str) -> str:
    """The driver's own first line (SQLAlchemy wraps it in SQL and a link), password masked in
    case a driver quotes its connection string."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    reason = lines[0].strip() if lines else type(cause).__name__
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return reason.replace(password, "***") if password else reason


def database_problem(url: str) -> str | None:
    try:
        backend = url.partition(":")[0].partition("+")[0]
        connect_args = (
            {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if backend == "postgresql" else {}
        )
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as error:  # noqa: BLE001 - whatever the driver raises, name the service
        return f"Database unreachable at {printable_url(url)}: {_reason(error, url)}"
    return None


def redis_problem(url: str) -> str | None:
    from redis import Redis

    try:
        Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        ).ping()
    except Exception as error:  # noqa: BLE001 - refused, timed out, bad URL, wrong password
        return f"Redis unreachable at {printable_url(url)}: {_reason(error, url)}"
    return None


def problems(database_url: str, redis_url: str | None) -> list[str]:
    """One line per service that does not answer; empty when all do."""
    found = [database_problem(database_url)]
    if redis_url:
        found.append(redis_problem(redis_url))
    return [line for line in found if line]


def configured_problems() -> list[str]:
    """The check on the configuration the app would load, without building the app (which
    already talks to the database)."""
    settings = Config(PROJECT_ROOT)
    config.load(settings, os.path.join(PROJECT_ROOT, "instance"))
    return problems(settings["DATABASE_URL"], settings.get("REDIS_URL"))

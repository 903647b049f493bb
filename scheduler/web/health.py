"""``/healthz``: is the database reachable, and the job queue when one is configured."""

from flask import Flask, current_app, jsonify
from sqlalchemy import text

from scheduler.extensions import db


def _check_database() -> str:
    db.session.execute(text("SELECT 1"))
    return "ok"


def _check_queue() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "in-process"
    from redis import Redis

    Redis.from_url(url, socket_connect_timeout=2).ping()
    return "ok"


def healthz():
    checks, healthy = {}, True
    for name, check in (("database", _check_database), ("queue", _check_queue)):
        try:
            checks[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy, say which
            checks[name] = f"error: {type(error).__name__}"
            healthy = False
    return jsonify(status="ok" if healthy else "error", **checks), 200 if healthy else 503


def init_app(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])

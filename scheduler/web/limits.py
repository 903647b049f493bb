"""Rate limits on the doors anyone can knock on: coordinator login, the public request form
and the "lost your link?" form (each POST may send an email).

Counters live in memory by default, and in Redis when REDIS_URL is set so that several
workers share them. When Redis cannot be reached the limiter counts in this process's memory
until it answers again (and logs a warning): login, requests and solving keep working.
"""

from flask import Flask, render_template
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

LIMITED_POSTS = {
    "coordinator.login": "LOGIN_RATE_LIMIT",
    "public.new_request": "REQUEST_FORM_RATE_LIMIT",
    "public.edit_request": "REQUEST_FORM_RATE_LIMIT",
    "public.lost_link": "LOST_LINK_RATE_LIMIT",
}


def init_app(app: Flask) -> None:
    """One limiter per app, so each test's app starts with fresh counters."""
    app.config.setdefault("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    app.config.setdefault("REQUEST_FORM_RATE_LIMIT", "30 per hour")
    app.config.setdefault("LOST_LINK_RATE_LIMIT", "5 per 10 minutes;20 per day")
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    # a Redis that does not answer must not hold a request for long before the fallback
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
    )
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["scheduler_limiter"] = limiter  # the decorated views only hold a weak reference
    for endpoint, setting in LIMITED_POSTS.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = limiter.limit(
                lambda setting=setting: app.config[setting], methods=["POST"]
            )(view)

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        return render_template("errors/429.html", limit=error.description), 429

"""Coordinators' workspace. Every route but login requires a logged-in coordinator."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__)

from scheduler.coordinator import (  # noqa: E402,F401
    audit,
    auth,
    exports,
    publishing,
    requests,
    review,
    routes,
    solving,
    speakers,
    tokens,
    tours,
)

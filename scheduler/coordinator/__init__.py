"""Coordinators' workspace. Every route but login requires a logged-in coordinator."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__)

from scheduler.coordinator import (  # noqa: E402,F401
    audit,
    auth,
    dashboard,
    exports,
    publishing,
    requests,
    review,
    solving,
    speakers,
    today,
    tokens,
    tours,
)

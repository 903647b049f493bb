"""Coordinators' workspace. Every route but login requires a logged-in coordinator."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__)

from scheduler.coordinator import auth, routes  # noqa: E402,F401

"""Public pages: open tours and chapters' requests (reached through their private token)."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from scheduler.public import event_pages, routes  # noqa: E402,F401

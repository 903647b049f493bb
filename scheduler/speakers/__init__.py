"""A speaker's own pages, reached only through their secret token."""

from flask import Blueprint

bp = Blueprint("speakers", __name__)

from scheduler.speakers import access, day_sheets, formatting, routes  # noqa: E402,F401

"""A speaker's own pages, reached only through their secret token."""

from flask import Blueprint

bp = Blueprint("speakers", __name__)

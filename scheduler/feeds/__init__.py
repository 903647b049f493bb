"""Calendar feeds (iCal): per speaker, per chapter, per tour."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

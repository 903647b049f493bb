"""What a request may carry before any view reads it: a bounded body, named form parts, and ids
within their column's range. Each refusal is a 4xx with a short page, never a 500.
"""

from __future__ import annotations

from flask import Flask, Request, render_template
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

# Far above any real form, so a field over its limit is still answered beside the field (a
# megabyte of Korean is 3 MB percent-encoded); far below what would tie up a worker.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_FORM_FIELD_BYTES = 512 * 1024  # one field, in memory (werkzeug's MAX_FORM_MEMORY_SIZE)
MAX_FORM_PARTS = 1000
# Row ids are INTEGER columns: 32-bit signed on PostgreSQL, the narrower of the two engines.
MAX_ROW_ID = 2**31 - 1


class NamedPartsRequest(Request):
    """A multipart part without a name is a malformed form: 400, not a crash in a form library."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if None in self.form or None in self.files:
            raise BadRequest("A part of this form has no name.")


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: an id beyond what a row can have matches no route (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.request_class = NamedPartsRequest
    app.url_map.converters["int"] = RowIdConverter
    # Flask's own defaults are None (no limit), 500,000 bytes and 1,000 parts: a deployment's
    # configuration may still choose its own.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = min(
        app.config.get("MAX_FORM_MEMORY_SIZE") or MAX_FORM_FIELD_BYTES, MAX_FORM_FIELD_BYTES
    )
    app.config["MAX_FORM_PARTS"] = min(
        app.config.get("MAX_FORM_PARTS") or MAX_FORM_PARTS, MAX_FORM_PARTS
    )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return render_template("errors/413.html", limit_mb=limit_mb), 413

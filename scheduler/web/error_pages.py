"""Error pages in the app's own layout: a mistyped or withdrawn private link, a page that is not
the reader's, a form sent twice or a fault of ours each get a page that says what happened in
plain words and where to go next, instead of the framework's bare "Not Found".

The more specific pages stay where they are (413, 429, 503 and the expired form of
``public.routes``), an error raised with its own words keeps them, and redirects raised while
routing pass through untouched. Every missing page reads the same, whatever the address held: a
guessed token learns nothing."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

# status code -> (heading, what happened and what to do), in plain words
MESSAGES = {
    400: (_l("The request could not be read"),
          _l("Something in what was sent did not make sense to us. Go back, reload the page and "
             "try again.")),
    403: (_l("Not allowed"),
          _l("This page is not open to you. If you came here from a link you were sent, ask "
             "the tour's coordinator for a new one.")),
    404: (_l("Page not found"),
          _l("No page lives at this address. If it came from a link you were sent, check that "
             "it was copied whole; a link stops working when a newer one replaces it.")),
    405: (_l("Not possible here"),
          _l("This page cannot do what was asked. Go back and use the page's own buttons.")),
}
FAULT = (_l("Something went wrong on our side"),
         _l("The page could not be made. Nothing you saved before has been lost; please try "
            "again in a minute."))


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def error_page(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        heading, text = MESSAGES.get(error.code, FAULT if error.code >= 500 else MESSAGES[400])
        if error.description != type(error).description:
            text = error.description  # the app's own words for this case, not the framework's
        page = render_template("errors/http.html", heading=heading, text=text)
        allow = [(key, value) for key, value in error.get_headers() if key == "Allow"]  # 405
        return page, error.code, allow

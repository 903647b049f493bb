"""The token is the only key: every speaker URL resolves it to ``g.speaker`` or answers 404.

The speaker's locale is chosen here too, so the app's Babel ``locale_selector`` (which reads
``g.locale``) renders every speaker page, flash and form message in the speaker's language.
"""

from flask import abort, g, request
from flask_babel import refresh
from werkzeug.wrappers import Response

from scheduler.extensions import db
from scheduler.models import Speaker
from scheduler.speakers import bp

# Each language named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
LOCALES = tuple(LANGUAGE_NAMES)
# Private pages: no search engine, no shared cache, no Referer carrying the token elsewhere.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "private, no-store",
}


def viewing_locale(speaker: Speaker) -> str:
    """``?lang=`` shows a page in another language without changing the saved choice."""
    asked = request.args.get("lang")
    if asked in LOCALES:
        return asked
    return speaker.locale if speaker.locale in LOCALES else "en"


@bp.url_value_preprocessor
def load_speaker(endpoint: str | None, values: dict | None) -> None:
    token = (values or {}).pop("token", None)
    speaker = None
    if token:
        speaker = db.session.execute(
            db.select(Speaker).filter_by(feed_token=token)
        ).scalar_one_or_none()
    if speaker is None:
        abort(404)
    g.speaker = speaker
    g.locale = viewing_locale(speaker)
    refresh()  # Flask-Babel caches the locale on ``g``: forget any chosen before this point


@bp.url_defaults
def add_token(endpoint: str, values: dict) -> None:
    """Links between the speaker's pages carry their token, and a ``?lang=`` being viewed."""
    speaker = g.get("speaker")
    if speaker is not None:
        values.setdefault("token", speaker.feed_token)
    if request.args.get("lang") in LOCALES:
        values.setdefault("lang", request.args["lang"])


@bp.after_request
def mark_private(response: Response) -> Response:
    response.headers.update(PRIVATE_HEADERS)
    if g.get("locale"):
        response.headers["Content-Language"] = g.locale
    return response

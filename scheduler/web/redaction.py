"""Secret tokens travel in URLs (chapter links, speaker pages, calendar feeds).

They must never reach a log: both the development server's access log (werkzeug) and gunicorn's
(``scheduler.web.gunicorn_logging``) pass every formatted line through ``redact``, whichever
part of the request the line quotes (request line, path, query, Referer, Location, any header).

A token is found however the URL was spelled: percent-encoded (``/r/%64%35...``, served all the
same), in another case (``/R/...``), with extra slashes (``/r//...``), or inside a full URL.
"""

import logging
import re
from urllib.parse import unquote

TOKEN_ROUTE = r"/+(?:r|speaker|feeds/+speaker|feeds/+chapter)/+"
TOKEN_IN_PATH = re.compile(rf"(?P<prefix>{TOKEN_ROUTE})[A-Za-z0-9_\-]{{16,}}", re.IGNORECASE)
TOKEN_IN_QUERY = re.compile(r"(?P<prefix>[?&;]token=)[^&;\s\"]+", re.IGNORECASE)
# A run of non-blank text holding at least one percent-escape: a URL or part of one.
ENCODED_WORD = re.compile(r"[^\s\"]*%[0-9A-Fa-f]{2}[^\s\"]*")
# Decoding more than this many times means the text is built to hide something; it is dropped.
MAX_DECODINGS = 4


def _decoded(match: re.Match) -> str:
    """The word with every layer of percent-encoding removed; blanks, quotes and control
    characters that decoding brought in are written back as escapes, so a line stays a line."""
    word = match.group()
    for _ in range(MAX_DECODINGS):
        decoded = unquote(word)
        if decoded == word:
            break
        word = decoded
    else:
        return "[undecodable]"
    return "".join(
        char if char.isprintable() and char not in ' "' else f"%{ord(char):02X}" for char in word
    )


def redact(text: str) -> str:
    text = ENCODED_WORD.sub(_decoded, text)
    text = TOKEN_IN_PATH.sub(r"\g<prefix>[redacted]", text)
    return TOKEN_IN_QUERY.sub(r"\g<prefix>[redacted]", text)


class RedactTokens(logging.Filter):
    """Formats the record's message with its arguments, then redacts the whole line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.msg % record.args
            record.args = ()
        record.msg = redact(str(record.msg))
        return True


def add_filter(logger: logging.Logger) -> None:
    if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
        logger.addFilter(RedactTokens())


def install_log_filter(app_logger: logging.Logger) -> None:
    """The development server's access log, and the app's logger, where Flask writes
    "Exception on <path>" when a view fails."""
    for logger in (logging.getLogger("werkzeug"), app_logger):
        add_filter(logger)

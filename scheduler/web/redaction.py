"""Secret tokens travel in URLs (chapter links, speaker pages, calendar feeds).

They must never reach a log: both the development server's access log (werkzeug) and gunicorn's
(``scheduler.web.gunicorn_logging``) pass every line through ``redact``.
"""

import logging
import re

TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/(?:r|speaker|feeds/speaker|feeds/chapter)/)[A-Za-z0-9_\-]{16,}"
)
TOKEN_IN_QUERY = re.compile(r"(?P<prefix>[?&]token=)[^&\s\"]+")


def redact(text: str) -> str:
    text = TOKEN_IN_PATH.sub(r"\g<prefix>[redacted]", text)
    return TOKEN_IN_QUERY.sub(r"\g<prefix>[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.msg % record.args
            record.args = ()
        record.msg = redact(str(record.msg))
        return True


def install_log_filter(app_logger: logging.Logger) -> None:
    """The development server's access log, and the app's logger, where Flask writes
    "Exception on <path>" when a view fails."""
    for logger in (logging.getLogger("werkzeug"), app_logger):
        if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
            logger.addFilter(RedactTokens())

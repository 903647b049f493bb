"""A gunicorn logger whose access and error logs never show a secret token.

The filter sits on the loggers, not on chosen atoms: it redacts the finished line, so every
atom an ``access_log_format`` may name (``%(f)s`` the Referer, ``%({location}o)s``, any
``%({header}i)s``) is covered, and so is an error line quoting a bad request.
"""

from gunicorn.glogging import Logger

from scheduler.web.redaction import add_filter


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        add_filter(self.access_log)
        add_filter(self.error_log)

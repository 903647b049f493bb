"""gunicorn settings for production: ``gunicorn wsgi:app`` reads this file by default."""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 60
graceful_timeout = 30
accesslog = "-"
logger_class = "scheduler.web.gunicorn_logging.RedactingLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to start, one line per service, when the database or Redis does not answer:
    better than workers that boot and answer every visitor with a 500."""
    from scheduler.startup import configured_problems

    missing = configured_problems()
    for line in missing:
        server.log.error(line)
    if missing:
        sys.exit(2)

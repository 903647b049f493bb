"""gunicorn settings for production: ``gunicorn wsgi:app`` reads this file by default.

gunicorn listens on 127.0.0.1 behind nginx (deploy/nginx.conf), which reads each request whole
before passing it on: a gunicorn thread reads its request as it arrives, so a client that
trickles bytes straight to gunicorn holds a thread for as long as it likes (bench/slow_clients.py).
"""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads: a page waiting on the database or on SMTP leaves the worker's other threads serving.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# A gthread worker's heartbeat goes on while its threads work: this only catches a worker whose
# main loop is stuck. Solving never runs in a request (a thread of its own, or RQ).
timeout = 60
graceful_timeout = 30
# nginx keeps connections to gunicorn open and closes them after 4 s idle (its upstream
# keepalive_timeout): gunicorn waits longer, so it is never the one closing under a new request.
keepalive = 5
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

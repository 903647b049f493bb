"""Entry point for ``flask --app wsgi`` and ``gunicorn wsgi:app``."""

import gc

from scheduler import create_app

app = create_app()
# What start-up loaded (the app, its libraries and tables) lives as long as the process. Frozen,
# it is left out of the collector's full passes, which otherwise walk it in the middle of a
# request: on the 500-request bench tour that was a quarter of an edit's time (bench/NOTES.md).
gc.freeze()

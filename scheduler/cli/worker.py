"""``flask --app wsgi worker [--burst]``: run solve jobs from the Redis queue on this machine.

Start one on every machine that should solve; they share the queue named in ``REDIS_URL`` and
the database named in ``DATABASE_URL``. Without ``REDIS_URL`` the web process solves on its own
threads and there is nothing for a worker to do, so the command refuses.
"""

import click
from flask import current_app
from flask.cli import with_appcontext

from scheduler.cli.check import exit_if_unreachable

NO_QUEUE = (
    "REDIS_URL is not set, so there is no queue to work on: solve runs execute inside the web "
    "process. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) here and for the web app."
)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run solve jobs from the Redis queue (REDIS_URL) until stopped."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(NO_QUEUE)
    exit_if_unreachable(current_app.config["DATABASE_URL"], url)
    from redis.exceptions import ConnectionError as RedisConnectionError

    from scheduler.solving.redis_queue import make_worker

    try:
        make_worker(current_app._get_current_object()).work(burst=burst, logging_level="INFO")
    except RedisConnectionError as error:
        raise click.ClickException(f"Cannot reach Redis at REDIS_URL: {error}") from None


COMMANDS = [worker]

"""``flask --app wsgi check``: can this configuration reach its database and Redis?"""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from scheduler import startup

UNREACHABLE_EXIT_CODE = 2


def exit_if_unreachable(database_url: str, redis_url: str | None) -> None:
    """Print one line per service that does not answer and stop with status 2."""
    missing = startup.problems(database_url, redis_url)
    for line in missing:
        click.echo(line, err=True)
    if missing:
        sys.exit(UNREACHABLE_EXIT_CODE)


@click.command("check")
@with_appcontext
def check() -> None:
    """Check that the database and Redis (when REDIS_URL is set) answer; exit 2 if not."""
    redis_url = current_app.config.get("REDIS_URL")
    exit_if_unreachable(current_app.config["DATABASE_URL"], redis_url)
    click.echo("The database and Redis answer." if redis_url else "The database answers.")


COMMANDS = [check]

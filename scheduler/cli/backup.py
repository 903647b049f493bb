"""``flask --app wsgi backup FILE`` and ``restore FILE``: consistent snapshots of the database.

SQLite uses its online backup API, so a snapshot taken while the app serves is consistent.
PostgreSQL is backed up with its own tools: the command says how instead of pretending.
"""

import os
import sqlite3

import click
from flask import current_app
from flask.cli import with_appcontext

from scheduler.extensions import db

POSTGRES_ADVICE = (
    "This database is PostgreSQL: use its own tools, e.g.\n"
    "  pg_dump --format=custom --file=FILE \"$DATABASE_URL\"\n"
    "  pg_restore --clean --if-exists --dbname=\"$DATABASE_URL\" FILE"
)


def _sqlite_path() -> str:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(POSTGRES_ADVICE)
    return url.database


def _copy(source: str, target: str) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup(file: str) -> None:
    """Write a consistent snapshot of the SQLite database to FILE."""
    source = _sqlite_path()
    if os.path.exists(file):
        raise click.ClickException(f"{file} exists already; choose a new file name.")
    _copy(source, file)
    click.echo(f"Backed up {source} to {file}.")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore(file: str, yes: bool) -> None:
    """Replace the SQLite database with the snapshot in FILE (stop the server first)."""
    target = _sqlite_path()
    check = sqlite3.connect(file)
    try:
        sound = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        sound = False
    finally:
        check.close()
    if not sound:
        raise click.ClickException(f"{file} is not a sound SQLite database.")
    if not yes:
        click.confirm(f"Replace {target} with {file}?", abort=True)
    db.engine.dispose()
    _copy(file, target)
    current_app.logger.info("database restored from a backup")
    click.echo(f"Restored {target} from {file}.")


COMMANDS = [backup, restore]

"""``flask --app wsgi backup FILE`` and ``restore FILE``: consistent snapshots of the database.

SQLite uses its online backup API, so a snapshot taken while the app serves is consistent.
PostgreSQL is backed up with its own tools, ``pg_dump`` and ``pg_restore``, run here with the
app's database: the plain ``postgresql://`` form of ``DATABASE_URL`` (they do not know
SQLAlchemy's ``postgresql+psycopg://``), the password passed in ``PGPASSWORD``, never on the
command line.
"""

import os
import shutil
import sqlite3
import subprocess

import click
from flask import current_app
from flask.cli import with_appcontext

from scheduler.extensions import db

NO_CLIENT = (
    "This database is PostgreSQL and {tool} is not installed: install PostgreSQL's client "
    "tools (Debian: postgresql-client) of the server's version."
)


def _is_sqlite() -> bool:
    return db.engine.url.get_backend_name() == "sqlite"


def _sqlite_path() -> str:
    return db.engine.url.database


def _run_postgres_tool(tool: str, *args: str) -> None:
    """Run pg_dump or pg_restore on the app's database; its own message on failure."""
    if shutil.which(tool) is None:
        raise click.ClickException(NO_CLIENT.format(tool=tool))
    url = db.engine.url
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    done = subprocess.run(
        [tool, *args, f"--dbname={plain}"], env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise click.ClickException(f"{tool} failed: {done.stderr.strip()}")


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
    """Write a consistent snapshot of the database to FILE (SQLite file, or pg_dump's custom
    format for PostgreSQL)."""
    if os.path.exists(file):
        raise click.ClickException(f"{file} exists already; choose a new file name.")
    if not _is_sqlite():
        _run_postgres_tool("pg_dump", "--format=custom", f"--file={file}")
        click.echo(f"Backed up the PostgreSQL database to {file}.")
        return
    source = _sqlite_path()
    _copy(source, file)
    click.echo(f"Backed up {source} to {file}.")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore(file: str, yes: bool) -> None:
    """Replace the database with the snapshot in FILE (stop the server first)."""
    if not _is_sqlite():
        if not yes:
            click.confirm("Replace the PostgreSQL database's tables with the backup?", abort=True)
        db.session.remove()
        db.engine.dispose()
        _run_postgres_tool("pg_restore", "--clean", "--if-exists", "--no-owner", file)
        current_app.logger.info("database restored from a backup")
        click.echo(f"Restored the PostgreSQL database from {file}.")
        return
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

"""SQLite settings for a web server.

WAL lets readers run beside the writer; the busy timeout makes concurrent writers wait instead of
failing; foreign keys are enforced as on PostgreSQL. One more thing matters under load: a deferred
transaction that reads and then writes fails at once with "database is locked" when another writer
committed in between (the busy timeout does not apply to that upgrade). So transactions that are
expected to write (form posts) start with BEGIN IMMEDIATE and wait their turn for the write lock;
page views, commands and background jobs start with a plain BEGIN.
"""

from flask import has_request_context, request
from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 30000
WRITING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _configure_connection(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # BEGIN is issued by _begin below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _expects_writes() -> bool:
    return has_request_context() and request.method in WRITING_METHODS


def _begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _expects_writes() else "BEGIN")


def configure(engine: Engine) -> None:
    if engine.url.get_backend_name() == "sqlite" and not event.contains(
        engine, "connect", _configure_connection
    ):
        event.listen(engine, "connect", _configure_connection)
        event.listen(engine, "begin", _begin)

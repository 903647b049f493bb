"""SQLite settings for a web server: WAL so readers never block the writer, a busy timeout so
concurrent writers wait instead of failing, and foreign keys enforced as on PostgreSQL."""

from sqlalchemy import Engine, event

BUSY_TIMEOUT_MS = 15000


def _configure_connection(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def configure(engine: Engine) -> None:
    if engine.url.get_backend_name() == "sqlite" and not event.contains(
        engine, "connect", _configure_connection
    ):
        event.listen(engine, "connect", _configure_connection)

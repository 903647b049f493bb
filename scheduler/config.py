"""Configuration defaults, then ``instance/config.py``, then environment variables."""

import os

from flask import Config

ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "SERVER_NAME",
    "BASE_URL",
    "REDIS_URL",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_FROM",
    "ENV",
    "RATELIMIT_ENABLED",
    "TRUSTED_PROXIES",
)


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": "dev",
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "scheduler.sqlite"),
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "tour@localhost",
        "OUTBOX_DIR": os.path.join(instance_path, "outbox"),
        "SOLVE_TIME_LIMIT": 30,
        "ENV": "development",
    }


def load(target: Config, instance_path: str) -> None:
    """The one order of sources, for the app and for the start-up check that runs before it."""
    target.from_mapping(defaults(instance_path))
    target.from_pyfile(os.path.join(instance_path, "config.py"), silent=True)
    target.update(from_environment())


def from_environment() -> dict:
    """Environment variables win over every file, so a script can point the app anywhere."""
    values = {key: os.environ[key] for key in ENVIRONMENT_KEYS if key in os.environ}
    for number in ("MAIL_PORT", "TRUSTED_PROXIES"):
        if number in values:
            values[number] = int(values[number])
    for flag in ("MAIL_USE_TLS", "RATELIMIT_ENABLED"):
        if flag in values:
            values[flag] = values[flag].lower() in ("1", "true", "yes")
    return values


# A database host that drops packets would hold a connection attempt for the system's TCP
# timeout (minutes): the app's start, a request and /healthz get an answer in this many seconds.
POSTGRESQL_CONNECT_TIMEOUT = 10


def engine_options(database_url: str) -> dict:
    """A threaded server holds one connection per request in flight: leave room for bursts.
    (An in-memory SQLite database has a single connection and takes no pool settings.)"""
    if database_url in ("sqlite://", "sqlite:///:memory:"):
        return {}
    options = {"pool_size": 10, "max_overflow": 40, "pool_timeout": 60}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT}
    return options

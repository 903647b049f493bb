"""``flask --app wsgi ...`` commands. Each module adds its commands to a group defined here."""

import functools

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

tour_group = AppGroup("tour", help="Tours: list, import, export, solve, feeds.")
MISSING_SCHEMA = (
    "The database has no tables yet: run `flask --app wsgi db upgrade` first "
    "(`make run` does it for you)."
)


def _is_missing_table(error: OperationalError | ProgrammingError) -> bool:
    """SQLite says "no such table"; PostgreSQL raises UndefinedTable."""
    return "no such table" in str(error.orig) or type(error.orig).__name__ == "UndefinedTable"


def explain_missing_schema(command: click.Command) -> click.Command:
    """A command run before the first migration says what to do, not a traceback."""
    if getattr(command.callback, "explains_missing_schema", False):
        return command
    callback = command.callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            if not _is_missing_table(error):
                raise
            raise click.ClickException(MISSING_SCHEMA) from error

    run.explains_missing_schema = True
    command.callback = run
    return command


def init_app(app: Flask) -> None:
    from scheduler.cli import (  # noqa: F401
        accounts,
        backup,
        check,
        check_ins,
        demo,
        feeds,
        reminders,
        solve,
        tours,
        worker,
    )

    commands = [
        accounts.create_coordinator,
        *backup.COMMANDS,
        *check.COMMANDS,
        *demo.COMMANDS,
        *worker.COMMANDS,
    ]
    for command in [*commands, *tour_group.commands.values()]:
        explain_missing_schema(command)
    app.cli.add_command(tour_group)
    for command in commands:
        app.cli.add_command(command)

"""``flask --app wsgi ...`` commands. Each module adds its commands to a group defined here."""

from flask import Flask
from flask.cli import AppGroup

tour_group = AppGroup("tour", help="Tours: list, import, export, solve, feeds.")


def init_app(app: Flask) -> None:
    from scheduler.cli import accounts, backup, demo, feeds, solve, tours, worker  # noqa: F401

    app.cli.add_command(tour_group)
    app.cli.add_command(accounts.create_coordinator)
    for module in (backup, demo, worker):
        for command in module.COMMANDS:
            app.cli.add_command(command)

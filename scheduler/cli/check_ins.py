"""``flask --app wsgi tour check-ins``: email the coordinators about talks whose speaker has not
checked in an hour before the start. Safe to run from cron every few minutes: each talk is
alerted once."""

import click

from scheduler.cli import tour_group
from scheduler.services import check_ins


@tour_group.command("check-ins")
def check_ins_command() -> None:
    """Alert the coordinators once about each talk with no check-in an hour before it."""
    alerted = check_ins.alert_missed()
    click.echo(f"{alerted} talk(s) with no check-in: coordinators emailed." if alerted
               else "Every talk due within the hour has its check-in (or was alerted before).")

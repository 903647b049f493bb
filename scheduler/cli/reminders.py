"""``flask --app wsgi tour remind``: email chapters the reminders due now (an unfinished advance
before the event, the report request after it). Safe to run from cron as often as you like:
each reminder of each event is sent once."""

import click

from scheduler.cli import tour_group
from scheduler.services import reminders


@tour_group.command("remind")
def remind_command() -> None:
    """Send the advance and report reminders that are due, each once."""
    sent = reminders.send_due()
    click.echo(f"{sent} reminder(s) sent." if sent else "No reminder is due.")

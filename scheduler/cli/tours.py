"""``flask --app wsgi tour ...``: tours from the shell."""

import click

from scheduler.cli import tour_group
from scheduler.extensions import db
from scheduler.models import Tour


@tour_group.command("list")
def list_tours() -> None:
    """One line per tour: slug, state, window, name."""
    for tour in db.session.execute(db.select(Tour).order_by(Tour.start)).scalars():
        click.echo(f"{tour.slug}\t{tour.state}\t{tour.start}..{tour.end}\t{tour.name}")

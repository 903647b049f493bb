"""``flask --app wsgi demo [--if-empty]``: load the demo tour and print the demo login."""

import os
import secrets

import click
from flask.cli import with_appcontext

from scheduler.demo import DEMO_EMAIL, ensure_demo_coordinator, load_demo
from scheduler.demo_in_progress import load_in_progress_demo
from scheduler.extensions import db
from scheduler.models import Tour
from scheduler.web.urls import absolute_url


@click.command("demo")
@with_appcontext
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already has a tour (what `make run` uses).",
)
def demo(if_empty: bool) -> None:
    """Load "Jamadang Tour (demo)", a demo tour under way, and a demo login (password:
    DEMO_PASSWORD or random)."""
    if if_empty and db.session.execute(db.select(Tour.id).limit(1)).first() is not None:
        click.echo("The database already has tours: the demo was not loaded.")
        return
    tour = load_demo()
    under_way = load_in_progress_demo()
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    ensure_demo_coordinator(password)
    click.echo(
        f"Loaded {tour.name} ({tour.slug}): {len(tour.speakers)} speakers, "
        f"{len(tour.requests)} requests, {tour.start}..{tour.end}."
    )
    click.echo(
        f"Loaded {under_way.name} ({under_way.slug}): {len(under_way.requests)} confirmed "
        "events, past ones with reports, upcoming ones with their advances."
    )
    click.echo(f"Log in at {absolute_url('coordinator.login')}")
    click.echo(f"  email:    {DEMO_EMAIL}")
    click.echo(f"  password: {password}")


COMMANDS = [demo]

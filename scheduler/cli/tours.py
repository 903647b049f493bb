"""``flask --app wsgi tour ...``: list tours, export and import them as tour-format JSON."""

import json
import sys

import click

from scheduler.cli import tour_group
from scheduler.extensions import db
from scheduler.models import Tour
from scheduler.services.proposal import tour_instance
from scheduler.tour_format import TourFormatError, import_tour


@tour_group.command("list")
def list_tours() -> None:
    """One line per tour: slug, state, window, name."""
    for tour in db.session.execute(db.select(Tour).order_by(Tour.start)).scalars():
        click.echo(f"{tour.slug}\t{tour.state}\t{tour.start}..{tour.end}\t{tour.name}")


def tour_json(tour: Tour) -> str:
    """The exported tour as text: indented, non-ASCII kept as itself (UTF-8 when written)."""
    return json.dumps(tour_instance(tour), indent=2, ensure_ascii=False) + "\n"


@tour_group.command("export")
@click.argument("slug")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the JSON to this file instead of standard output.",
)
def export_command(slug: str, out: str | None) -> None:
    """Write tour SLUG as speaker-tour/1 JSON (confirmed assignments as pinned)."""
    tour = db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one_or_none()
    if tour is None:
        raise click.BadParameter(f'no tour with slug "{slug}"', param_hint="SLUG")
    text = tour_json(tour)
    if out:
        with open(out, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        click.echo(f"Wrote {slug} to {out}.", err=True)
    else:
        click.echo(text.encode("utf-8"), nl=False)  # bytes: UTF-8 whatever the locale says


@tour_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(file: str) -> None:
    """Create a draft tour from the speaker-tour/1 JSON in FILE and print its slug."""
    try:
        with open(file, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (ValueError, RecursionError) as error:  # bad bytes or JSON, a huge number, deep nesting
        click.echo(f"{file}: not UTF-8 JSON: {error}", err=True)
        sys.exit(2)
    try:
        tour = import_tour(data)
    except TourFormatError as error:
        click.echo(f"{file}: not a valid tour:\n{error}", err=True)
        sys.exit(2)
    click.echo(tour.slug)

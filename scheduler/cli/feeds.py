"""``flask --app wsgi tour feeds SLUG``: every calendar feed of a tour, to send out by hand."""

import click

from scheduler.cli import tour_group
from scheduler.extensions import db
from scheduler.feeds.links import chapter_feed_links, speaker_feed_links, tour_feed_links
from scheduler.models import CoordinatorUser, RequestState, Tour


@tour_group.command("feeds")
@click.argument("slug")
@click.option(
    "--coordinator",
    "email",
    default=None,
    help="Put this coordinator's feed token in the tour feed URL (for calendar apps).",
)
def list_feeds(slug: str, email: str | None) -> None:
    """One line per feed: kind, name, URL (speakers, chapters, then the tour), built on BASE_URL.

    The URLs are secrets: speaker and chapter feeds open with their token alone.
    """
    tour = db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one_or_none()
    if tour is None:
        raise click.ClickException(f"No tour with slug {slug!r}.")
    coordinator = None
    if email is not None:
        coordinator = db.session.execute(
            db.select(CoordinatorUser).filter_by(email=email.strip().lower())
        ).scalar_one_or_none()
        if coordinator is None:
            raise click.ClickException(f"No coordinator {email!r}.")

    for speaker in tour.speakers:
        click.echo(f"speaker\t{speaker.display_name}\t{speaker_feed_links(speaker).https}")
    for request in tour.requests:
        if request.state != RequestState.WITHDRAWN:
            name = f"{request.chapter.name} ({request.venue_name})"
            click.echo(f"chapter\t{name}\t{chapter_feed_links(request).https}")
    click.echo(f"tour\t{tour.name}\t{tour_feed_links(tour, coordinator).https}")

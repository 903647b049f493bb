"""``flask --app wsgi tour solve SLUG``: the Solve button from a shell, on the same job path.

The run is queued with ``runs.start`` and run here, in this process, with ``run_solve``: the
same rows, the same one-run-per-tour rule, the same proposal. Progress goes to stderr so that
stdout carries only the summary, for scripts.
"""

import getpass
import sys

import click
from flask import current_app

from scheduler.cli import tour_group
from scheduler.extensions import db
from scheduler.models import SolveState, Tour
from scheduler.solving import runs
from scheduler.solving.execute import run_solve
from scheduler.solving.summary import summarize


def _progress_line(progress) -> str:
    return (
        f"{progress.elapsed:7.1f} s  served weight {progress.served_weight}  "
        f"bound {progress.bound}  gap {progress.gap:.1%}  ({progress.phase})"
    )


@tour_group.command("solve")
@click.argument("slug")
@click.option(
    "--time-limit",
    type=click.FloatRange(runs.MIN_TIME_LIMIT, runs.MAX_TIME_LIMIT),
    default=None,
    help="Seconds the solver may search (default: SOLVE_TIME_LIMIT, 30).",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Publish the proposal when the solve succeeds (chapters are emailed).",
)
def solve_command(slug: str, time_limit: float | None, publish: bool) -> None:
    """Solve tour SLUG into a proposal: progress on stderr, a summary on stdout."""
    tour = db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one_or_none()
    if tour is None:
        raise click.BadParameter(f'no tour with slug "{slug}"', param_hint="SLUG")
    actor = f"cli:{getpass.getuser()}"
    limit = time_limit or float(current_app.config.get("SOLVE_TIME_LIMIT", 30))
    try:
        run = runs.start(tour, limit, actor)
    except runs.SolveAlreadyRunning as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"Solving {tour.slug} (run #{run.id}, time limit {limit:g} s)...", err=True)
    run = run_solve(run.id, on_progress=lambda p: click.echo(_progress_line(p), err=True))
    click.echo(summarize(run).line())
    if run.state != SolveState.SUCCEEDED:
        click.echo(f"Run #{run.id} {run.state}: {run.error or 'no proposal'}", err=True)
        sys.exit(1)
    if publish:
        from scheduler.services.publishing import publish as publish_tour

        version = publish_tour(db.session.get(Tour, tour.id), actor)
        click.echo(f"Published version {version.number} of {tour.slug}.")

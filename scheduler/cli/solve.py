"""``flask --app wsgi tour solve SLUG``: the Solve button from a shell, on the same job path.

The run is queued with ``start_solve`` and run here, in this process, with ``run_solve``: the
same rows, the same one-run-per-tour rule, the same proposal. Progress goes to stderr so that
stdout carries only the summary, for scripts.
"""

import getpass
import sys

import click
from flask import current_app

from scheduler.cli import tour_group
from scheduler.extensions import db
from scheduler.models import SolveRun, SolveState, Tour
from scheduler.services.solving import (
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
    SolveAlreadyRunning,
    run_solve,
    start_solve,
)


def _progress_line(progress) -> str:
    return (
        f"{progress.elapsed:7.1f} s  served weight {progress.served_weight}  "
        f"bound {progress.bound}  gap {progress.gap:.1%}  ({progress.phase})"
    )


def summary(run: SolveRun) -> str:
    result = run.result or {}
    assigned = len(result.get("assignments", []))
    unassigned = len(result.get("unassigned", []))
    objective = result.get("objective", {})
    gap = f"{run.gap:.1%}" if run.gap is not None else "unknown"
    return (
        f"Run #{run.id} {run.state}: {result.get('status', '?')}, "
        f"{assigned} of {assigned + unassigned} requests assigned, "
        f"served weight {run.served_weight} (bound {run.bound}, gap {gap}), "
        f"preference penalty {objective.get('preference_penalty', '?')}, "
        f"travel {objective.get('travel_km', 0):.0f} km, {run.elapsed:.1f} s"
    )


@tour_group.command("solve")
@click.argument("slug")
@click.option(
    "--time-limit",
    type=click.FloatRange(MIN_TIME_LIMIT, MAX_TIME_LIMIT),
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
        run = start_solve(tour, limit, actor)
    except SolveAlreadyRunning as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"Solving {tour.slug} (run #{run.id}, time limit {limit:g} s)...", err=True)
    run = run_solve(run.id, on_progress=lambda p: click.echo(_progress_line(p), err=True))
    click.echo(summary(run))
    if run.state != SolveState.SUCCEEDED:
        click.echo(f"Run #{run.id} {run.state}: {run.error or 'no proposal'}", err=True)
        sys.exit(1)
    if publish:
        from scheduler.services.publishing import publish as publish_tour

        version = publish_tour(db.session.get(Tour, tour.id), actor)
        click.echo(f"Published version {version.number} of {tour.slug}.")

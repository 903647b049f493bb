"""Coordinator accounts from the shell."""


import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from scheduler.extensions import db
from scheduler.models import CoordinatorUser


@click.command("create-coordinator")
@with_appcontext
@click.argument("email")
@click.option(
    "--password",
    envvar="COORDINATOR_PASSWORD",
    help="Password; read from COORDINATOR_PASSWORD, otherwise prompted.",
)
def create_coordinator(email: str, password: str | None) -> None:
    """Create a coordinator account (or reset its password) for EMAIL."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from error
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="password")
    user = db.session.execute(
        db.select(CoordinatorUser).filter_by(email=email)
    ).scalar_one_or_none()
    if user is None:
        user = CoordinatorUser(email=email)
        db.session.add(user)
    user.set_password(password)
    db.session.commit()
    click.echo(f"Coordinator {email} can now log in.")

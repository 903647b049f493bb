"""Coordinator accounts from the shell."""


import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from scheduler.services.accounts import set_coordinator_password


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
    set_coordinator_password(email, password)
    click.echo(f"Coordinator {email} can now log in.")

"""Login and logout of coordinators (Flask-Login sessions, werkzeug password hashes)."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from scheduler.coordinator import bp
from scheduler.coordinator.forms import LoginForm
from scheduler.extensions import db, login_manager
from scheduler.models import CoordinatorUser


@login_manager.user_loader
def load_user(user_id: str) -> CoordinatorUser | None:
    return db.session.get(CoordinatorUser, int(user_id))


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site (no open redirect), and nothing a header
    cannot hold or a browser reads as another host (control characters, backslashes)."""
    if (
        target
        and target.startswith("/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("coordinator.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            db.select(CoordinatorUser).filter_by(email=form.email.data.strip().lower())
        ).scalar_one_or_none()
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Email or password is wrong.")
    return render_template("coordinator/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are logged out.")
    return redirect(url_for("public.index"))

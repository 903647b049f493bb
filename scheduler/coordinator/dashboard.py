from flask import render_template
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.extensions import db
from scheduler.models import Tour


@bp.get("/")
@login_required
def dashboard():
    tours = db.session.execute(db.select(Tour).order_by(Tour.start.desc())).scalars()
    return render_template("coordinator/dashboard.html", tours=list(tours))

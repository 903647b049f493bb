from flask import render_template

from scheduler.extensions import db
from scheduler.models import Tour, TourState
from scheduler.public import bp


@bp.get("/")
def index():
    tours = db.session.execute(
        db.select(Tour).filter_by(state=TourState.OPEN).order_by(Tour.start)
    ).scalars()
    return render_template("public/index.html", tours=list(tours))

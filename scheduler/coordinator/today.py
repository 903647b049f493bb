"""The Today board: every talk of today and tomorrow, whether its speaker has arrived, and whom
to call. Loading it also sends any missed check-in alert that is due (once per talk)."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from scheduler.coordinator import bp
from scheduler.services import check_ins


@bp.get("/today")
@login_required
def today():
    check_ins.alert_missed()
    return render_template("coordinator/today.html", rows=check_ins.board())

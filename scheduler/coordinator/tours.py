"""Setting up a tour: create and edit it, and its overview page (the hub of its sections)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from scheduler.coordinator import bp
from scheduler.extensions import db
from scheduler.models import (
    Request,
    RequestState,
    ScheduleVersion,
    Speaker,
    Tour,
    TourState,
)
from scheduler.services.solving import active_run, latest_run
from scheduler.tour_format import unique_slug

OTHER_ZONE = "other"
US_ZONES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Arizona (Phoenix, no daylight saving)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
]
EDITABLE_STATES = [
    SelectChoice(TourState.DRAFT, "Draft (no requests yet)"),
    SelectChoice(TourState.OPEN, "Open (chapters can request)"),
    SelectChoice(TourState.CLOSED, "Closed (no new requests)"),
]
# Names are one line; PostgreSQL cannot store NUL, and no text here needs a control character.
ONE_LINE = Regexp(r"^[^\x00-\x1f\x7f]*\Z", message="Use one line, without control characters.")
LINES = Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*\Z", message="Remove the control characters.")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"  # \Z: "$" would let a final newline through

MAX_TOUR_DAYS = 366  # the solver and the timeline are sized for one season, not years


class TourForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200), ONE_LINE])
    slug = StringField(
        "Short name in links",
        validators=[
            Optional(),
            Length(max=100),
            Regexp(SLUG_PATTERN, message="Use lowercase letters, digits and single hyphens."),
        ],
    )
    description = TextAreaField("Description", validators=[Length(max=5000), LINES])
    start = DateField("First day", validators=[InputRequired("Give the first day.")])
    end = DateField("Last day", validators=[InputRequired("Give the last day.")])
    timezone_choice = SelectField(
        "Home time zone",
        choices=[
            *(SelectChoice(name, label) for name, label in US_ZONES),
            SelectChoice(OTHER_ZONE, "Another zone (type it below)"),
        ],
    )
    timezone_other = StringField("Other time zone", validators=[Length(max=64)])
    max_km_per_day = FloatField(
        "Most km of travel per day",
        validators=[InputRequired(), NumberRange(min=1, max=5000)],
        default=650,
    )
    max_events_per_day = IntegerField(
        "Most events per day", validators=[InputRequired(), NumberRange(min=1, max=10)], default=1
    )
    max_events_per_week = IntegerField(
        "Most events per week",
        validators=[InputRequired(), NumberRange(min=1, max=70)],
        default=5,
    )
    max_consecutive_days = IntegerField(
        "Most working days in a row",
        validators=[InputRequired(), NumberRange(min=1, max=366)],
        default=4,
    )
    request_deadline = DateField("Requests close after", validators=[Optional()])
    state = SelectField("State", choices=EDITABLE_STATES, default=TourState.DRAFT)

    def __init__(self, *args, tour: Tour | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tour = tour
        if tour is not None and tour.state == TourState.PUBLISHED:
            self.state.choices = [
                SelectChoice(TourState.PUBLISHED, "Published (set by publishing)"),
                *EDITABLE_STATES,
            ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.start.data and self.end.data and self.end.data < self.start.data:
            self.end.errors.append("The last day must not be before the first day.")
            valid = False
        elif self.start.data and self.end.data and (
            (self.end.data - self.start.data).days >= MAX_TOUR_DAYS
        ):
            self.end.errors.append(f"A tour lasts at most {MAX_TOUR_DAYS} days.")
            valid = False
        deadline = self.request_deadline.data
        if deadline and self.end.data and deadline > self.end.data:
            self.request_deadline.errors.append("Requests must close by the tour's last day.")
            valid = False
        if self.timezone_choice.data == OTHER_ZONE and not self._zone_ok():
            valid = False
        if self.slug.data and not self.slug.errors and self._slug_taken(self.slug.data):
            self.slug.errors.append(f'Another tour already uses "{self.slug.data}".')
            valid = False
        return valid

    def _zone_ok(self) -> bool:
        name = (self.timezone_other.data or "").strip()
        if not name:
            self.timezone_other.errors.append("Type a time zone such as America/Chicago.")
            return False
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder ("America")
            self.timezone_other.errors.append(
                f'"{name}" is not a time zone name; use one such as America/Chicago.'
            )
            return False
        return True

    def _slug_taken(self, slug: str) -> bool:
        query = select(Tour.id).where(Tour.slug == slug)
        if self.tour is not None:
            query = query.where(Tour.id != self.tour.id)
        return db.session.scalar(query) is not None

    def timezone(self) -> str:
        if self.timezone_choice.data == OTHER_ZONE:
            return self.timezone_other.data.strip()
        return self.timezone_choice.data

    def show_zone(self, name: str) -> None:
        """Show a stored zone: picked in the list when it is a common one, else typed."""
        if name in dict(US_ZONES):
            self.timezone_choice.data = name
        else:
            self.timezone_choice.data = OTHER_ZONE
            self.timezone_other.data = name

    def apply_to(self, tour: Tour) -> None:
        for name in (
            "name",
            "description",
            "start",
            "end",
            "max_km_per_day",
            "max_events_per_day",
            "max_events_per_week",
            "max_consecutive_days",
            "request_deadline",
            "state",
        ):
            setattr(tour, name, getattr(self, name).data)
        tour.name = tour.name.strip()
        tour.timezone = self.timezone()
        tour.slug = self.slug.data or tour.slug or unique_slug(tour.name)


def section_url(endpoint: str, tour: Tour) -> str | None:
    """A link to another feature's page of the tour, when that feature is installed."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, slug=tour.slug)
    return None


def tour_or_404(slug: str) -> Tour:
    return db.first_or_404(select(Tour).filter_by(slug=slug))


def _save(form: TourForm, tour: Tour) -> bool:
    """Write the form to ``tour``; False (with the reason on the slug field) if it clashes."""
    db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale read snapshot
    form.apply_to(tour)
    db.session.add(tour)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors.append("Another tour took this short name a moment ago; pick another.")
        return False
    return True


@bp.route("/tours/new", methods=["GET", "POST"])
@login_required
def tour_new():
    form = TourForm()
    if form.validate_on_submit() and _save(form, tour := Tour()):
        flash(f"Tour “{tour.name}” created. Next, add its speakers.")
        return redirect(url_for("coordinator.tour_detail", slug=tour.slug))
    return render_template("coordinator/tour_form.html", form=form, tour=None)


@bp.route("/tours/<slug>/edit", methods=["GET", "POST"])
@login_required
def tour_edit(slug: str):
    tour = tour_or_404(slug)
    form = TourForm(obj=tour, tour=tour)
    if not form.is_submitted():
        form.show_zone(tour.timezone)
    elif form.validate() and _save(form, tour):
        flash("Tour saved.")
        return redirect(url_for("coordinator.tour_detail", slug=tour.slug))
    return render_template("coordinator/tour_form.html", form=form, tour=tour)


def request_counts(tour: Tour) -> dict[str, int]:
    counts = dict(
        db.session.execute(
            select(Request.state, func.count(Request.id))
            .where(Request.tour_id == tour.id)
            .group_by(Request.state)
        ).all()
    )
    return {state: counts.get(state, 0) for state in RequestState.ALL}


@bp.get("/tours/<slug>")
@login_required
def tour_detail(slug: str):
    tour = tour_or_404(slug)
    speakers = db.session.scalar(select(func.count(Speaker.id)).where(Speaker.tour_id == tour.id))
    version = db.session.execute(
        select(ScheduleVersion)
        .where(ScheduleVersion.tour_id == tour.id)
        .order_by(ScheduleVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()
    return render_template(
        "coordinator/tour_detail.html",
        tour=tour,
        requests=request_counts(tour),
        speaker_count=speakers,
        run=active_run(tour) or latest_run(tour),
        version=version,
        requests_url=section_url("coordinator.requests", tour),
        review_url=section_url("coordinator.review", tour),
    )

"""The coordinators' forms: every field, its limits and its messages, in one place."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from scheduler import gazetteer
from scheduler.extensions import db
from scheduler.models import (
    NEW_TOUR_MAX_KM_PER_WEEK,
    Speaker,
    Tour,
    TourState,
)
from scheduler.services import reminders
from scheduler.services.speakers import sync_unavailability
from scheduler.solver.instance import DEFAULT_RULES
from scheduler.solver.limits import EARLIEST_DATE, LATEST_DATE, MAX_TOUR_DAYS
from scheduler.solving.runs import (
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
)
from scheduler.speakers.forms import ConsentForm
from scheduler.text import LINES_PATTERN, ONE_LINE_PATTERN, has_control_characters
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
ONE_LINE = Regexp(ONE_LINE_PATTERN, message="Use one line, without control characters.")


LINES = Regexp(LINES_PATTERN, message="Remove the control characters.")


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"  # \Z: "$" would let a final newline through




TOUR_RULES = (
    "max_km_per_day",
    "max_events_per_day",
    "max_events_per_week",
    "max_consecutive_days",
    "same_day_km",
    "same_day_speed_kmh",
    "turnaround_minutes",
    "travel_from_home",
    "max_km_per_week",
)


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
        default=DEFAULT_RULES["max_km_per_day"],
    )
    max_events_per_day = IntegerField(
        "Most events per day",
        validators=[InputRequired(), NumberRange(min=1, max=10)],
        default=DEFAULT_RULES["max_events_per_day"],
    )
    max_events_per_week = IntegerField(
        "Most events per week",
        validators=[InputRequired(), NumberRange(min=1, max=70)],
        default=DEFAULT_RULES["max_events_per_week"],
    )
    max_consecutive_days = IntegerField(
        "Most working days in a row",
        validators=[InputRequired(), NumberRange(min=1, max=366)],
        default=DEFAULT_RULES["max_consecutive_days"],
    )
    same_day_km = FloatField(
        "Most km between two talks on one day",
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
        default=DEFAULT_RULES["same_day_km"],
    )
    same_day_speed_kmh = FloatField(
        "Driving speed between talks on one day (km/h)",
        validators=[InputRequired(), NumberRange(min=1, max=200)],
        default=DEFAULT_RULES["same_day_speed_kmh"],
    )
    turnaround_minutes = IntegerField(
        "Minutes between two talks, besides the drive",
        validators=[InputRequired(), NumberRange(min=0, max=24 * 60)],
        default=DEFAULT_RULES["turnaround_minutes"],
    )
    travel_from_home = BooleanField(
        "Speakers start from home and are back home at the end",
        default=DEFAULT_RULES["travel_from_home"],
    )
    max_km_per_week = FloatField(
        "Most km of driving per week",
        validators=[Optional(), NumberRange(min=1, max=20000)],
        default=NEW_TOUR_MAX_KM_PER_WEEK,
    )
    request_deadline = DateField("Requests close after", validators=[Optional()])
    name_shown_days_before = IntegerField(
        "Show speakers' names to chapters from (days before the event)",
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_TOUR_DAYS, message="Give a number of days from 0 to 366."),
        ],
    )
    state = SelectField("State", choices=EDITABLE_STATES, default=TourState.DRAFT)

    def __init__(self, *args, tour: Tour | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tour = tour

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for day in (self.start, self.end):
            if day.data and not EARLIEST_DATE <= day.data <= LATEST_DATE:
                day.errors.append(
                    f"Give a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."
                )
                valid = False
        if not valid:
            return False
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
            *TOUR_RULES,
            "request_deadline",
            "name_shown_days_before",
            "state",
        ):
            setattr(tour, name, getattr(self, name).data)
        tour.name = tour.name.strip()
        tour.timezone = self.timezone()
        tour.slug = self.slug.data or tour.slug or unique_slug(tour.name)


LANGUAGES = [SelectChoice("en", "English"), SelectChoice("ko", "Korean")]


LOCALES = [SelectChoice("en", "English"), SelectChoice("ko", "한국어 (Korean)")]


MAX_NOTE = 500


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def parse_unavailable(text: str) -> tuple[dict[date, str], list[str]]:
    """Lines of "YYYY-MM-DD optional note" to {date: note}, and one error per bad line."""
    days: dict[date, str] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        first, _, note = line.strip().partition(" ")
        try:
            day = date.fromisoformat(first) if ISO_DATE.match(first) else None
        except ValueError:
            day = None
        if day is None:
            errors.append(f'Line {number}: "{first}" is not a date (YYYY-MM-DD).')
        elif len(note.strip()) > MAX_NOTE:
            errors.append(f"Line {number}: keep the note under {MAX_NOTE} characters.")
        elif has_control_characters(note):
            errors.append(f"Line {number}: remove the control characters from the note.")
        else:
            days[day] = note.strip() or days.get(day, "")
    return days, errors


NO_CAP_CHOICES = [
    SelectChoice("max_events_per_week", "talks a week"),
    SelectChoice("max_consecutive_days", "days in a row"),
    SelectChoice("max_km_per_week", "km of driving a week"),
]


class SpeakerForm(ConsentForm):
    """The consent fields come from the speaker's own form, so both set the same rules."""

    display_name = StringField(
        "Display name (public)", validators=[DataRequired(), Length(max=100), ONE_LINE]
    )
    full_name = StringField("Full name (private)", validators=[Length(max=200), ONE_LINE])
    home_city = StringField("Home city (private)", validators=[Length(max=200), ONE_LINE])
    home_lat = FloatField("Home latitude", validators=[Optional(), NumberRange(min=-90, max=90)])
    home_lon = FloatField("Home longitude", validators=[Optional(), NumberRange(min=-180, max=180)])
    languages = CheckboxesField("Languages", choices=LANGUAGES, default=["en"])
    unavailable = TextAreaField("Unavailable dates")
    max_events = IntegerField(
        "Most events in the tour", validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    max_events_per_week = IntegerField(
        "Most talks a week", validators=[Optional(), NumberRange(min=1, max=70)]
    )
    max_consecutive_days = IntegerField(
        "Most days in a row", validators=[Optional(), NumberRange(min=1, max=366)]
    )
    max_km_per_week = FloatField(
        "Most km of driving a week", validators=[Optional(), NumberRange(min=1, max=20000)]
    )
    uncapped = CheckboxesField("No cap of their own on", choices=NO_CAP_CHOICES, default=[])
    contact_email = EmailField("Email (private)", validators=[Optional(), Email(), Length(max=254)])
    contact_phone = StringField("Phone (private)", validators=[Length(max=50), ONE_LINE])
    locale = SelectField("Language of the speaker's page and emails", choices=LOCALES)
    emergency_contact = TextAreaField(
        "Emergency contact (coordinators only)", validators=[Length(max=500), LINES]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.languages.data:
            self.languages.errors.append("Tick at least one language.")
            valid = False
        self.unavailable_days, errors = parse_unavailable(self.unavailable.data or "")
        if errors:
            self.unavailable.errors.extend(errors)
            valid = False
        for key in self.uncapped.data or []:
            if getattr(self, key).data is not None:
                getattr(self, key).errors.append("Give a number or tick “no cap”, not both.")
                valid = False
        return self._home_ok() and valid

    def _home_ok(self) -> bool:
        """Coordinates as typed, else looked up from the city in the offline gazetteer."""
        lat, lon = self.home_lat.data, self.home_lon.data
        if self.home_lat.errors or self.home_lon.errors:
            return False
        if (lat is None) != (lon is None):
            missing = self.home_lon if lon is None else self.home_lat
            missing.errors.append("Give both latitude and longitude, or neither.")
            return False
        if lat is not None:
            return True
        city = gazetteer.lookup(self.home_city.data or "")
        if city is None:
            self.home_city.errors.append(
                "City not found. Write it as “City, State” (e.g. Los Angeles, California), "
                "or give its latitude and longitude below."
            )
            return False
        self.home_city.data = city.label
        self.home_lat.data, self.home_lon.data = city.lat, city.lon
        return True

    def apply_to(self, speaker: Speaker) -> None:
        for name in (
            "display_name",
            "full_name",
            "home_city",
            "home_lat",
            "home_lon",
            "languages",
            "max_events",
            "max_events_per_week",
            "max_consecutive_days",
            "max_km_per_week",
            "uncapped",
            "contact_email",
            "contact_phone",
            "locale",
            "emergency_contact",
        ):
            value = getattr(self, name).data
            setattr(speaker, name, value.strip() if isinstance(value, str) else value)
        speaker.contact_email = (speaker.contact_email or "").lower()
        self.apply_consent(speaker)
        sync_unavailability(speaker, self.unavailable_days)


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[
            DataRequired(),
            Length(max=254),
            # PostgreSQL cannot even compare text holding NUL; no address has control characters.
            Regexp(ONE_LINE_PATTERN, message="Remove the control characters."),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class PlaceForm(FlaskForm):
    """Move a placed event, or assign an unserved request: an offered date and a speaker."""

    day = SelectField("Date", validators=[InputRequired()])
    speaker = SelectField("Speaker", coerce=int, validators=[InputRequired()])


class ActionForm(FlaskForm):
    """No fields: unassign, pin and undo buttons only need the CSRF token."""


class PublishForm(FlaskForm):
    """The confirmation of a publish preview: the draft it showed, by fingerprint."""

    fingerprint = HiddenField(validators=[InputRequired()])


class SolveForm(FlaskForm):
    time_limit = FloatField(
        "Time limit (seconds)",
        validators=[
            InputRequired("Give a time limit in seconds."),
            NumberRange(
                min=MIN_TIME_LIMIT,
                max=MAX_TIME_LIMIT,
                message=f"Give a time limit between {MIN_TIME_LIMIT} and {MAX_TIME_LIMIT} seconds.",
            ),
        ],
    )


class CancelForm(FlaskForm):
    """Only the CSRF token: cancelling is a POST so it works without JavaScript."""


class RotateTokenForm(FlaskForm):
    """No fields: the form exists for its CSRF token."""


class ReminderDaysForm(FlaskForm):
    """The days before an event on which a chapter with an unfinished advance is reminded."""

    days = StringField(
        "Remind chapters with an unfinished advance this many days before the event",
        validators=[InputRequired("Give one or more numbers of days, like 14, 5."), Length(max=50)],
    )

    def validate_days(self, field):
        try:
            reminders.parse_days(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class RescueCostForm(FlaskForm):
    cost = IntegerField(
        "What one rescue costs (USD)",
        validators=[
            InputRequired("Give the cost of one rescue in whole US dollars."),
            NumberRange(1, 1_000_000, "Give a whole number of US dollars from 1 to 1,000,000."),
        ],
    )

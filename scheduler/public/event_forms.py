"""The chapter's forms after the date is set: the advance and the event report.

Same rules as the request form: every limit is stated (``maxlength`` and the hint), the server
checks each field and puts the message beside it, and what was typed is kept. Text is stored
exactly as typed; the pages escape it. The coordinators' report form is this one too.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    RadioField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from scheduler.services import advance as advance_service
from scheduler.services import event_reports
from scheduler.text import has_control_characters

PHONE = re.compile(r"^\+?[0-9 ().\-]*$")


def _limited(name: str):
    """The service's length limit, and one line or several without control characters."""
    limit = advance_service.LIMITS.get(name) or event_reports.NOTE_LIMIT
    lines = name in advance_service.MULTILINE or name == "note"

    def check(form, field):
        value = field.data or ""
        if len(value) > limit:
            raise ValidationError(f"Use at most {limit:,} characters (this has {len(value):,}).")
        if has_control_characters(value, lines=lines):
            raise ValidationError(
                "Remove the control characters." if lines
                else "Use a single line, without line breaks or control characters."
            )

    return check


def _text(label: str, name: str, field=StringField, *validators, **kwargs):
    limit = advance_service.LIMITS.get(name) or event_reports.NOTE_LIMIT
    return field(
        label, validators=[_limited(name), *validators], render_kw={"maxlength": limit}, **kwargs
    )


def _choices(options: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in options.items()]


def _phone(form, field):
    value = (field.data or "").strip()
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 7):
        raise ValidationError("Enter a phone number of digits, like +1 555 123 4567.")


def _count(label: str, ceiling: int, *validators):
    def within(form, field):
        if field.data is not None and not 0 <= field.data <= ceiling:
            raise ValidationError(f"Enter a whole number from 0 to {ceiling:,}.")

    return IntegerField(
        label, validators=[*validators, within],
        render_kw={"min": 0, "max": ceiling, "inputmode": "numeric"},
    )


class DollarsField(DecimalField):
    """US dollars and cents; what is not an amount gets a message saying what is."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter an amount in US dollars, like 1250.50.") from None


class AdvanceForm(FlaskForm):
    """Everything optional here: a draft saves whatever is in; completeness is the service's."""

    host_name = _text("Host on the day: name", "host_name")
    host_phone = _text("Host's mobile number", "host_phone", TelField, _phone)
    building = _text("Building", "building")
    room = _text("Room", "room")
    arrival_time = TimeField("Speaker's arrival time (venue time)", validators=[Optional()])
    setup_time = TimeField("Set-up time (venue time)", validators=[Optional()])
    projector = BooleanField("Projector and screen")
    microphone = BooleanField("Microphone")
    captions = BooleanField("Live captions")
    parking = _text("Parking and unloading", "parking", TextAreaField)
    accessibility = _text("Accessibility (step-free route, lift, seating)", "accessibility",
                          TextAreaField)
    interpreter = RadioField(
        "Do you provide a Korean-English interpreter?",
        choices=_choices(advance_service.INTERPRETER), validators=[Optional()],
    )
    lodging = RadioField(
        "Lodging for the speaker", choices=_choices(advance_service.LODGING),
        validators=[Optional()],
    )
    meals = _text("Meals (what, when, dietary needs you know of)", "meals", TextAreaField)
    expected_audience = _count("Expected audience (people)", event_reports.MAX_ATTENDANCE,
                               Optional())
    consent_acknowledged = BooleanField(
        "We have read the speaker's rules above and will tell everyone at the event"
    )

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in advance_service.FIELDS}
        for name in ("interpreter", "lodging"):
            values[name] = values[name] or ""
        for name in advance_service.LIMITS:
            values[name] = values[name] or ""
        return values

    def fill(self, values: dict) -> None:
        for name, value in values.items():
            getattr(self, name).data = value


class ReportForm(FlaskForm):
    outcome = RadioField(
        "What happened", choices=_choices(event_reports.OUTCOMES),
        validators=[InputRequired("Choose what happened.")],
    )
    attendance = _count("Attendance (people)", event_reports.MAX_ATTENDANCE,
                        InputRequired("Enter how many people came (0 if none)."))
    funds = DollarsField(
        "Funds raised (USD)", places=2,
        validators=[InputRequired("Enter the funds raised in US dollars (0 if none).")],
        render_kw={"min": 0, "step": "0.01", "inputmode": "decimal"},
    )
    signups = _count("Sign-ups (people who left their contact)", event_reports.MAX_ATTENDANCE,
                     InputRequired("Enter how many signed up (0 if none)."))
    note = _text("A short note (optional)", "note", TextAreaField)

    def validate_funds(self, field):
        if field.data is not None and not (
            field.data.is_finite() and 0 <= field.data <= event_reports.MAX_FUNDS_USD
        ):
            raise ValidationError(
                f"Enter an amount from 0 to {event_reports.MAX_FUNDS_USD:,} US dollars."
            )

    def values(self) -> dict:
        return {
            "outcome": self.outcome.data,
            "attendance": self.attendance.data,
            "funds_cents": event_reports.cents(self.funds.data),
            "signups": self.signups.data,
            "note": self.note.data or "",
        }

    def fill(self, values: dict) -> None:
        if not values:
            return
        self.outcome.data = values["outcome"]
        self.attendance.data = values["attendance"]
        self.funds.data = event_reports.dollars(values["funds_cents"])
        self.signups.data = values["signups"]
        self.note.data = values["note"]

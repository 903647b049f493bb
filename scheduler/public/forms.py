"""The chapter's request form: shapes and syntax only; the rules live in services.requests.

The form turns what was typed into a ``RequestDraft`` and shows the service's messages beside the
fields they concern. It always has five choice rows; empty rows are ignored, and the page shows
only as many as are in use plus those the chapter adds ("add another choice").
"""

from __future__ import annotations

import re
from datetime import time

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from scheduler.services.consent import listed_name
from scheduler.services.requests import (
    ALL_WEEKDAYS,
    LANGUAGES,
    LIMITS,
    MAX_CHOICES,
    ChoiceDraft,
    ChoiceKind,
    RequestDraft,
)

WEEKDAY_CHOICES = [
    SelectChoice(str(n), name)
    for n, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), start=1)
]
DATE_KEY = re.compile(r"(?P<field>\w+)-(?P<row>\d+)-(first_date|last_date)")
KIND_CHOICES = [
    SelectChoice(ChoiceKind.DATE, "Only this date"),
    SelectChoice(ChoiceKind.WEEK, "Any ticked day of that week (Mon–Sun)"),
    SelectChoice(ChoiceKind.RANGE, "Any ticked day from this date to the last date"),
]


class MultiCheckboxField(SelectMultipleField):
    """Several options as a list of checkboxes, which work without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label: str, name: str, field=StringField, *validators, required=False, **kwargs):
    """A text field that states its limit (``maxlength``); the service enforces it."""
    render_kw = kwargs.setdefault("render_kw", {})
    render_kw["maxlength"] = LIMITS[name]
    if required:
        render_kw["required"] = True
    return field(label, validators=list(validators), **kwargs)


def _within(low: int, high: int, message: str):
    """NumberRange for integers of any size (WTForms' own overflows turning a huge one to float)."""

    def check(form, field):
        if field.data is not None and not low <= field.data <= high:
            raise StopValidation(message)

    return check


class ChoiceForm(Form):
    """One ranked choice. CSRF belongs to the outer form only."""

    first_date = DateField("Date", validators=[Optional()])
    kind = SelectField("How flexible", choices=KIND_CHOICES, default=ChoiceKind.DATE)
    last_date = DateField("Last date (for a range)", validators=[Optional()])
    weekdays = MultiCheckboxField(
        "Days that work", choices=WEEKDAY_CHOICES, default=list(ALL_WEEKDAYS)
    )

    def is_blank(self) -> bool:
        return not any(
            (field.raw_data or [""])[0].strip() for field in (self.first_date, self.last_date)
        )

    def validate(self, extra_validators=None) -> bool:
        """A row with only a last date lacks its first one."""
        valid = super().validate(extra_validators)
        if not self.is_blank() and self.first_date.data is None and not self.first_date.errors:
            self.first_date.errors.append("Give the date (or the first date of the range).")
            valid = False
        return valid

    def draft(self) -> ChoiceDraft:
        return ChoiceDraft(
            kind=self.kind.data,
            first_date=self.first_date.data,
            last_date=self.last_date.data,
            weekdays="".join(sorted(set(self.weekdays.data or []))),
        )


class LostLinkForm(FlaskForm):
    """The address a chapter sent its request with, to mail its private link there again."""

    contact_email = EmailField(
        "Your email address",
        validators=[Email("Enter an email address like name@school.edu.")],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"maxlength": LIMITS["contact_email"], "required": True, "autocomplete": "email"},
    )

    class Meta:
        csrf = False  # CSRFProtect checks every POST already, as for RequestForm


class RequestForm(FlaskForm):
    chapter_name = _text("Chapter name", "chapter_name", required=True)
    school = _text("School or university", "school")
    contact_name = _text("Your name", "contact_name", required=True)
    contact_email = _text(
        "Email", "contact_email", EmailField,
        Email("Enter an email address like name@school.edu."), required=True,
    )
    contact_phone = _text("Phone (optional)", "contact_phone", TelField)
    venue_name = _text("Venue name", "venue_name", required=True)
    venue_address = _text("Street address", "venue_address")
    city = _text("City", "city", required=True,
                 render_kw={"list": "city-suggestions", "autocomplete": "off"})
    lat = FloatField("Latitude (optional)", validators=[Optional()])
    lon = FloatField("Longitude (optional)", validators=[Optional()])
    start_time = TimeField("Start time", default=time(19, 0))
    duration_minutes = IntegerField(
        "Duration (minutes)", default=90,
        validators=[_within(15, 480, "Between 15 and 480 minutes.")],
    )
    expected_audience = IntegerField(
        "Expected audience (optional)",
        validators=[Optional(), _within(1, 100_000, "Between 1 and 100,000 people.")],
    )
    language = SelectField(
        "Language of the talk",
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )
    preferred_speakers = MultiCheckboxField("Preferred speakers (optional)", coerce=int)
    notes = _text("Notes for the coordinators (optional)", "notes", TextAreaField)
    choices = FieldList(FormField(ChoiceForm), min_entries=MAX_CHOICES, max_entries=MAX_CHOICES)
    # How many choice rows the page showed: only steers the page, so a bad value means one row.
    shown_choices = HiddenField(default="1")
    add_choice = SubmitField("Add another choice")
    submit = SubmitField("Send request")

    class Meta:
        # CSRFProtect guards every POST of the app already; the template sends its token. A
        # second check here would only add a second, differently worded refusal.
        csrf = False

    def __init__(self, speakers, formdata=None, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self._posted = formdata
        self.preferred_speakers.choices = [
            SelectChoice(s.id, name) for s in speakers if (name := listed_name(s)) is not None
        ]
        self.choice_errors: list[str] = []

    def validate(self, extra_validators=None) -> bool:
        """Field checks, forgiving blank choice rows, plus the count of rows actually filled."""
        super().validate(extra_validators)
        for entry in self.choices:
            if entry.form.is_blank():
                for field in entry.form:
                    field.errors = []
        if self._filled_rows_posted() > MAX_CHOICES:
            self.choice_errors.append(f"Give at most {MAX_CHOICES} choices.")
        return not self.has_errors()

    def _filled_rows_posted(self) -> int:
        """Rows in the raw POST, since FieldList silently drops those past ``max_entries``."""
        rows = set()
        if self._posted is None:
            return 0
        for key, value in self._posted.items(multi=True):
            match = DATE_KEY.fullmatch(key)
            if match and match["field"] == self.choices.name and value.strip():
                rows.add(match["row"])
        return len(rows)

    def visible_choices(self) -> int:
        """Rows to show: those shown before, filled or marked, one more if the chapter added one."""
        used = [
            row
            for row, entry in enumerate(self.choices, start=1)
            if entry.form.first_date.data is not None
            or not entry.form.is_blank()
            or any(field.errors for field in entry.form)
        ]
        shown_text = (self.shown_choices.data or "").strip()
        shown = int(shown_text) if shown_text.isdecimal() and len(shown_text) < 3 else 1
        count = max([1, shown, *used]) + (1 if self.add_choice.data else 0)
        return min(count, MAX_CHOICES)

    def problem_links(self) -> list[tuple[str, str, str]]:
        """Every message beside a field as (field id, what the field is, message), in page order:
        the error summary lists and links them."""
        links = []
        for field in self:
            if field.name == self.choices.name:
                links += [("choices-errors", "Dates", error) for error in self.choice_errors]
                for row, entry in enumerate(self.choices, start=1):
                    links += [
                        (sub.id, f"Choice {row}, {sub.label.text}", error)
                        for sub in entry.form
                        for error in sub.errors
                    ]
            else:
                links += [(field.id, field.label.text, error) for error in field.errors]
        return links

    def has_errors(self) -> bool:
        top = any(field.errors for field in self if field.name != self.choices.name)
        rows = any(field.errors for entry in self.choices for field in entry.form)
        return bool(top or rows or self.choice_errors)

    def filled_rows(self) -> list[ChoiceForm]:
        return [entry.form for entry in self.choices if not entry.form.is_blank()]

    def draft(self) -> RequestDraft:
        """What was typed, as the service reads it (``None`` where a value could not be read)."""
        return RequestDraft(
            chapter_name=self.chapter_name.data or "",
            school=self.school.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            venue_name=self.venue_name.data or "",
            venue_address=self.venue_address.data or "",
            city=self.city.data or "",
            lat=self.lat.data,
            lon=self.lon.data,
            start_time=self.start_time.data,
            duration_minutes=self.duration_minutes.data,
            expected_audience=self.expected_audience.data,
            language=self.language.data,
            preferred_speaker_ids=list(self.preferred_speakers.data or []),
            notes=self.notes.data or "",
            choices=[row.draft() for row in self.filled_rows()],
        )

    def show_problems(self, errors: dict[str, list[str]]) -> list[str]:
        """Put the service's messages beside their fields; returns those that belong to none.

        A field that already shows a message keeps only that one, so a value that could not be
        read is not also reported as missing.
        """
        rows = self.filled_rows()
        general = []
        for key, messages in errors.items():
            parts = key.split(".")
            field = None
            if parts[0] == "choices" and len(parts) == 3:
                field = getattr(rows[int(parts[1])], parts[2], None)
            elif parts[0] == "choices":
                self.choice_errors.extend(messages)
                continue
            elif parts[0] != "tour":
                field = getattr(self, parts[0], None)
            if field is None:
                general.extend(messages)
            elif not field.errors:
                field.errors = list(messages)
        return general

    def fill(self, draft: RequestDraft) -> None:
        """Prefill from a stored request (the edit form)."""
        for name in ("chapter_name", "school", "contact_name", "contact_email", "contact_phone",
                     "venue_name", "venue_address", "city", "lat", "lon", "start_time",
                     "duration_minutes", "expected_audience", "language", "notes"):
            getattr(self, name).data = getattr(draft, name)
        self.preferred_speakers.data = list(draft.preferred_speaker_ids)
        for entry, choice in zip(self.choices, draft.choices, strict=False):
            entry.form.first_date.data = choice.first_date
            entry.form.kind.data = choice.kind
            entry.form.last_date.data = choice.last_date
            entry.form.weekdays.data = list(choice.weekdays)

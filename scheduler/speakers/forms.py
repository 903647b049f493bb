"""The speaker's forms. Labels and messages are lazy so they render in the speaker's language."""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError

from scheduler.speakers.access import LANGUAGE_NAMES


class DayField(DateField):
    """A blank entry is "missing" (one message from InputRequired), not "malformed"."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def one_line(form, field) -> None:
    """The coordinator's speaker form lists marks one per line, so a note holding a line break
    would split there into a made-up mark (or a line the coordinator cannot save)."""
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in field.data or ""):
        raise ValidationError(_l("Keep the note to one line, without control characters."))


class UnavailableForm(FlaskForm):
    """Whether the date fits the tour is checked by ``availability.check_day``, which knows it."""

    day = DayField(
        _l("Date you cannot do"),
        validators=[InputRequired(message=_l("Choose a date."))],
        invalid_value_message=_l("Enter the date as year-month-day, for example 2027-03-14."),
    )
    note = StringField(
        _l("Note for your coordinator (optional)"),
        validators=[
            Length(max=500, message=_l("Keep the note under 500 characters.")),
            one_line,
        ],
    )


class RemoveForm(FlaskForm):
    """A button per mark; CSRF is its only field."""


class LanguageForm(FlaskForm):
    """Each language is a submit button named ``locale``; SelectField refuses any other value."""

    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
    )
    page = HiddenField(validators=[AnyOf(("itinerary", "availability"))])

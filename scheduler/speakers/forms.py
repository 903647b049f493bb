"""The speaker's forms. Labels and messages are lazy so they render in the speaker's language."""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError

from scheduler.models import CheckInKind, PhotoConsent, PublicNaming, Speaker
from scheduler.services.consent import CONSENT_FIELDS
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
    page = HiddenField(validators=[AnyOf(("itinerary", "availability", "consent"))])


def yes_or_no(value) -> bool:
    """A yes/no choice as posted ("True"/"False") or as stored (a bool)."""
    return value in (True, "True")


class ConsentForm(FlaskForm):
    """How the speaker may be photographed, recorded, streamed and named. The speaker fills it
    on their page; the coordinators' speaker form carries the same fields."""

    photo_consent = RadioField(
        _l("Photos"),
        choices=[
            SelectChoice(PhotoConsent.YES, _l("Photos are welcome")),
            SelectChoice(PhotoConsent.NO_FACES, _l("Photos without my face only")),
            SelectChoice(PhotoConsent.NONE, _l("No photos of me")),
        ],
        default=PhotoConsent.NONE,
    )
    recording_consent = RadioField(
        _l("Audio or video recording of the talk"),
        choices=[
            SelectChoice(False, _l("No recording")),
            SelectChoice(True, _l("Recording is allowed")),
        ],
        coerce=yes_or_no,
        default=False,
    )
    livestream_consent = RadioField(
        _l("Livestreaming the talk"),
        choices=[
            SelectChoice(False, _l("No livestream")),
            SelectChoice(True, _l("Livestreaming is allowed")),
        ],
        coerce=yes_or_no,
        default=False,
    )
    public_naming = RadioField(
        _l("How chapters and audiences name me"),
        choices=[
            SelectChoice(PublicNaming.DISPLAY_NAME, _l("My display name")),
            SelectChoice(PublicNaming.FIRST_NAME, _l("My first name only")),
            SelectChoice(PublicNaming.PSEUDONYM, _l("A pseudonym")),
        ],
        default=PublicNaming.DISPLAY_NAME,
    )
    first_name = StringField(
        _l("First name (if named by first name only)"),
        validators=[Length(max=100, message=_l("Keep it under 100 characters.")), one_line],
    )
    pseudonym = StringField(
        _l("Pseudonym (if named by a pseudonym)"),
        validators=[Length(max=100, message=_l("Keep it under 100 characters.")), one_line],
    )

    def validate_first_name(self, field) -> None:
        if self.public_naming.data == PublicNaming.FIRST_NAME and not (field.data or "").strip():
            raise ValidationError(_l("Write the first name to use, or choose another naming."))

    def validate_pseudonym(self, field) -> None:
        if self.public_naming.data == PublicNaming.PSEUDONYM and not (field.data or "").strip():
            raise ValidationError(_l("Write the pseudonym to use, or choose another naming."))

    def apply_consent(self, speaker: Speaker) -> None:
        for name in CONSENT_FIELDS:
            value = getattr(self, name).data
            setattr(speaker, name, value.strip() if isinstance(value, str) else value)


class CheckInForm(FlaskForm):
    """One button: "I have arrived" or "I am leaving"."""

    kind = HiddenField(validators=[AnyOf(CheckInKind.ALL)])

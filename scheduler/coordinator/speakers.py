"""A tour's speakers: list, add, edit. Home, full name and contact are private to coordinators."""

from __future__ import annotations

import re
from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from scheduler import gazetteer
from scheduler.coordinator import bp
from scheduler.coordinator.tours import ONE_LINE, tour_or_404
from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, Speaker, SpeakerUnavailability, Tour

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
        elif any(ord(char) < 32 or ord(char) == 127 for char in note):
            errors.append(f"Line {number}: remove the control characters from the note.")
        else:
            days[day] = note.strip() or days.get(day, "")
    return days, errors


def unavailable_text(speaker: Speaker) -> str:
    return "\n".join(
        f"{entry.date.isoformat()} {entry.note}".strip() for entry in speaker.unavailability
    )


class SpeakerForm(FlaskForm):
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
    contact_email = EmailField("Email (private)", validators=[Optional(), Email(), Length(max=254)])
    contact_phone = StringField("Phone (private)", validators=[Length(max=50), ONE_LINE])
    locale = SelectField("Language of the speaker's page and emails", choices=LOCALES)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.languages.data:
            self.languages.errors.append("Tick at least one language.")
            valid = False
        self.unavailable_days, errors = parse_unavailable(self.unavailable.data or "")
        if errors:
            self.unavailable.errors.extend(errors)
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
            "contact_email",
            "contact_phone",
            "locale",
        ):
            value = getattr(self, name).data
            setattr(speaker, name, value.strip() if isinstance(value, str) else value)
        speaker.contact_email = (speaker.contact_email or "").lower()
        _sync_unavailability(speaker, self.unavailable_days)


def _sync_unavailability(speaker: Speaker, days: dict[date, str]) -> None:
    """Keep rows for dates still listed (so who marked them stays), add new ones, drop the rest."""
    for entry in list(speaker.unavailability):
        if entry.date not in days:
            speaker.unavailability.remove(entry)
        elif entry.note != days[entry.date]:
            entry.note = days[entry.date]
    known = {entry.date for entry in speaker.unavailability}
    for day, note in sorted(days.items()):
        if day not in known:
            speaker.unavailability.append(SpeakerUnavailability(date=day, note=note))


def speaker_or_404(tour: Tour, speaker_id: int) -> Speaker:
    return db.first_or_404(select(Speaker).filter_by(id=speaker_id, tour_id=tour.id))


@bp.get("/tours/<slug>/speakers")
@login_required
def speakers(slug: str):
    tour = tour_or_404(slug)
    counts: dict[int, dict[str, int]] = {}
    for speaker_id, state in db.session.execute(
        select(Assignment.speaker_id, Assignment.state).where(
            Assignment.speaker_id.in_([s.id for s in tour.speakers]),
            Assignment.state.in_((AssignmentState.CONFIRMED, AssignmentState.PROPOSED)),
        )
    ):
        per = counts.setdefault(speaker_id, {})
        per[state] = per.get(state, 0) + 1
    return render_template("coordinator/speaker_list.html", tour=tour, counts=counts)


@bp.route("/tours/<slug>/speakers/new", methods=["GET", "POST"])
@login_required
def speaker_new(slug: str):
    tour = tour_or_404(slug)
    form = SpeakerForm()
    if form.validate_on_submit():
        db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale snapshot
        speaker = Speaker(tour=tour)
        form.apply_to(speaker)
        db.session.add(speaker)
        db.session.commit()
        flash(f"Speaker {speaker.display_name} added.")
        return redirect(url_for("coordinator.speakers", slug=tour.slug))
    return render_template("coordinator/speaker_form.html", form=form, tour=tour, speaker=None)


@bp.route("/tours/<slug>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@login_required
def speaker_edit(slug: str, speaker_id: int):
    tour = tour_or_404(slug)
    speaker = speaker_or_404(tour, speaker_id)
    form = SpeakerForm(obj=speaker)
    if not form.is_submitted():
        form.unavailable.data = unavailable_text(speaker)
        city = gazetteer.lookup(speaker.home_city)
        if city is not None and (city.lat, city.lon) == (speaker.home_lat, speaker.home_lon):
            form.home_lat.data = form.home_lon.data = None  # the city gives them
    elif form.validate():
        db.session.commit()  # a fresh transaction: SQLite refuses writes from a stale snapshot
        form.apply_to(speaker)
        db.session.commit()
        flash(f"Speaker {speaker.display_name} saved.")
        return redirect(url_for("coordinator.speakers", slug=tour.slug))
    return render_template("coordinator/speaker_form.html", form=form, tour=tour, speaker=speaker)

"""The speaker's day sheets page: one card per day of talks, readable on a phone and printable."""

from flask import g, render_template
from flask_babel import gettext

from scheduler.services import advance, day_sheets
from scheduler.speakers import bp
from scheduler.speakers.forms import LanguageForm


def tel_href(phone: str) -> str:
    """A tel: link of the number's digits (and a leading +), whatever the spacing typed."""
    digits = "".join(char for char in phone if char.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def drive_time(km: float, speed_kmh: float) -> str:
    """"about 3 h 20 min" in the speaker's language; a short drive is "about 25 min", never
    "about 0 h 25 min"."""
    hours, minutes = divmod(round(day_sheets.hours(km, speed_kmh) * 60), 60)
    if not hours:
        return gettext("about %(minutes)d min", minutes=minutes)
    if not minutes:
        return gettext("about %(hours)d h", hours=hours)
    return gettext("about %(hours)d h %(minutes)d min", hours=hours, minutes=minutes)


@bp.get("/<token>/days")
def day_sheet():
    speaker = g.speaker
    return render_template(
        "speakers/day_sheets.html",
        speaker=speaker,
        sheets=day_sheets.sheets(speaker),
        speed=speaker.tour.same_day_speed_kmh,
        drive_time=drive_time,
        tel_href=tel_href,
        lodging_words={
            "host-housing": gettext("Host housing (a chapter member's home)"),
            "hotel": gettext("A hotel the chapter pays for"),
            "none": gettext("No lodging from the chapter"),
        },
        missing=advance.missing,
        language_form=LanguageForm(formdata=None, locale=g.locale, page="itinerary"),
    )

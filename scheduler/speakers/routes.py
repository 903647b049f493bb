"""The speaker's pages: the itinerary, the dates they cannot do, their consent rules, the day's
check-ins, and their language.

``access`` has already resolved the token to ``g.speaker`` (or answered 404) before any view runs.
"""

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import format_date, gettext

from scheduler.extensions import db
from scheduler.models import Assignment, AssignmentState, CheckInKind
from scheduler.services import check_ins
from scheduler.services import consent as consent_service
from scheduler.services import itinerary as itineraries
from scheduler.speakers import availability, bp
from scheduler.speakers.forms import (
    CheckInForm,
    ConsentForm,
    LanguageForm,
    RemoveForm,
    UnavailableForm,
)
from scheduler.speakers.route_map import route_map

WEEK = 7


def _language_form(page: str) -> LanguageForm:
    return LanguageForm(formdata=None, locale=g.locale, page=page)


@bp.get("/<token>")
def itinerary():
    speaker = g.speaker
    plan = itineraries.confirmed(speaker)
    stops = plan.stops
    today = availability.tour_today(speaker.tour)
    this_week = itineraries.upcoming(stops, today, WEEK)
    return render_template(
        "speakers/itinerary.html",
        speaker=speaker,
        past=[stop for stop in stops if stop.assignment.date < today],
        coming=[stop for stop in stops if stop.assignment.date >= today],
        unavailable=set(speaker.unavailable_dates),
        this_week=this_week,
        next_stop=None if this_week else itineraries.next_after(stops, today),
        km_home=plan.km_home,
        today=today,
        week_end=today + timedelta(days=WEEK - 1),
        route_svg=route_map(speaker, stops),
        language_form=_language_form("itinerary"),
        talks_today=[
            (
                talk,
                check_ins.latest(talk, CheckInKind.ARRIVED),
                check_ins.latest(talk, CheckInKind.LEFT),
            )
            for talk in check_ins.talks_today(speaker)
        ],
    )


@bp.route("/<token>/availability", methods=["GET", "POST"])
def unavailable_dates():
    speaker = g.speaker
    form = UnavailableForm()
    today = availability.tour_today(speaker.tour)
    tour = speaker.tour
    form.day.render_kw = {"min": max(today, tour.start).isoformat(), "max": tour.end.isoformat()}
    if form.validate_on_submit():
        day = form.day.data
        problem = availability.check_day(speaker, day, today)
        if problem is None:
            if availability.mark_unavailable(speaker, day, form.note.data or "") is not None:
                flash(_marked_message(speaker, day), "success")
                return redirect(url_for("speakers.unavailable_dates"))
            problem = availability.already_marked(day)
        form.day.errors.append(problem)
    return render_template(
        "speakers/availability.html",
        speaker=speaker,
        form=form,
        today=today,
        language_form=_language_form("availability"),
    ), (422 if form.errors else 200)


def _marked_message(speaker, day) -> str:
    """Tell the speaker at once when the date breaks one of their confirmed talks."""
    broken = [
        clash
        for clash in availability.clashes_on(speaker, day)
        if clash.assignment.state == AssignmentState.CONFIRMED
    ]
    if broken:
        return gettext(
            "Saved: you cannot do %(day)s. You have a talk that day; your coordinator now sees "
            "this and will contact you about it.",
            day=format_date(day, "full"),
        )
    return gettext(
        "Saved: you cannot do %(day)s. Your coordinator sees it and the next schedule will "
        "avoid it.",
        day=format_date(day, "full"),
    )


@bp.post("/<token>/availability/<int:mark_id>/remove")
def remove_unavailable(mark_id: int):
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    mark = availability.own_mark(g.speaker, mark_id)
    if mark is None:
        abort(404)
    day = mark.date
    availability.remove_mark(mark)
    flash(gettext("Removed: %(day)s is open again.", day=format_date(day, "full")), "success")
    return redirect(url_for("speakers.unavailable_dates"))


@bp.route("/<token>/consent", methods=["GET", "POST"])
def consent():
    """The speaker's own rules for photos, recording, livestreaming and their public name."""
    speaker = g.speaker
    form = ConsentForm(obj=speaker)
    if form.validate_on_submit():
        told_before = consent_service.consent_of(speaker)
        form.apply_consent(speaker)
        db.session.commit()
        consent_service.tell_chapters_of_change(speaker, told_before)
        flash(gettext("Saved. Every host of your talks is told these rules."), "success")
        return redirect(url_for("speakers.consent"))
    return render_template(
        "speakers/consent.html",
        speaker=speaker,
        form=form,
        language_form=_language_form("consent"),
    ), (422 if form.errors else 200)


@bp.post("/<token>/check-in/<int:assignment_id>")
def check_in(assignment_id: int):
    """One tap on the day of the talk: "I have arrived" or "I am leaving"."""
    form = CheckInForm()
    if not form.validate_on_submit():
        abort(400)
    talk = db.session.get(Assignment, assignment_id)
    if talk is None or talk not in check_ins.talks_today(g.speaker):
        abort(404)
    check_ins.record(talk, form.kind.data)
    if form.kind.data == CheckInKind.ARRIVED:
        flash(gettext("Thank you: your coordinator knows you have arrived."), "success")
    else:
        flash(gettext("Thank you: your coordinator knows you are leaving."), "success")
    return redirect(url_for("speakers.itinerary"))


@bp.post("/<token>/language")
def choose_language():
    """Saved on the speaker, so their pages and calendar feed use it from now on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    g.speaker.locale = form.locale.data
    db.session.commit()
    endpoint = {
        "itinerary": "speakers.itinerary",
        "availability": "speakers.unavailable_dates",
        "consent": "speakers.consent",
    }
    return redirect(url_for(endpoint[form.page.data], lang=None))

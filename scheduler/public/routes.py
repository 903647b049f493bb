"""Chapters' pages: open tours, the request form, and the private pages behind a request's token.

Whoever holds a request's token may see and change that one request; nothing here shows other
chapters' data, and of a speaker only the public name (``services.consent.public_name``) and the
rules the speaker set for photos, recording and naming.
"""

import smtplib

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from scheduler import gazetteer
from scheduler.extensions import db
from scheduler.models import AssignmentState, Request, RequestState, Tour, TourState
from scheduler.public import bp, display
from scheduler.public.forms import LostLinkForm, RequestForm
from scheduler.services import chapter_links, consent
from scheduler.services import requests as request_service

TOKEN_ENDPOINTS = {
    "public.request_view",
    "public.request_created",
    "public.edit_request",
    "public.withdraw_request",
    "public.event_notice",
    "public.event_advance",
    "public.event_report",
}
FORM_ENDPOINTS = {"public.new_request", "public.edit_request"}
MAIL_FAILURES = (OSError, smtplib.SMTPException)


@bp.after_request
def keep_tokens_private(response):
    """Token pages are never sent on as a Referer, indexed by search engines or cached."""
    if request.endpoint in TOKEN_ENDPOINTS:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def helpers():
    return {
        "long_date": display.long_date,
        "plain_date": display.plain_date,
        "tour_window": display.window,
        "clock": display.clock,
        "local_time": display.local_time,
        "zone_name": display.zone_name,
        "choice_text": display.choice_text,
        "languages": request_service.LANGUAGES,
        "limits": request_service.LIMITS,
        "speaker_name": consent.public_name_at,
        "preferred_names": _preferred_names,
        "consent_rules": consent.rules_for,
    }


def _preferred_names(chapter_request: Request) -> list[str]:
    return [
        name
        for speaker in chapter_request.preferred_speakers
        if (name := consent.listed_name(speaker)) is not None
    ]


def _find_tour(slug: str) -> Tour | None:
    return db.session.execute(db.select(Tour).filter_by(slug=slug)).scalar_one_or_none()


def _find_request(token: str) -> Request | None:
    if len(token) > 64:
        return None
    return db.session.execute(db.select(Request).filter_by(token=token)).scalar_one_or_none()


def _tour(slug: str) -> Tour:
    """A tour by its slug; a draft too, whose pages say it is not open yet."""
    return _find_tour(slug) or abort(404)


def _request_by_token(token: str) -> Request:
    return _find_request(token) or abort(404)


def _posted():
    return request.form if request.method == "POST" else None


def _render_form(form: RequestForm, tour: Tour, chapter_request=None, general=(), status=200):
    typed = form.city.data or ""
    city = gazetteer.resolve(typed) if not form.city.errors else None
    visible_choices = form.visible_choices()
    for entry in form.choices:
        for date_field in (entry.form.first_date, entry.form.last_date):
            date_field.render_kw = {"min": tour.start.isoformat(), "max": tour.end.isoformat()}
    if form.add_choice.data:
        form.choices[visible_choices - 1].form.first_date.render_kw["autofocus"] = True
    return render_template(
        "public/request_form.html",
        form=form,
        tour=tour,
        chapter_request=chapter_request,
        city=city,
        city_choices=[] if city else gazetteer.named(typed),
        visible_choices=visible_choices,
        general=general,
    ), status


def _closed(tour: Tour, reason: str, chapter_request=None):
    return render_template(
        "public/closed.html", tour=tour, reason=reason, chapter_request=chapter_request
    ), 403


@bp.get("/")
def index():
    tours = db.session.execute(
        db.select(Tour).filter_by(state=TourState.OPEN).order_by(Tour.start)
    ).scalars()
    return render_template(
        "public/index.html",
        tours=[tour for tour in tours if request_service.closed_reason(tour) is None],
    )


@bp.get("/cities")
def city_search():
    """Cities matching what was typed so far, for the request form's suggestions as you type."""
    found = gazetteer.search(request.args.get("q", "")[:100])
    response = jsonify({"cities": [city.label for city in found]})
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/tours/<slug>")
def tour_detail(slug: str):
    tour = _tour(slug)
    return render_template(
        "public/tour.html", tour=tour, reason=request_service.closed_reason(tour)
    )


def _submit(form: RequestForm, tour: Tour, save):
    """Check a posted form, field rules and tour rules together so every message shows at once.

    Returns the saved request (``save(draft)`` on success) or None, and the messages that belong
    to no single field.
    """
    form.validate()
    general = form.show_problems(request_service.problems(tour, form.draft()))
    if form.has_errors() or general:
        return None, general
    try:
        return save(form.draft()), []
    except request_service.RequestRejected as rejected:
        return None, form.show_problems(rejected.errors)


@bp.route("/tours/<slug>/request", methods=["GET", "POST"])
def new_request(slug: str):
    tour = _tour(slug)
    reason = request_service.closed_reason(tour)
    if reason:
        return _closed(tour, reason)
    form = RequestForm(tour.speakers, formdata=_posted())
    if form.add_choice.data:
        return _render_form(form, tour)
    if request.method == "POST":
        saved, general = _submit(form, tour, lambda d: request_service.create(tour, d))
        if saved is not None:
            _mail_new_link(saved)
            return redirect(url_for("public.request_created", token=saved.token), 303)
        return _render_form(form, tour, general=general, status=400)
    return _render_form(form, tour)


def _log_mail_failure(what: str, error: Exception) -> None:
    """The kind of failure only: an SMTP server's reply may quote the message, and so its link."""
    current_app.logger.warning("Could not email %s: %s", what, type(error).__name__)


def _mail_new_link(saved: Request) -> None:
    """The request is saved whatever the mail does; if it cannot leave, the page says so."""
    try:
        chapter_links.send_new_link(saved)
    except MAIL_FAILURES as error:
        _log_mail_failure("a new request's private link", error)
        flash(
            "We could not email your private link just now. Copy it from this page; you can "
            "also ask for it again later.",
            "warning",
        )


@bp.route("/lost-link", methods=["GET", "POST"])
def lost_link():
    """Mail a chapter its private links again, to the address its request gave.

    The answer is the same whether or not the address is known (and whether or not the mail
    could leave), so the form does not tell anyone which chapters have asked for a speaker.
    POSTs are rate-limited (web/limits.py).
    """
    form = LostLinkForm(formdata=_posted())
    if request.method == "POST" and form.validate():
        try:
            chapter_links.resend(form.contact_email.data)
        except MAIL_FAILURES as error:
            # Only a known address tries to send, so saying it failed would name the address
            # as known: the answer stays the same, and the page says to ask again if nothing
            # arrives.
            _log_mail_failure("private links again", error)
        return render_template("public/lost_link.html", form=form, sent=True)
    status = 400 if form.errors else 200
    return render_template("public/lost_link.html", form=form), status


@bp.get("/r/<token>/created")
def request_created(token: str):
    chapter_request = _request_by_token(token)
    return render_template("public/request_created.html", chapter_request=chapter_request)


@bp.get("/r/<token>")
def request_view(token: str):
    chapter_request = _request_by_token(token)
    return render_template(
        "public/request_view.html",
        chapter_request=chapter_request,
        confirmed=chapter_request.assignment_in(AssignmentState.CONFIRMED),
        left_out=request_service.left_out_of_published_schedule(chapter_request),
        can_edit=request_service.can_edit(chapter_request),
        closed_reason=request_service.closed_reason(chapter_request.tour),
    )


@bp.get("/r/<token>/notice")
def event_notice(token: str):
    """One printable page for the venue's door and the organisers: the event, the speaker's
    public name and the speaker's rules for photos, recording and livestreaming."""
    chapter_request = _request_by_token(token)
    confirmed = chapter_request.assignment_in(AssignmentState.CONFIRMED)
    if confirmed is None or chapter_request.state != RequestState.SUBMITTED:
        abort(404)
    return render_template(
        "public/event_notice.html", chapter_request=chapter_request, confirmed=confirmed
    )


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit_request(token: str):
    chapter_request = _request_by_token(token)
    tour = chapter_request.tour
    if not request_service.can_edit(chapter_request):
        reason = request_service.closed_reason(tour) or "This request was withdrawn."
        return _closed(tour, reason, chapter_request)
    form = RequestForm(tour.speakers, formdata=_posted())
    if form.add_choice.data:
        return _render_form(form, tour, chapter_request)
    if request.method == "POST":
        saved, general = _submit(
            form, tour, lambda d: request_service.update(chapter_request, d)
        )
        if saved is not None:
            flash("Your changes are saved.", "success")
            return redirect(url_for("public.request_view", token=token), 303)
        return _render_form(form, tour, chapter_request, general, status=400)
    form.fill(request_service.draft_from(chapter_request))
    return _render_form(form, tour, chapter_request)


@bp.route("/r/<token>/withdraw", methods=["GET", "POST"])
def withdraw_request(token: str):
    """GET asks to confirm; the POST (CSRF-checked by CSRFProtect like every POST) withdraws."""
    chapter_request = _request_by_token(token)
    if request.method == "POST":
        request_service.withdraw(chapter_request)
        flash("Your request is withdrawn.", "success")
        return redirect(url_for("public.request_view", token=token), 303)
    return render_template(
        "public/withdraw.html",
        chapter_request=chapter_request,
        confirmed=chapter_request.assignment_in(AssignmentState.CONFIRMED),
    )


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """An expired or missing form token: show the form again with what was typed, not a bare 400."""
    args = request.view_args or {}
    chapter_request = _find_request(args["token"]) if "token" in args else None
    tour = chapter_request.tour if chapter_request else _find_tour(args.get("slug", ""))
    if request.endpoint not in FORM_ENDPOINTS or tour is None:
        return render_template("public/expired.html"), 400
    form = RequestForm(tour.speakers, formdata=request.form)
    message = "This form had expired, so nothing was saved. Check your answers and send it again."
    return _render_form(form, tour, chapter_request, [message], status=400)

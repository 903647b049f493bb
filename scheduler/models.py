"""Database tables. Business rules live in ``scheduler.services``, not here.

Times are stored as naive UTC datetimes (``utcnow``) so SQLite and PostgreSQL behave alike.
Dates of events are venue-local calendar dates, as in the tour format.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from scheduler.extensions import db
from scheduler.solver.instance import DEFAULT_RULES

# A new tour caps each speaker's weekly driving (a file without the key has no cap): about three
# long days at the wheel, what a touring team says one week can hold.
NEW_TOUR_MAX_KM_PER_WEEK = 2000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    """A secret of 256 bits, URL-safe: the only key to a chapter's request or a speaker's feed."""
    return secrets.token_urlsafe(32)


class TourState:
    """Whether a tour takes requests; publishing a schedule does not change it."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ALL = (DRAFT, OPEN, CLOSED)


class RequestState:
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ALL = (SUBMITTED, WITHDRAWN)


class AssignmentState:
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    # The draft drops this request's confirmed event (a copy of it); publishing cancels it.
    DROPPED = "dropped"
    ALL = (PROPOSED, CONFIRMED, CANCELLED, DROPPED)


class PhotoConsent:
    """What a speaker allows of cameras at their talks."""

    YES = "yes"
    NO_FACES = "no-faces"
    NONE = "none"
    ALL = (YES, NO_FACES, NONE)


class PublicNaming:
    """How a speaker is named to chapters and audiences."""

    DISPLAY_NAME = "display-name"
    FIRST_NAME = "first-name"
    PSEUDONYM = "pseudonym"
    ALL = (DISPLAY_NAME, FIRST_NAME, PSEUDONYM)


class CheckInKind:
    ARRIVED = "arrived"
    LEFT = "left"
    ALL = (ARRIVED, LEFT)


class SolveState:
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ACTIVE = (QUEUED, RUNNING)
    ALL = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)


class CoordinatorUser(UserMixin, db.Model):
    __tablename__ = "coordinator_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Tour(db.Model):
    __tablename__ = "tour"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    max_km_per_day: Mapped[float] = mapped_column(default=DEFAULT_RULES["max_km_per_day"])
    max_events_per_day: Mapped[int] = mapped_column(default=DEFAULT_RULES["max_events_per_day"])
    max_events_per_week: Mapped[int] = mapped_column(default=DEFAULT_RULES["max_events_per_week"])
    max_consecutive_days: Mapped[int] = mapped_column(
        default=DEFAULT_RULES["max_consecutive_days"]
    )
    same_day_km: Mapped[float] = mapped_column(default=DEFAULT_RULES["same_day_km"])
    same_day_speed_kmh: Mapped[float] = mapped_column(default=DEFAULT_RULES["same_day_speed_kmh"])
    turnaround_minutes: Mapped[int] = mapped_column(default=DEFAULT_RULES["turnaround_minutes"])
    travel_from_home: Mapped[bool] = mapped_column(
        Boolean, default=DEFAULT_RULES["travel_from_home"]
    )
    # None: no weekly cap on driving (the format's default; the setup form proposes a cap).
    max_km_per_week: Mapped[float | None]
    request_deadline: Mapped[date | None] = mapped_column(Date)
    # Chapters see the speaker's public name only this many days before the event (None: as
    # soon as the event is published).
    name_shown_days_before: Mapped[int | None]
    # After the date is set (scheduler.services.advance, reminders, achievements): chapters with
    # an unfinished advance are reminded this many days before their event ("14,5"), and what a
    # rescue costs turns funds raised into rescues.
    advance_reminder_days: Mapped[str] = mapped_column(String(50), default="14,5")
    cost_per_rescue_usd: Mapped[int] = mapped_column(default=3000)
    state: Mapped[str] = mapped_column(String(20), default=TourState.DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="Speaker.id"
    )
    requests: Mapped[list[Request]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="Request.id"
    )
    solve_runs: Mapped[list[SolveRun]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="SolveRun.id"
    )
    versions: Mapped[list[ScheduleVersion]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="ScheduleVersion.number"
    )
    last_edit: Mapped[LastEdit | None] = relationship(
        back_populates="tour", cascade="all, delete-orphan"
    )


class Speaker(db.Model):
    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    home_city: Mapped[str] = mapped_column(String(200), default="")
    home_lat: Mapped[float]
    home_lon: Mapped[float]
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"])
    max_events: Mapped[int | None]
    # The speaker's own pace; None: the tour's rule applies, unless the limit's name is in
    # ``uncapped``: then this speaker has no cap of that kind (the format's explicit null).
    max_events_per_week: Mapped[int | None]
    max_consecutive_days: Mapped[int | None]
    max_km_per_week: Mapped[float | None]
    uncapped: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    locale: Mapped[str] = mapped_column(String(5), default="en")
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Consent, told to every host (scheduler.services.consent). The defaults are the strictest.
    photo_consent: Mapped[str] = mapped_column(String(20), default=PhotoConsent.NONE)
    recording_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    livestream_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    public_naming: Mapped[str] = mapped_column(String(20), default=PublicNaming.DISPLAY_NAME)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    pseudonym: Mapped[str] = mapped_column(String(100), default="")
    # Whom coordinators call if the speaker cannot be reached: coordinators only.
    emergency_contact: Mapped[str] = mapped_column(String(500), default="")

    tour: Mapped[Tour] = relationship(back_populates="speakers")
    unavailability: Mapped[list[SpeakerUnavailability]] = relationship(
        back_populates="speaker",
        cascade="all, delete-orphan",
        order_by="SpeakerUnavailability.date",
    )
    assignments: Mapped[list[Assignment]] = relationship(back_populates="speaker")

    __table_args__ = (UniqueConstraint("tour_id", "external_id"),)

    @property
    def format_id(self) -> str:
        """The id this speaker carries in the tour format."""
        return self.external_id or f"sp-{self.id}"

    @property
    def unavailable_dates(self) -> list[date]:
        return [entry.date for entry in self.unavailability]

    def own_limit(self, key: str) -> int | float | None:
        """This speaker's ``max_events_per_week``, ``max_consecutive_days`` or
        ``max_km_per_week``: their own, else the tour's; None: no cap."""
        if key in (self.uncapped or []):
            return None
        own = getattr(self, key)
        return own if own is not None else getattr(self.tour, key)

    @property
    def weekly_km_cap(self) -> float | None:
        """The km of driving a week this speaker may do: their own cap, else the tour's."""
        return self.own_limit("max_km_per_week")


class SpeakerUnavailability(db.Model):
    """A date a speaker cannot do; the note is private to the speaker and coordinators."""

    __tablename__ = "speaker_unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"))
    date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    marked_by: Mapped[str] = mapped_column(String(20), default="coordinator")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    speaker: Mapped[Speaker] = relationship(back_populates="unavailability")

    __table_args__ = (UniqueConstraint("speaker_id", "date"),)


class Chapter(db.Model):
    __tablename__ = "chapter"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    school: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(50), default="")

    requests: Mapped[list[Request]] = relationship(back_populates="chapter")


request_preferred_speaker = Table(
    "request_preferred_speaker",
    db.Model.metadata,
    Column("request_id", ForeignKey("request.id"), primary_key=True),
    Column("speaker_id", ForeignKey("speaker.id"), primary_key=True),
)


class Request(db.Model):
    __tablename__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id"))
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    venue_name: Mapped[str] = mapped_column(String(200))
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float]
    lon: Mapped[float]
    timezone: Mapped[str] = mapped_column(String(64))
    start_time: Mapped[time] = mapped_column(Time, default=time(19, 0))
    duration_minutes: Mapped[int] = mapped_column(default=90)
    expected_audience: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(10), default="en")
    notes: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(20), default=RequestState.SUBMITTED)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    event_uid: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: str(uuid.uuid4())
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    tour: Mapped[Tour] = relationship(back_populates="requests")
    chapter: Mapped[Chapter] = relationship(back_populates="requests")
    choices: Mapped[list[RequestChoice]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestChoice.rank"
    )
    preferred_speakers: Mapped[list[Speaker]] = relationship(secondary=request_preferred_speaker)
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    __table_args__ = (UniqueConstraint("tour_id", "external_id"),)

    @property
    def format_id(self) -> str:
        """The id this request carries in the tour format."""
        return self.external_id or f"rq-{self.id}"

    def assignment_in(self, state: str) -> Assignment | None:
        return next((a for a in self.assignments if a.state == state), None)

    @property
    def offered_dates(self) -> list[tuple[date, int]]:
        """(date, rank) pairs in date order, as the tour format's ``dates``; a date offered by
        two choices keeps its best rank. Dates outside the tour window stay: the format allows
        them, and the solver says why they cannot be served."""
        best: dict[date, int] = {}
        for choice in self.choices:
            for day in choice.dates:
                best[day] = min(best.get(day, choice.rank), choice.rank)
        return sorted(best.items())

    @property
    def dates_in_tour(self) -> list[tuple[date, int]]:
        """The offered dates a speaker can be placed on: those inside the tour window."""
        tour = self.tour
        return [(day, rank) for day, rank in self.offered_dates if tour.start <= day <= tour.end]


class RequestChoice(db.Model):
    """One ranked choice: a single date (first == last) or a flexible range of allowed weekdays."""

    __tablename__ = "request_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    rank: Mapped[int]
    first_date: Mapped[date] = mapped_column(Date)
    last_date: Mapped[date] = mapped_column(Date)
    weekdays: Mapped[str] = mapped_column(String(7), default="1234567")

    request: Mapped[Request] = relationship(back_populates="choices")

    @property
    def dates(self) -> list[date]:
        """Every date of this choice on an allowed ISO weekday (1 = Monday)."""
        first, allowed = self.first_date, self.weekdays
        span = (self.last_date - first).days + 1
        days = (first + timedelta(days=offset) for offset in range(span))
        return [day for day in days if str(day.isoweekday()) in allowed]


class Assignment(db.Model):
    """A speaker at a request on a date. ``sequence`` feeds the iCal SEQUENCE of the event."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speaker.id"))
    date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default=AssignmentState.PROPOSED)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    solve_run_id: Mapped[int | None] = mapped_column(ForeignKey("solve_run.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)

    request: Mapped[Request] = relationship(back_populates="assignments")
    speaker: Mapped[Speaker] = relationship(back_populates="assignments")


class CheckIn(db.Model):
    """The speaker's own "I have arrived" or "I am leaving" at a talk, with the moment (UTC)."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship()


class MissedCheckInAlert(db.Model):
    """Coordinators were emailed that this talk had no check-in an hour before it: once only."""

    __tablename__ = "missed_check_in_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), unique=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SolveRun(db.Model):
    """One background run of the solver on a tour: its live progress and its proposal."""

    __tablename__ = "solve_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id"))
    state: Mapped[str] = mapped_column(String(20), default=SolveState.QUEUED)
    time_limit: Mapped[float] = mapped_column(default=30.0)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    job_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    elapsed: Mapped[float] = mapped_column(default=0.0)
    served_weight: Mapped[int | None]
    bound: Mapped[int | None]
    gap: Mapped[float | None]
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")

    tour: Mapped[Tour] = relationship(back_populates="solve_runs")

    # One queued or running run per tour, enforced by the database even against two
    # simultaneous clicks (see scheduler/solving/runs.py, start).
    __table_args__ = (
        Index(
            "uq_solve_run_active_tour",
            "tour_id",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
    )


class ScheduleVersion(db.Model):
    """A publication: the confirmed assignments at that moment, numbered per tour."""

    __tablename__ = "schedule_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(254), default="")
    assignments: Mapped[list] = mapped_column(JSON, default=list)

    tour: Mapped[Tour] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("tour_id", "number"),)


class LastEdit(db.Model):
    """The last hand edit of a tour's proposal, kept so it can be undone (one level).

    ``before`` and ``after`` are the edited request's draft rows (proposed, dropped, and the
    pin of its confirmed row) as plain dicts; undo restores ``before`` only while the rows
    still are ``after``, so a solve or another edit in between is never overwritten.
    """

    __tablename__ = "last_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tour.id"), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(500))
    before: Mapped[list] = mapped_column(JSON, default=list)
    after: Mapped[list] = mapped_column(JSON, default=list)
    edited_by: Mapped[str] = mapped_column(String(254), default="")
    edited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    tour: Mapped[Tour] = relationship(back_populates="last_edit")
    request: Mapped[Request] = relationship()


class AuditEntry(db.Model):
    """Who changed which request or assignment, when, from what to what."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None]
    tour_id: Mapped[int | None] = mapped_column(ForeignKey("tour.id"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class LodgingKind:
    HOST_HOUSING = "host-housing"
    HOTEL = "hotel"
    NONE = "none"
    ALL = (HOST_HOUSING, HOTEL, NONE)


class EventAdvance(db.Model):
    """What the chapter tells the tour before its confirmed event: host, room, AV, lodging.

    A draft until the required items are in (``scheduler.services.advance.missing``). Text is
    stored exactly as typed; empty strings and None mean "not answered yet".
    """

    __tablename__ = "event_advance"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), unique=True)
    host_name: Mapped[str] = mapped_column(String(200), default="")
    host_phone: Mapped[str] = mapped_column(String(50), default="")
    building: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(100), default="")
    arrival_time: Mapped[time | None] = mapped_column(Time)
    setup_time: Mapped[time | None] = mapped_column(Time)
    projector: Mapped[bool] = mapped_column(Boolean, default=False)
    microphone: Mapped[bool] = mapped_column(Boolean, default=False)
    captions: Mapped[bool] = mapped_column(Boolean, default=False)
    parking: Mapped[str] = mapped_column(Text, default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    # "yes" / "no" once answered; "" until then.
    interpreter: Mapped[str] = mapped_column(String(10), default="")
    lodging: Mapped[str] = mapped_column(String(20), default="")
    meals: Mapped[str] = mapped_column(Text, default="")
    expected_audience: Mapped[int | None]
    consent_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[Request] = relationship()


class EventOutcome:
    HELD = "held"
    CANCELLED = "cancelled"
    NO_SHOW = "speaker-did-not-arrive"
    ALL = (HELD, CANCELLED, NO_SHOW)


class EventReport(db.Model):
    """What happened at an event, from the chapter or a coordinator: the tour's results."""

    __tablename__ = "event_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(30))
    attendance: Mapped[int] = mapped_column(default=0)
    # Whole cents, so sums are exact.
    funds_cents: Mapped[int] = mapped_column(default=0)
    signups: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[Request] = relationship()


class ReminderSent(db.Model):
    """One reminder step of one event was mailed (or is being mailed): never twice."""

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    step: Mapped[str] = mapped_column(String(30))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("request_id", "step"),)

"""What the coordinator's calendar page reads: a month or a week of the draft or the published
schedule, a day per cell, each talk coloured by its speaker.

Review answers "what does each speaker do"; a calendar answers "what happens on which day
across the whole tour", which a coordinator needs when a chapter calls about a date. The two
schedules come from the snapshots publishing already compares (``versions``): the draft is
``proposal_snapshot`` (the rows Review shows, ``proposal.draft``) and the published schedule is
``published_snapshot`` (the confirmed events as chapters' calendars show them now, after any
withdrawal since the last version). No rule about which row stands for a request lives here.

A speaker keeps one colour on every page: their place in the tour's speaker list picks one of
``PALETTE``'s colours, each with a text colour that passes WCAG AA on it. Colour is never the
only cue: the speaker's name is written on every talk.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.models import Tour
from scheduler.services.versions import proposal_snapshot, published_snapshot

DRAFT, PUBLISHED = "draft", "published"
SCHEDULES = {DRAFT: "Draft", PUBLISHED: "Published"}
MONTH, WEEK = "month", "week"
VIEWS = {MONTH: "Month", WEEK: "Week"}
# A start further than this from the tour's dates is a typo, not a wish: it falls back.
REACH = timedelta(days=366)

# (background, text): twelve colours far enough apart to tell speakers apart, each text colour
# at least 4.5:1 on its background (tests/test_calendar_grid.py measures it).
PALETTE = (
    ("#1f5fbf", "#ffffff"),
    ("#b42318", "#ffffff"),
    ("#157347", "#ffffff"),
    ("#6b3fb5", "#ffffff"),
    ("#f2c94c", "#1d2433"),
    ("#0e7490", "#ffffff"),
    ("#be185d", "#ffffff"),
    ("#9ad0f5", "#1d2433"),
    ("#8a4b08", "#ffffff"),
    ("#a7e3b5", "#1d2433"),
    ("#334155", "#ffffff"),
    ("#f7b9a8", "#1d2433"),
)


@dataclass(frozen=True)
class Colour:
    """A speaker's colour on the calendar and in its legend."""

    speaker_id: int
    name: str
    background: str
    text: str

    @property
    def style(self) -> str:
        return f"--speaker-bg: {self.background}; --speaker-ink: {self.text};"


def speaker_colours(tour: Tour) -> dict[int, Colour]:
    """Each speaker's colour: their place in the tour's speaker list (by id, so stable)."""
    return {
        speaker.id: Colour(speaker.id, speaker.display_name, *PALETTE[index % len(PALETTE)])
        for index, speaker in enumerate(tour.speakers)
    }


@dataclass(frozen=True)
class Talk:
    """One event in a day's cell, in the venue's own clock."""

    request_id: int
    speaker_id: int
    speaker: str
    chapter: str
    venue: str
    city: str
    day: date
    start: time
    timezone: str
    colour: Colour

    @property
    def instant(self) -> datetime:
        """When the talk starts, comparable across zones: a day's talks are in this order."""
        return datetime.combine(self.day, self.start, ZoneInfo(self.timezone)).astimezone(UTC)


@dataclass
class Day:
    date: date
    shown: bool  # in the month shown (a month grid pads its first and last week)
    in_tour: bool
    talks: list[Talk] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    """A month (weeks of seven days, Monday first) or one week of one schedule."""

    schedule: str
    view: str
    start: date  # the first of the month, or the week's Monday
    weeks: list[list[Day]]
    previous: date
    next: date
    speaker: int | None
    colours: dict[int, Colour]
    total: int  # talks in the schedule, before the view and the speaker filter

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.shown]

    @property
    def talks(self) -> list[Talk]:
        return [talk for day in self.days for talk in day.talks]

    @property
    def weekdays(self) -> list[date]:
        """The dates of the first row, to name the columns."""
        return [day.date for day in self.weeks[0]]


@dataclass(frozen=True)
class Choice:
    """What the page asks for, after checking: values that mean nothing fall back, with why."""

    schedule: str = DRAFT
    view: str = MONTH
    start: date | None = None
    speaker: int | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, tour: Tour, args) -> Choice:
        problems = []
        schedule = args.get("schedule", DRAFT)
        if schedule not in SCHEDULES:
            problems.append("There is no such schedule; showing the draft.")
            schedule = DRAFT
        view = args.get("view", MONTH)
        if view not in VIEWS:
            problems.append("The calendar shows a month or a week; showing a month.")
            view = MONTH
        start = None
        if args.get("start"):
            try:
                start = date.fromisoformat(args["start"])
            except ValueError:
                problems.append("The start date was not a date (YYYY-MM-DD); showing the tour.")
            else:
                if not tour.start - REACH <= start <= tour.end + REACH:
                    problems.append(
                        "The start date is far from the tour's dates; showing the tour."
                    )
                    start = None
        speaker = args.get("speaker", type=int)
        if speaker is not None and speaker not in {s.id for s in tour.speakers}:
            problems.append("That speaker is not on this tour; showing every speaker.")
            speaker = None
        return cls(schedule, view, start, speaker, tuple(problems))


def talks(tour: Tour, schedule: str, colours: dict[int, Colour] | None = None) -> list[Talk]:
    """Every talk of the draft or of the published schedule, in time order."""
    colours = colours or speaker_colours(tour)
    entries = proposal_snapshot(tour) if schedule == DRAFT else published_snapshot(tour)
    found = [
        Talk(
            request_id=entry["request_id"],
            speaker_id=entry["speaker_id"],
            speaker=entry["speaker"],
            chapter=entry["chapter"],
            venue=entry["venue"],
            city=entry["city"],
            day=date.fromisoformat(entry["date"]),
            start=time.fromisoformat(entry["start_time"]),
            timezone=entry["timezone"],
            colour=colours[entry["speaker_id"]],
        )
        for entry in entries
    ]
    return sorted(found, key=lambda talk: (talk.day, talk.instant, talk.chapter, talk.request_id))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def grid(tour: Tour, choice: Choice) -> Grid:
    """The month or week ``choice`` asks for; without a start, the one holding the schedule's
    first talk (the tour's first day when the schedule is empty)."""
    colours = speaker_colours(tour)
    every = talks(tour, choice.schedule, colours)
    wanted = [t for t in every if choice.speaker is None or t.speaker_id == choice.speaker]
    anchor = choice.start or (wanted[0].day if wanted else tour.start)
    if choice.view == WEEK:
        start = _monday(anchor)
        first, last = start, start + timedelta(days=6)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    else:
        start = _first_of_month(anchor)
        first = start
        last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        previous, following = _add_months(start, -1), _add_months(start, 1)
    by_day: dict[date, list[Talk]] = {}
    for talk in wanted:
        by_day.setdefault(talk.day, []).append(talk)
    weeks, day = [], _monday(first)
    while day <= last:
        week = []
        for _ in range(7):
            week.append(
                Day(day, first <= day <= last, tour.start <= day <= tour.end,
                    by_day.get(day, []) if first <= day <= last else [])
            )
            day += timedelta(days=1)
        weeks.append(week)
    return Grid(
        choice.schedule,
        choice.view,
        start,
        weeks,
        previous,
        following,
        choice.speaker,
        colours,
        len(every),
    )

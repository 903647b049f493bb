"""A second demo tour, under way: past events with their reports and upcoming ones with their
advances (some complete, some not), so a new user sees the advance, report, results, reminder and
day-sheet screens filled. Its chapters are among the main demo's, so the main demo's request list
shows their history beside each priority.

Seeded like the main demo (scheduler/demo.py): the same content every load, dates around today.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from scheduler.demo import DEMO_EMAIL, SPEAKERS, UNIVERSITIES, VENUES, _city, _request, _speakers
from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    EventAdvance,
    EventOutcome,
    EventReport,
    LodgingKind,
    ScheduleVersion,
    Tour,
    TourState,
)
from scheduler.services.versions import published_snapshot
from scheduler.tour_format import unique_slug

IN_PROGRESS_NAME = "Jamadang Tour, autumn (demo, under way)"
SEED = 20261001
EVENTS_PER_SPEAKER = 6
DAYS_BETWEEN_TALKS = 4
# The tour began this many days before today; talks before today are past.
STARTED_DAYS_AGO = 12
HOSTS = ["Grace Yoon", "Daniel Cho", "Mia Lopez", "Sam Patel", "Hannah Kwon", "Eli Brooks"]
MEALS = ["Dinner with the chapter after the talk", "Lunch on campus; vegetarian options",
         "Snacks before the talk, dinner out after"]
NOTES = ["Great Q&A; several students asked how to start a chapter.",
         "Room was full; we ran out of chairs.", "", "Rain kept some people away."]


def _advance(rng: random.Random, request, complete: bool) -> EventAdvance:
    row = EventAdvance(
        request=request,
        host_name=rng.choice(HOSTS),
        host_phone=f"+1 555 01{rng.randrange(10, 99)} {rng.randrange(1000, 9999)}",
        building=request.venue_name,
        room=f"Room {rng.randrange(100, 400)}",
        arrival_time=time(17, 30) if request.start_time >= time(18, 0) else time(11, 0),
        setup_time=time(18, 0) if request.start_time >= time(18, 0) else time(11, 30),
        projector=True,
        microphone=rng.random() < 0.8,
        captions=rng.random() < 0.3,
        parking="Visitor lot next to the building; unload at the side door.",
        accessibility="Step-free entrance and lift.",
        interpreter="yes" if request.language == "ko" else "no",
        lodging=rng.choice(LodgingKind.ALL),
        meals=rng.choice(MEALS),
        expected_audience=request.expected_audience,
        consent_acknowledged=True,
    )
    if not complete:  # a draft: the host is known, the room and lodging are not yet
        row.room, row.lodging, row.consent_acknowledged = "", "", False
    return row


def _report(rng: random.Random, request, cancelled: bool) -> EventReport:
    outcome = EventOutcome.CANCELLED if cancelled else EventOutcome.HELD
    held = not cancelled
    return EventReport(
        request=request,
        outcome=outcome,
        attendance=rng.randrange(30, 260) if held else 0,
        funds_cents=rng.randrange(150, 6000) * 100 if held else rng.randrange(0, 300) * 100,
        signups=rng.randrange(3, 40) if held else 0,
        note=rng.choice(NOTES),
    )


def load_in_progress_demo(today: date | None = None) -> Tour:
    """Create the tour under way, its confirmed events, advances and reports, and commit."""
    rng = random.Random(SEED)
    today = today or date.today()
    start = today - timedelta(days=STARTED_DAYS_AGO)
    tour = Tour(
        name=IN_PROGRESS_NAME,
        slug=unique_slug(IN_PROGRESS_NAME),
        description="A demonstration tour under way: past talks with reports, upcoming talks "
        "with their advances. Every name and email here is invented.",
        start=start,
        end=start + timedelta(weeks=8, days=-1),
        timezone="America/New_York",
        state=TourState.CLOSED,
    )
    speakers = _speakers(tour, rng)
    for speaker in speakers:
        speaker.unavailability = []  # the talks below are the schedule this tour kept
    # Each speaker tours the campuses nearest home, west to east, one talk every few days.
    homes = {entry.display_name: _city(entry.home) for entry in SPEAKERS}
    campuses = list(UNIVERSITIES)
    number = 100
    for order, speaker in enumerate(speakers):
        home = homes[speaker.display_name]
        campuses.sort(key=lambda u, h=home: (_city(f"{u[2]}, {u[3]}").lon - h.lon) ** 2
                      + (_city(f"{u[2]}, {u[3]}").lat - h.lat) ** 2)
        mine, campuses = campuses[:EVENTS_PER_SPEAKER], campuses[EVENTS_PER_SPEAKER:]
        mine.sort(key=lambda u: _city(f"{u[2]}, {u[3]}").lon)
        for index, university in enumerate(mine):
            number += 1
            request = _request(tour, speakers, rng, university, number)
            request.language = "ko" if "ko" in speaker.languages and rng.random() < 0.2 else "en"
            if request.language not in speaker.languages:
                request.language = speaker.languages[0]
            request.venue_name = rng.choice(VENUES)
            day = start + timedelta(days=2 + index * DAYS_BETWEEN_TALKS + order % 2)
            request.choices[0].first_date = request.choices[0].last_date = day
            del request.choices[1:]
            request.choices[0].weekdays = "1234567"
            tour.requests.append(request)
            db.session.add(Assignment(request=request, speaker=speaker, date=day,
                                      state=AssignmentState.CONFIRMED))
            if day < today:
                db.session.add(_advance(rng, request, complete=True))
                # The latest talk of every other speaker still waits for its report.
                if index < 2 or order % 2:
                    db.session.add(_report(rng, request, cancelled=(order, index) == (2, 1)))
            elif rng.random() < 0.6:
                db.session.add(_advance(rng, request, complete=rng.random() < 0.6))
    db.session.add(tour)
    db.session.flush()
    # Confirmed events are a published schedule: without its version the Versions page said
    # "Nothing published yet" beside 36 events that chapters and speakers already see.
    db.session.add(ScheduleVersion(
        tour=tour, number=1, published_by=DEMO_EMAIL, assignments=published_snapshot(tour),
        published_at=datetime.combine(start - timedelta(weeks=2), time(15, 0)),
    ))
    db.session.commit()
    return tour

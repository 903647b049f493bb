"""Factories with sensible defaults: call them inside an app context, override what matters."""

from datetime import date, time

from scheduler.extensions import db
from scheduler.models import (
    Assignment,
    AssignmentState,
    Chapter,
    CoordinatorUser,
    Request,
    RequestChoice,
    Speaker,
    SpeakerUnavailability,
    Tour,
    TourState,
)


def coordinator(email: str = "coord@example.org", password: str = "correct horse"):
    user = db.session.execute(
        db.select(CoordinatorUser).filter_by(email=email)
    ).scalar_one_or_none()
    if user is None:
        user = CoordinatorUser(email=email)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
    return user


def tour(**fields) -> Tour:
    fields.setdefault("name", "Jamadang Tour Spring 2027")
    fields.setdefault("slug", "spring-2027")
    fields.setdefault("start", date(2027, 3, 1))
    fields.setdefault("end", date(2027, 4, 25))
    fields.setdefault("timezone", "America/New_York")
    fields.setdefault("state", TourState.OPEN)
    row = Tour(**fields)
    db.session.add(row)
    db.session.commit()
    return row


def speaker(tour: Tour, unavailable: tuple[date, ...] = (), **fields) -> Speaker:
    fields.setdefault("display_name", "Speaker A")
    fields.setdefault("full_name", "Kim Private")
    fields.setdefault("home_city", "Los Angeles")
    fields.setdefault("home_lat", 34.05)
    fields.setdefault("home_lon", -118.24)
    fields.setdefault("languages", ["en", "ko"])
    fields.setdefault("contact_email", "speaker@example.org")
    row = Speaker(tour=tour, **fields)
    row.unavailability = [SpeakerUnavailability(date=day) for day in unavailable]
    db.session.add(row)
    db.session.commit()
    return row


def request(tour: Tour, dates: tuple[date, ...] = (date(2027, 3, 10),), **fields) -> Request:
    chapter_fields = {
        "name": fields.pop("chapter_name", "LiNK at UCLA"),
        "school": fields.pop("school", "UCLA"),
        "contact_name": fields.pop("contact_name", "Jo Student"),
        "contact_email": fields.pop("contact_email", "jo@example.edu"),
    }
    fields.setdefault("venue_name", "Royce Hall")
    fields.setdefault("venue_address", "340 Royce Dr")
    fields.setdefault("city", "Los Angeles, California")
    fields.setdefault("lat", 34.0729)
    fields.setdefault("lon", -118.4422)
    fields.setdefault("timezone", "America/Los_Angeles")
    fields.setdefault("start_time", time(19, 0))
    row = Request(tour=tour, chapter=Chapter(**chapter_fields), **fields)
    row.choices = [
        RequestChoice(rank=rank, first_date=day, last_date=day)
        for rank, day in enumerate(dates, start=1)
    ]
    db.session.add(row)
    db.session.commit()
    return row


def assignment(request: Request, speaker: Speaker, day: date, **fields) -> Assignment:
    fields.setdefault("state", AssignmentState.CONFIRMED)
    row = Assignment(request=request, speaker=speaker, date=day, **fields)
    db.session.add(row)
    db.session.commit()
    return row

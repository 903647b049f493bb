"""A realistic demo tour: 8 weeks, 6 speakers living across the country, 66 chapters at real US
campuses, a weekly driving cap, and the Boston metro where six campuses ask for the same days at
different hours, so one speaker can give two talks a day there.

Everything but the dates comes from one seeded random generator, so two loads on the same day are
identical; the window starts a few weeks after today so the tour is always open for requests.
Campus cities are looked up in the bundled gazetteer (coordinates and time zone), as the public
request form does. Names of people are invented; every email is at example.org.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from scheduler import gazetteer
from scheduler.extensions import db
from scheduler.models import (
    NEW_TOUR_MAX_KM_PER_WEEK,
    Chapter,
    CoordinatorUser,
    Request,
    RequestChoice,
    RequestState,
    Speaker,
    SpeakerUnavailability,
    Tour,
    TourState,
    utcnow,
)
from scheduler.services.accounts import set_coordinator_password
from scheduler.tour_format import unique_slug

DEMO_NAME = "Jamadang Tour (demo)"
DEMO_EMAIL = "demo@example.org"
SEED = 20270301
WEEKS = 8
LEAD_DAYS = 21

# (short name, school, campus city, state code): real universities in their real cities.
UNIVERSITIES = [
    ("UCLA", "University of California, Los Angeles", "Los Angeles", "CA"),
    ("USC", "University of Southern California", "Los Angeles", "CA"),
    ("UC Berkeley", "University of California, Berkeley", "Berkeley", "CA"),
    ("Stanford", "Stanford University", "Palo Alto", "CA"),
    ("UC San Diego", "University of California, San Diego", "San Diego", "CA"),
    ("UC Irvine", "University of California, Irvine", "Irvine", "CA"),
    ("UC Davis", "University of California, Davis", "Davis", "CA"),
    ("UC Riverside", "University of California, Riverside", "Riverside", "CA"),
    ("UCSB", "University of California, Santa Barbara", "Santa Barbara", "CA"),
    ("UW", "University of Washington", "Seattle", "WA"),
    ("Oregon", "University of Oregon", "Eugene", "OR"),
    ("Portland State", "Portland State University", "Portland", "OR"),
    ("ASU", "Arizona State University", "Tempe", "AZ"),
    ("Arizona", "University of Arizona", "Tucson", "AZ"),
    ("Utah", "University of Utah", "Salt Lake City", "UT"),
    ("CU Boulder", "University of Colorado Boulder", "Boulder", "CO"),
    ("UNM", "University of New Mexico", "Albuquerque", "NM"),
    ("UT Austin", "The University of Texas at Austin", "Austin", "TX"),
    ("Rice", "Rice University", "Houston", "TX"),
    ("Texas A&M", "Texas A&M University", "College Station", "TX"),
    ("SMU", "Southern Methodist University", "Dallas", "TX"),
    ("Kansas", "University of Kansas", "Lawrence", "KS"),
    ("Minnesota", "University of Minnesota", "Minneapolis", "MN"),
    ("UW-Madison", "University of Wisconsin-Madison", "Madison", "WI"),
    ("Iowa", "University of Iowa", "Iowa City", "IA"),
    ("Northwestern", "Northwestern University", "Evanston", "IL"),
    ("UChicago", "University of Chicago", "Chicago", "IL"),
    ("UIUC", "University of Illinois Urbana-Champaign", "Champaign", "IL"),
    ("Michigan", "University of Michigan", "Ann Arbor", "MI"),
    ("Michigan State", "Michigan State University", "East Lansing", "MI"),
    ("Ohio State", "The Ohio State University", "Columbus", "OH"),
    ("Indiana", "Indiana University Bloomington", "Bloomington", "IN"),
    ("Purdue", "Purdue University", "West Lafayette", "IN"),
    ("Notre Dame", "University of Notre Dame", "South Bend", "IN"),
    ("WashU", "Washington University in St. Louis", "St. Louis", "MO"),
    ("Vanderbilt", "Vanderbilt University", "Nashville", "TN"),
    ("Emory", "Emory University", "Atlanta", "GA"),
    ("Georgia Tech", "Georgia Institute of Technology", "Atlanta", "GA"),
    ("UGA", "University of Georgia", "Athens", "GA"),
    ("Florida", "University of Florida", "Gainesville", "FL"),
    ("Miami", "University of Miami", "Coral Gables", "FL"),
    ("Duke", "Duke University", "Durham", "NC"),
    ("UNC", "University of North Carolina at Chapel Hill", "Chapel Hill", "NC"),
    ("UVA", "University of Virginia", "Charlottesville", "VA"),
    ("Georgetown", "Georgetown University", "Washington", "DC"),
    ("Johns Hopkins", "Johns Hopkins University", "Baltimore", "MD"),
    ("UMD", "University of Maryland", "College Park", "MD"),
    ("Penn", "University of Pennsylvania", "Philadelphia", "PA"),
    ("Penn State", "Pennsylvania State University", "State College", "PA"),
    ("Pitt", "University of Pittsburgh", "Pittsburgh", "PA"),
    ("Rutgers", "Rutgers University", "New Brunswick", "NJ"),
    ("Columbia", "Columbia University", "New York City", "NY"),
    ("NYU", "New York University", "New York City", "NY"),
    ("Cornell", "Cornell University", "Ithaca", "NY"),
    ("Syracuse", "Syracuse University", "Syracuse", "NY"),
    ("Yale", "Yale University", "New Haven", "CT"),
    ("Brown", "Brown University", "Providence", "RI"),
    ("Harvard", "Harvard University", "Cambridge", "MA"),
    ("Boston University", "Boston University", "Boston", "MA"),
    ("UMass Amherst", "University of Massachusetts Amherst", "Amherst", "MA"),
]


# The Boston metro: campuses a few km apart that all ask for the same days of one week, each at
# its own hour (short name, school, city, state code, start time).
METRO = [
    ("MIT", "Massachusetts Institute of Technology", "Cambridge", "MA", time(12, 0)),
    ("Northeastern", "Northeastern University", "Boston", "MA", time(19, 0)),
    ("Tufts", "Tufts University", "Medford", "MA", time(15, 30)),
    ("Boston College", "Boston College", "Chestnut Hill", "MA", time(12, 30)),
    ("Brandeis", "Brandeis University", "Waltham", "MA", time(19, 30)),
    ("Wellesley", "Wellesley College", "Wellesley", "MA", time(16, 0)),
]
METRO_WEEK = 3  # the fourth week of the tour
METRO_DAYS = (1, 2, 3)  # its Tuesday, Wednesday and Thursday, in the chapters' order of choice


@dataclass(frozen=True)
class DemoSpeaker:
    display_name: str
    full_name: str
    home: str
    languages: tuple[str, ...]
    locale: str
    max_events: int | None
    max_events_per_week: int | None = None  # their own pace; None: the tour's


SPEAKERS = [
    DemoSpeaker("Speaker Hana", "Kim Hana (demo)", "Los Angeles, CA", ("en", "ko"), "en", None),
    DemoSpeaker("Speaker Joon", "Park Joon-ho (demo)", "New York City, NY", ("en",), "en", 20),
    DemoSpeaker("Speaker Min", "Lee Min-ji (demo)", "Chicago, IL", ("ko",), "ko", None, 3),
    DemoSpeaker("Speaker Eun", "Choi Eun-young (demo)", "Atlanta, GA", ("en", "ko"), "en", 24),
    DemoSpeaker("Speaker Dae", "Jung Dae-hyun (demo)", "Seattle, WA", ("en",), "en", None),
    DemoSpeaker("Speaker Sol", "Han Sol (demo)", "Houston, TX", ("en", "ko"), "en", None),
]
UNAVAILABLE_NOTES = ["family visit", "medical appointment", "citizenship interview", "rest"]
VENUES = [
    "Student Union Ballroom",
    "Memorial Hall",
    "Humanities Building, Room 101",
    "Campus Center Auditorium",
    "Main Library Forum",
    "International Center",
    "Law School Moot Court Room",
    "Chapel Lecture Hall",
]
CHAPTER_STYLES = ["LiNK at {}", "LiNK at {}", "{} North Korea Human Rights Club", "{} KSA"]
KOREAN_CHAPTER = "{} 한인학생회"
FIRST_NAMES = [
    "Alex",
    "Jordan",
    "Sam",
    "Taylor",
    "Minseo",
    "Jiwoo",
    "Chris",
    "Priya",
    "Dana",
    "Eli",
    "Grace",
    "Hyun",
    "Maya",
    "Noah",
    "Sofia",
    "Yuna",
]
LAST_NAMES = [
    "Lee",
    "Garcia",
    "Kim",
    "Nguyen",
    "Smith",
    "Park",
    "Johnson",
    "Chen",
    "Brown",
    "Choi",
    "Davis",
    "Patel",
    "Jung",
    "Martinez",
]
NOTES = [
    "We can host a dinner with the speaker before the event.",
    "Our hall has an interpreter booth; we would love a Korean-language talk with English "
    "interpretation.",
    "Parking is free after 5 pm in Lot C; we will send a permit.",
    "Co-hosted with the Asian American Studies department.",
    "Midterms that week: the later in the week, the better.",
    "학생들이 한국어 강연을 특히 기대하고 있습니다.",
]
START_TIMES = [time(19, 0), time(19, 0), time(18, 30), time(18, 0), time(12, 0), time(17, 30)]
DURATIONS = [60, 90, 90, 90, 120]
# A flexible choice offers these ISO weekdays (1 = Monday) of one week.
FLEXIBLE_WEEKDAYS = ["234", "12345", "345", "2345", "24"]
WITHDRAWN = 2


def demo_window(today: date) -> tuple[date, date]:
    """Eight whole weeks, Monday to Sunday, starting at least three weeks from today."""
    first = today + timedelta(days=LEAD_DAYS)
    start = first + timedelta(days=(7 - first.weekday()) % 7)
    return start, start + timedelta(weeks=WEEKS, days=-1)


def _city(label: str) -> gazetteer.City:
    city = gazetteer.lookup(label)
    if city is None:
        raise LookupError(f"the gazetteer has no {label}")
    return city


def _speakers(tour: Tour, rng: random.Random) -> list[Speaker]:
    speakers = []
    for entry in SPEAKERS:
        home = _city(entry.home)
        days = rng.sample(range((tour.end - tour.start).days + 1), rng.randint(2, 5))
        first_name = entry.display_name.split()[-1].lower()
        speakers.append(
            Speaker(
                tour=tour,
                display_name=entry.display_name,
                full_name=entry.full_name,
                home_city=home.label,
                home_lat=home.lat,
                home_lon=home.lon,
                languages=list(entry.languages),
                max_events=entry.max_events,
                max_events_per_week=entry.max_events_per_week,
                locale=entry.locale,
                contact_email=f"{first_name}@example.org",
                unavailability=[
                    SpeakerUnavailability(
                        date=tour.start + timedelta(days=day), note=rng.choice(UNAVAILABLE_NOTES)
                    )
                    for day in sorted(days)
                ],
            )
        )
    return speakers


def _choices(tour: Tour, rng: random.Random) -> list[RequestChoice]:
    """1-5 ranked choices in distinct weeks: single dates (mostly Tue-Thu) or flexible weeks."""
    weeks = rng.sample(range(WEEKS), rng.choice([1, 2, 2, 3, 3, 4, 5]))
    choices = []
    for rank, week in enumerate(weeks, start=1):
        monday = tour.start + timedelta(weeks=week)
        if rng.random() < 0.55:
            day = monday + timedelta(days=rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]))
            choices.append(RequestChoice(rank=rank, first_date=day, last_date=day))
        else:
            choices.append(
                RequestChoice(
                    rank=rank,
                    first_date=monday,
                    last_date=monday + timedelta(days=6),
                    weekdays=rng.choice(FLEXIBLE_WEEKDAYS),
                )
            )
    return choices


def _request(tour, speakers, rng, university, number) -> Request:
    short, school, city_name, state_code = university
    city = _city(f"{city_name}, {state_code}")
    korean = rng.random() < 0.15
    chapter_name = (KOREAN_CHAPTER if korean else rng.choice(CHAPTER_STYLES)).format(short)
    contact = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    language = "ko" if korean else "en"
    able = [s for s in speakers if language in s.languages]
    preferred = rng.sample(able, rng.randint(1, 2)) if rng.random() < 0.25 else []
    return Request(
        tour=tour,
        chapter=Chapter(
            name=chapter_name,
            school=school,
            contact_name=contact,
            contact_email=f"chapter{number:02d}@example.org",
        ),
        venue_name=rng.choice(VENUES),
        city=city.label,
        lat=round(city.lat + rng.uniform(-0.02, 0.02), 5),
        lon=round(city.lon + rng.uniform(-0.02, 0.02), 5),
        timezone=city.timezone,
        start_time=rng.choice(START_TIMES),
        duration_minutes=rng.choice(DURATIONS),
        expected_audience=rng.randrange(20, 301, 10),
        language=language,
        notes=rng.choice(NOTES) if rng.random() < 0.12 else "",
        priority=rng.choices([1, 2, 3, 4, 5], weights=[40, 25, 18, 10, 7])[0],
        preferred_speakers=preferred,
        choices=_choices(tour, rng),
        created_at=utcnow() - timedelta(minutes=rng.randrange(60, 60 * 24 * 20)),
    )


def _metro_request(tour, speakers, rng, campus, number) -> Request:
    """A campus of the metro: the same three days as its neighbours, at its own hour."""
    short, school, city_name, state_code, start_time = campus
    request = _request(tour, speakers, rng, (short, school, city_name, state_code), number)
    request.chapter.name = f"LiNK at {short}"
    request.language, request.preferred_speakers = "en", []
    request.start_time, request.duration_minutes = start_time, 90
    request.priority = rng.choice([2, 3])
    monday = tour.start + timedelta(weeks=METRO_WEEK)
    request.choices = [
        RequestChoice(rank=rank, first_date=monday + timedelta(days=offset),
                      last_date=monday + timedelta(days=offset))
        for rank, offset in enumerate(METRO_DAYS, start=1)
    ]
    return request


def load_demo(today: date | None = None) -> Tour:
    """Create the demo tour (open for requests) with its speakers and requests, and commit."""
    rng = random.Random(SEED)
    start, end = demo_window(today or date.today())
    tour = Tour(
        name=DEMO_NAME,
        slug=unique_slug(DEMO_NAME),
        description=(
            "A demonstration tour: six speakers drive from their homes for eight weeks to "
            "student chapters across the United States. Every name and email here is invented."
        ),
        start=start,
        end=end,
        timezone="America/New_York",
        request_deadline=start - timedelta(days=7),
        state=TourState.OPEN,
        max_events_per_day=2,
        max_km_per_week=NEW_TOUR_MAX_KM_PER_WEEK,
    )
    speakers = _speakers(tour, rng)
    requests = [
        _request(tour, speakers, rng, university, number)
        for number, university in enumerate(UNIVERSITIES, start=1)
    ]
    for request in rng.sample(requests, WITHDRAWN):
        request.state = RequestState.WITHDRAWN
    requests += [
        _metro_request(tour, speakers, rng, campus, number)
        for number, campus in enumerate(METRO, start=len(requests) + 1)
    ]
    db.session.add(tour)
    db.session.commit()
    return tour


def ensure_demo_coordinator(password: str) -> CoordinatorUser:
    """The demo login: created, or its password reset so the printed one works."""
    return set_coordinator_password(DEMO_EMAIL, password)

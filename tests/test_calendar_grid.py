"""The coordinator's calendar: a month or a week of the draft or the published schedule, each
talk on its day in time order and coloured by its speaker."""

import re
from datetime import date, time

import pytest
from werkzeug.datastructures import MultiDict

from scheduler.models import AssignmentState
from scheduler.services import calendar_grid
from scheduler.services.calendar_grid import PALETTE, Choice, grid, speaker_colours

BERKELEY = {"lat": 37.8719, "lon": -122.2585, "city": "Berkeley, California"}
NEW_YORK = {"lat": 40.7295, "lon": -73.9965, "city": "New York, New York",
            "timezone": "America/New_York"}


@pytest.fixture
def scene(app, auth, make):
    """Ana's UCLA talk is published on 10 March and moved to 12 March in the draft; on 11 March
    Ana speaks at Cal at 7 PM Pacific and Bo at NYU at 8 PM Eastern, three hours earlier."""
    auth.login()
    tour = make.tour()
    ana = make.speaker(tour, display_name="Ana")
    bo = make.speaker(tour, display_name="Bo", home_city="New York", home_lat=40.7,
                      home_lon=-74.0)
    ucla = make.request(tour, chapter_name="LiNK at UCLA",
                        dates=(date(2027, 3, 10), date(2027, 3, 12)))
    cal = make.request(tour, chapter_name="LiNK at Cal", venue_name="Sproul Hall",
                       dates=(date(2027, 3, 11),), **BERKELEY)
    nyu = make.request(tour, chapter_name="LiNK at NYU", venue_name="Kimmel Center",
                       start_time=time(20, 0), dates=(date(2027, 3, 11),), **NEW_YORK)
    make.assignment(ucla, ana, date(2027, 3, 10))
    make.assignment(ucla, ana, date(2027, 3, 12), state=AssignmentState.PROPOSED)
    make.assignment(cal, ana, date(2027, 3, 11))
    make.assignment(nyu, bo, date(2027, 3, 11))
    return {"tour": tour, "ana": ana, "bo": bo}


def day_of(shown, on: date) -> calendar_grid.Day:
    return next(day for day in shown.days if day.date == on)


def chapters_on(shown, on: date) -> list[str]:
    return [talk.chapter for talk in day_of(shown, on).talks]


def choose(tour, **args) -> Choice:
    return Choice.from_args(tour, MultiDict(args))


# The read model


def test_the_draft_shows_a_moved_talk_on_its_new_day_and_the_published_on_its_old(scene):
    tour = scene["tour"]
    draft = grid(tour, choose(tour, schedule="draft"))
    published = grid(tour, choose(tour, schedule="published"))

    assert chapters_on(draft, date(2027, 3, 10)) == []
    assert chapters_on(draft, date(2027, 3, 12)) == ["LiNK at UCLA"]
    assert chapters_on(published, date(2027, 3, 10)) == ["LiNK at UCLA"]
    assert chapters_on(published, date(2027, 3, 12)) == []


def test_talks_of_one_day_are_in_time_order_across_time_zones(scene):
    tour = scene["tour"]
    shown = grid(tour, choose(tour))

    # 8 PM in New York is 5 PM in California, before Cal's 7 PM.
    assert chapters_on(shown, date(2027, 3, 11)) == ["LiNK at NYU", "LiNK at Cal"]
    [nyu, cal] = day_of(shown, date(2027, 3, 11)).talks
    assert (nyu.speaker, nyu.venue, nyu.city) == ("Bo", "Kimmel Center", "New York, New York")
    assert (cal.speaker, cal.start, cal.timezone) == ("Ana", time(19, 0), "America/Los_Angeles")


def test_a_month_starts_on_the_month_of_the_first_talk_with_monday_first_weeks(scene, make):
    tour = scene["tour"]
    shown = grid(tour, choose(tour))

    assert shown.start == date(2027, 3, 1)
    assert [day.date for day in shown.days] == [date(2027, 3, d) for d in range(1, 32)]
    assert all(len(week) == 7 and week[0].date.weekday() == 0 for week in shown.weeks)
    assert (shown.previous, shown.next) == (date(2027, 2, 1), date(2027, 4, 1))
    empty = make.tour(slug="empty", start=date(2027, 5, 20), end=date(2027, 6, 10))
    assert grid(empty, choose(empty)).start == date(2027, 5, 1)


def test_a_week_runs_monday_to_sunday_around_the_start_asked_for(scene):
    tour = scene["tour"]
    shown = grid(tour, choose(tour, view="week", start="2027-03-10", schedule="published"))

    assert [day.date for day in shown.days] == [date(2027, 3, d) for d in range(8, 15)]
    assert [talk.chapter for talk in shown.talks] == ["LiNK at UCLA", "LiNK at NYU", "LiNK at Cal"]
    assert (shown.previous, shown.next) == (date(2027, 3, 1), date(2027, 3, 15))
    later = grid(tour, choose(tour, view="week", start="2027-03-15"))
    assert later.talks == []


def test_the_speaker_filter_keeps_only_that_speakers_talks(scene):
    tour = scene["tour"]
    shown = grid(tour, choose(tour, speaker=str(scene["bo"].id)))

    assert [(t.speaker, t.chapter) for t in shown.talks] == [("Bo", "LiNK at NYU")]
    assert shown.total == 3  # the schedule still has three talks


def test_each_speaker_keeps_one_colour_from_their_place_in_the_tour(scene):
    tour = scene["tour"]
    colours = speaker_colours(tour)
    shown = grid(tour, choose(tour))

    assert colours[scene["ana"].id].background != colours[scene["bo"].id].background
    for talk in shown.talks:
        assert talk.colour == colours[talk.speaker_id]
    only_bo = grid(tour, choose(tour, speaker=str(scene["bo"].id)))
    assert only_bo.talks[0].colour == colours[scene["bo"].id]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_palette_colour_has_text_at_wcag_aa_contrast_and_no_two_are_alike():
    for background, text in PALETTE:
        dark, light = sorted((_luminance(background), _luminance(text)))
        assert (light + 0.05) / (dark + 0.05) >= 4.5, background
    assert len({background for background, _ in PALETTE}) == len(PALETTE) >= 12


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"schedule": "tomorrow"}, "There is no such schedule"),
        ({"view": "year"}, "a month or a week"),
        ({"start": "2027-13-45"}, "not a date"),
        ({"start": "0001-01-01"}, "far from the tour's dates"),
        ({"start": "9999-12-31"}, "far from the tour's dates"),
        ({"speaker": "999999"}, "not on this tour"),
    ],
)
def test_values_that_mean_nothing_fall_back_and_say_why(scene, args, expected):
    tour = scene["tour"]
    choice = choose(tour, **args)

    [problem] = choice.problems
    assert expected in problem
    assert (choice.schedule, choice.view, choice.start, choice.speaker) == (
        "draft", "month", None, None
    )
    assert grid(tour, choice).start == date(2027, 3, 1)


# The page


def calendar_page(client, tour, **args) -> str:
    response = client.get(f"/coordinator/tours/{tour.slug}/calendar", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def cell(page: str, day: str) -> str:
    """The table cell of the day written ``day`` ("Wed, Mar 10, 2027")."""
    start = page.index(f'<span class="cal-day-full">{day}</span>')
    return page[start : page.index("</td>", start)]


def test_the_page_shows_each_talk_in_its_days_cell_with_time_speaker_and_place(client, scene):
    page = calendar_page(client, scene["tour"], schedule="published")

    assert re.search(r"<caption[^>]*>March 2027, published schedule", page)
    assert page.count('<th scope="col">') == 7 and '<th scope="col">Monday</th>' in page
    eleventh = cell(page, "Thu, Mar 11, 2027")
    assert eleventh.index("LiNK at NYU") < eleventh.index("LiNK at Cal")
    assert "8:00\u202fPM Eastern Time" in eleventh and "7:00\u202fPM Pacific Time" in eleventh
    assert "<strong class=\"cal-speaker\">Bo</strong>" in eleventh
    assert "LiNK at Cal · Sproul Hall, Berkeley, California" in eleventh
    assert "LiNK at UCLA" in cell(page, "Wed, Mar 10, 2027")
    assert "LiNK at UCLA" not in cell(page, "Fri, Mar 12, 2027")


def test_the_draft_page_differs_from_the_published_where_the_draft_moved_a_talk(client, scene):
    page = calendar_page(client, scene["tour"])  # the draft by default

    assert "March 2027 <span class=\"muted\">· draft schedule" in page
    assert "LiNK at UCLA" in cell(page, "Fri, Mar 12, 2027")
    assert "LiNK at UCLA" not in cell(page, "Wed, Mar 10, 2027")


def test_the_legend_names_every_speaker_with_their_colour(client, scene):
    page = calendar_page(client, scene["tour"])
    legend = page[page.index('id="legend-heading"') :]
    colours = speaker_colours(scene["tour"])

    for speaker in (scene["ana"], scene["bo"]):
        style = colours[speaker.id].style
        assert f'style="{style}" aria-hidden="true"></span><a href=' in legend
        assert f">{speaker.display_name}</a>" in legend
    assert f'style="{colours[scene["bo"].id].style}"' in cell(page, "Thu, Mar 11, 2027")


def test_the_week_view_and_its_links_to_the_next_and_previous_weeks(client, scene):
    tour = scene["tour"]
    page = calendar_page(client, tour, view="week", start="2027-03-11", schedule="published")

    assert "Week of Mon, Mar 8, 2027" in page
    assert page.count('<td class="cal-day') == 7
    assert "LiNK at UCLA" in cell(page, "Wed, Mar 10, 2027")
    base = f"/coordinator/tours/{tour.slug}/calendar?schedule=published&amp;view=week"
    assert f'href="{base}&amp;start=2027-03-01" rel="prev"' in page
    assert f'href="{base}&amp;start=2027-03-15" rel="next"' in page
    # The switch to a month keeps the schedule and the place.
    month = f"/coordinator/tours/{tour.slug}/calendar?schedule=published&amp;view=month"
    assert f'href="{month}&amp;start=2027-03-08"' in page


def test_the_speaker_filter_on_the_page_leaves_other_speakers_talks_out(client, scene):
    page = calendar_page(client, scene["tour"], speaker=scene["bo"].id)

    eleventh = cell(page, "Thu, Mar 11, 2027")
    assert "LiNK at NYU" in eleventh and "LiNK at Cal" not in eleventh
    assert "Bo only" in page
    assert f'<option value="{scene["bo"].id}" selected>Bo</option>' in page


def test_an_empty_published_schedule_says_nothing_is_published_yet(client, app, auth, make):
    auth.login()
    tour = make.tour()
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10),
                    state=AssignmentState.PROPOSED)

    page = calendar_page(client, tour, schedule="published")
    assert "Nothing is published yet" in page
    assert "LiNK at UCLA" not in page


@pytest.mark.parametrize(
    "args",
    [
        {"start": "not-a-date"},
        {"start": "0001-01-01", "view": "week"},
        {"start": "9999-12-31"},
        {"view": "<script>"},
        {"schedule": "all"},
        {"speaker": "abc"},
        {"speaker": "999999"},
    ],
)
def test_bad_parameters_fall_back_with_a_message_never_an_error(client, scene, args):
    page = calendar_page(client, scene["tour"], **args)

    heading = "Week of Mon, Mar 8, 2027" if args.get("view") == "week" else "March 2027"
    assert f'<h2 id="period-heading">{heading} ' in page
    assert "<script>" not in page.split('id="main"')[1]
    if args != {"speaker": "abc"}:  # a speaker that is not a number is no choice at all
        assert 'class="flash flash-warning"' in page


def test_the_calendar_is_linked_from_the_tour_sections_and_from_review(client, scene):
    tour = scene["tour"]
    review = client.get(f"/coordinator/tours/{tour.slug}/review").get_data(as_text=True)
    overview = client.get(f"/coordinator/tours/{tour.slug}").get_data(as_text=True)
    page = calendar_page(client, tour)

    link = f'href="/coordinator/tours/{tour.slug}/calendar"'
    assert f"{link}>Calendar</a>" in overview
    assert f"{link}>See the draft and the published schedule on a calendar</a>" in review
    assert f'{link} aria-current="page">Calendar</a>' in page
    filtered = client.get(
        f"/coordinator/tours/{tour.slug}/review?speaker={scene['bo'].id}&week=2027-03-08"
    ).get_data(as_text=True)
    assert (
        f'/calendar?speaker={scene["bo"].id}&amp;view=week&amp;start=2027-03-08"' in filtered
    )


def test_the_calendar_requires_a_logged_in_coordinator(client, app, make):
    tour = make.tour()
    speaker = make.speaker(tour)
    make.assignment(make.request(tour), speaker, date(2027, 3, 10))

    response = client.get(f"/coordinator/tours/{tour.slug}/calendar")
    assert response.status_code == 302
    assert "/coordinator/login" in response.headers["Location"]


def test_a_tour_that_does_not_exist_is_not_found(client, scene):
    assert client.get("/coordinator/tours/no-such-tour/calendar").status_code == 404

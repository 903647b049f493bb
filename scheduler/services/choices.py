"""A request's ranked choices become the dates it offers (the tour format's ``dates``)."""

from datetime import date, timedelta

from scheduler.models import Request, RequestChoice, Tour


def choice_dates(choice: RequestChoice, tour: Tour) -> list[date]:
    """Every date of one choice inside the tour window on an allowed ISO weekday (1 = Monday)."""
    first = max(choice.first_date, tour.start)
    last = min(choice.last_date, tour.end)
    days = []
    day = first
    while day <= last:
        if str(day.isoweekday()) in choice.weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def offered_dates(request: Request) -> list[tuple[date, int]]:
    """(date, rank) pairs in date order; a date offered by two choices keeps its best rank."""
    best: dict[date, int] = {}
    for choice in request.choices:
        for day in choice_dates(choice, request.tour):
            best[day] = min(best.get(day, choice.rank), choice.rank)
    return sorted(best.items())

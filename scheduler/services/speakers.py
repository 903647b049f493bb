"""Speakers' rows: the rules for changing them, shared by the coordinators' form and scripts."""

from datetime import date

from scheduler.models import Speaker, SpeakerUnavailability


def sync_unavailability(speaker: Speaker, days: dict[date, str]) -> None:
    """Keep rows for dates still listed (so who marked them stays), add new ones, drop the rest."""
    for entry in list(speaker.unavailability):
        if entry.date not in days:
            speaker.unavailability.remove(entry)
        elif entry.note != days[entry.date]:
            entry.note = days[entry.date]
    known = {entry.date for entry in speaker.unavailability}
    for day, note in sorted(days.items()):
        if day not in known:
            speaker.unavailability.append(SpeakerUnavailability(date=day, note=note))

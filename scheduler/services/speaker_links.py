"""A speaker's private page: its address, and an email that gives the speaker that address.

The address carries the speaker's secret token, so it is shown to coordinators and sent only to
the speaker's own contact address; it is never written to a log.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale, gettext

from scheduler.models import Speaker
from scheduler.services import mail
from scheduler.web.urls import absolute_url


def page_url(speaker: Speaker) -> str:
    """The speaker's own page (schedule, availability), from ``BASE_URL``."""
    return absolute_url("speakers.itinerary", token=speaker.feed_token)


def email_page_link(speaker: Speaker) -> bool:
    """Send the speaker their page's address, in the speaker's own language (their page's).

    False when they have no contact address.
    """
    if not speaker.contact_email:
        return False
    with force_locale(speaker.locale):
        body = render_template(
            "mail/speaker_link.txt", speaker=speaker, tour=speaker.tour, link=page_url(speaker)
        )
        subject = gettext("Your page for %(tour)s", tour=speaker.tour.name)
    mail.send([mail.message(speaker.contact_email, subject, body)])
    return True

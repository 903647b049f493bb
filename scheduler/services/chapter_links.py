"""A chapter's private link by email: once when it sends its request, again whenever it asks.

The link is the chapter's only key to its request, so it goes only to the contact address the
request was sent with. Asking again names no one: the same answer follows whether or not the
address is known (``resend``), so the form tells no stranger which chapters have asked.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import render_template
from sqlalchemy import func

from scheduler.extensions import db
from scheduler.models import Chapter, Request
from scheduler.services import mail
from scheduler.web.urls import absolute_url


def request_link(request: Request) -> str:
    """The private page of ``request``, as an address a chapter can open from its mailbox."""
    return absolute_url("public.request_view", token=request.token)


def links_message(to: str, requests: list[Request], first_time: bool) -> EmailMessage:
    """One email listing the private link of every request in ``requests``."""
    body = render_template(
        "mail/chapter_links.txt",
        contact_name=requests[0].chapter.contact_name,
        entries=[(request, request_link(request)) for request in requests],
        first_time=first_time,
    )
    tour_name = requests[0].tour.name if len(requests) == 1 else "the speaker tours"
    subject = (
        f"Your request for {tour_name}: your private link"
        if first_time
        else f"Your private link{'s' if len(requests) > 1 else ''} for {tour_name}"
    )
    return mail.message(to, subject, body)


def send_new_link(request: Request) -> None:
    """Mail a just-sent request's private link to the chapter's contact."""
    mail.send([links_message(request.chapter.contact_email, [request], first_time=True)])


def requests_for(address: str) -> list[Request]:
    """Every request whose chapter contact is ``address`` (any case), newest first."""
    wanted = address.strip().casefold()
    if not wanted:
        return []
    return list(
        db.session.execute(
            db.select(Request)
            .join(Chapter)
            .where(func.lower(Chapter.contact_email) == wanted)
            .order_by(Request.created_at.desc(), Request.id.desc())
        ).scalars()
    )


def resend(address: str) -> None:
    """Mail the links of ``address``'s requests to that address; nothing at all if it has none.

    One email per address on file, however the person typed it, so the mail goes only where the
    chapter itself wrote it down.
    """
    by_address: dict[str, list[Request]] = {}
    for request in requests_for(address):
        by_address.setdefault(request.chapter.contact_email, []).append(request)
    mail.send(
        [links_message(to, found, first_time=False) for to, found in by_address.items()]
    )

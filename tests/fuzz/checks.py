"""What every hostile submission must satisfy, whatever the form: never a server error, a refusal
that says why on the page, and stored text shown as text (never as markup)."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import g
from markupsafe import escape

REFUSED = (400, 422)
# Markup that would run if a stored value reached a page unescaped.
ACTIVE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ERROR_MARK = re.compile(
    r'class="errors"[^>]*>\s*<li>|class="flash flash-(error|warning)"'
    r'|class="row-outcome row-outcome-refused"'
)


def fresh_request_globals() -> None:
    """The test app context is shared by all requests of a test: forget the previous one's ``g``."""
    for key in list(g):
        g.pop(key)


def send(client, method: str, url: str, **kwargs):
    fresh_request_globals()
    response = client.open(url, method=method, **kwargs)
    assert response.status_code < 500, f"{method} {url} answered {response.status_code}"
    return response


def path_part(text: str) -> str:
    """Text as one URL path segment, every reserved character percent-encoded."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def html_of(response) -> str:
    return response.get_data(as_text=True)


def shows_an_error(html: str) -> bool:
    """A message beside a field or an edited row, or a flashed error, is on the page."""
    return ERROR_MARK.search(html) is not None


def assert_refused_with_message(response, statuses=REFUSED) -> str:
    html = html_of(response)
    assert response.status_code in statuses, response.status_code
    assert shows_an_error(html), "refused without saying why"
    assert_inert(html)
    return html


def assert_inert(html: str, *stored: str) -> None:
    """No hostile markup is live on the page, and each stored value appears HTML-escaped."""
    for markup in ACTIVE_MARKUP:
        assert markup not in html
    for text in stored:
        assert str(escape(text)) in html, f"{text!r} is not shown escaped"

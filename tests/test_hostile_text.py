"""Hostile text in a request is either stored exactly and shown inert (escaped), or refused with a
message beside its field. Never executed, never mangled, never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from scheduler.extensions import db
from scheduler.models import Request
from tests.test_request_form import FORM_URL, form_data, page_of, stored_requests

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def app_config(app_config):
    """Many posts from one address in one test: lift the form's rate limit."""
    return {**app_config, "REQUEST_FORM_RATE_LIMIT": "1000 per hour"}


@pytest.fixture
def tour(make):
    return make.tour()


def saved_after(client, **overrides) -> tuple[Request, str]:
    response = client.post(FORM_URL, data=form_data(**overrides))
    assert response.status_code == 303, page_of(response).errors
    token = response.headers["Location"].split("/")[2]
    stored = db.session.execute(db.select(Request).filter_by(token=token)).scalar_one()
    return stored, token


@pytest.mark.parametrize(
    "text",
    [
        "링크 서울대학교 지부",
        'LiNK, "North"; \'South\' & more',
        SCRIPT,
        "=HYPERLINK(\"http://evil\");--",
        "  spaces kept  ",
    ],
)
def test_hostile_single_line_text_is_stored_exactly_and_shown_escaped(client, tour, text):
    stored, token = saved_after(client, chapter_name=text, venue_name=text)
    assert stored.chapter.name == text
    assert stored.venue_name == text
    for path in (f"/r/{token}", f"/r/{token}/created", f"/r/{token}/withdraw"):
        html = client.get(path).get_data(as_text=True)
        assert str(escape(text)) in html
        assert "<script>alert" not in html
    edit = page_of(client.get(f"/r/{token}/edit"))
    assert edit.value("chapter_name") == text


def test_notes_keep_line_breaks_korean_and_markup_exactly(client, tour):
    notes = f"첫 줄, 세미콜론; \"따옴표\"\r\nsecond line\r\n{SCRIPT}\r\n\tindented"
    stored, token = saved_after(client, notes=notes)
    assert stored.notes == notes
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert str(escape(notes)) in html
    assert "<script>alert" not in html
    assert page_of(client.get(f"/r/{token}/edit")).value("notes") == notes


@pytest.mark.parametrize("field", ["chapter_name", "venue_name", "contact_name", "school"])
def test_line_breaks_in_single_line_fields_are_refused(client, tour, field):
    response = client.post(FORM_URL, data=form_data(**{field: "LiNK\r\nInjected: yes"}))
    assert response.status_code == 400
    page = page_of(response)
    assert "Use a single line" in page.error(field)
    assert page.value(field) == "LiNK\r\nInjected: yes"
    assert stored_requests() == []


@pytest.mark.parametrize(("field", "limit"), [("notes", "4,000"), ("chapter_name", "200"),
                                              ("venue_address", "300")])
def test_ten_thousand_characters_are_refused_with_the_limit_named(client, tour, field, limit):
    text = "가" * 10_000
    response = client.post(FORM_URL, data=form_data(**{field: text}))
    assert response.status_code == 400
    page = page_of(response)
    assert f"Use at most {limit} characters (this has 10,000)." in page.error(field)
    assert page.value(field) == text
    assert stored_requests() == []


def test_nul_and_control_characters_are_refused(client, tour):
    response = client.post(FORM_URL, data=form_data(notes="a\x00b", chapter_name="a\x1bb"))
    assert response.status_code == 400
    page = page_of(response)
    assert "Remove the control characters." in page.error("notes")
    assert "Use a single line" in page.error("chapter_name")
    assert stored_requests() == []


ONE_LINE = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200
).filter(str.strip)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ONE_LINE)
def test_any_printable_line_is_stored_exactly_and_shown_escaped(client, tour, text):
    stored, token = saved_after(client, chapter_name=text)
    assert stored.chapter.name == text
    assert str(escape(text)) in client.get(f"/r/{token}").get_data(as_text=True)

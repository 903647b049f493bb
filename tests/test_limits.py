"""Limits named once (scheduler/solver/limits.py) and enforced at every door: the solver's
parser, the tour file import, the coordinator's tour form. Each refusal names the field."""

import pytest

from scheduler.solver import InstanceError, parse_instance
from scheduler.solver.limits import MAX_REQUESTS, MAX_TOUR_DAYS
from scheduler.tour_format import TourFormatError, import_tour
from tests.fuzz.instances import VALID


def instance(**changes) -> dict:
    data = {**VALID, **changes}
    return data


def whole_calendar() -> dict:
    data = instance()
    data["tour"] = {**data["tour"], "start": "0001-01-01", "end": "9999-12-31"}
    return data


def too_many_requests() -> dict:
    request = VALID["requests"][0]
    return instance(
        requests=[{**request, "id": f"rq-{i}"} for i in range(100_000)], pinned=[]
    )


def test_the_solver_refuses_a_whole_calendar_tour_naming_the_field():
    with pytest.raises(InstanceError, match=r"tour\.start: 0001-01-01 is outside 2000-2099"):
        parse_instance(whole_calendar())


def test_the_solver_refuses_a_tour_longer_than_a_season():
    data = instance()
    data["tour"] = {**data["tour"], "start": "2027-01-01", "end": "2028-06-30"}
    with pytest.raises(InstanceError, match=f"at most {MAX_TOUR_DAYS}"):
        parse_instance(data)


def test_the_solver_refuses_100000_requests_before_parsing_them():
    expected = f"requests: 100,000 entries; .* at most {MAX_REQUESTS:,}"
    with pytest.raises(InstanceError, match=expected):
        parse_instance(too_many_requests())


@pytest.mark.parametrize(("data", "field"), [(whole_calendar(), "tour.start"),
                                             (too_many_requests(), "requests")])
def test_the_import_refuses_an_oversized_tour_file_with_the_limit_named(app, data, field):
    with pytest.raises(TourFormatError) as refused:
        import_tour(data)
    assert field in str(refused.value)


def test_the_tour_form_refuses_a_tour_in_the_year_9999(client, auth):
    auth.login()
    response = client.post("/coordinator/tours/new", data={
        "name": "Far future", "start": "9999-12-01", "end": "9999-12-30",
        "timezone_choice": "America/New_York", "max_km_per_day": "650",
        "max_events_per_day": "1", "max_events_per_week": "5", "max_consecutive_days": "4",
        "state": "draft",
    })
    assert response.status_code == 200
    assert "Give a date from 2000 to 2099." in response.get_data(as_text=True)


def test_the_import_refuses_a_lone_surrogate_in_a_name_in_one_line(app):
    data = instance()
    data["requests"] = [{**VALID["requests"][0], "chapter": "LiNK \ud800"}, *VALID["requests"][1:]]
    with pytest.raises(TourFormatError) as refused:
        import_tour(data)
    assert "requests[0].chapter: must be text: it holds a lone surrogate" in str(refused.value)


def test_the_cli_import_of_a_lone_surrogate_is_one_line_with_exit_2(runner, tmp_path):
    import json

    data = instance()
    data["requests"] = [{**VALID["requests"][0], "chapter": "LiNK \ud800"}, *VALID["requests"][1:]]
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON escapes it as \\ud800
    result = runner.invoke(args=["tour", "import", str(path)])
    assert result.exit_code == 2
    assert "lone surrogate" in result.stderr and "Traceback" not in result.stderr

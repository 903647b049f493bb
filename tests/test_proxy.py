"""Behind nginx every request reaches the app from 127.0.0.1. With TRUSTED_PROXIES=1 the login
limit counts each visitor (X-Forwarded-For, which deploy/nginx.conf overwrites) on its own;
without it, the header is the visitor's own word and changes nothing."""

import pytest


def failed_logins(client, address: str, times: int) -> list[int]:
    return [
        client.post(
            "/coordinator/login",
            data={"email": "c@example.org", "password": "wrong"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for _ in range(times)
    ]


@pytest.fixture
def proxied_app(app_config, request):
    """The test app (migrated, on either database) with one trusted proxy in front."""
    app_config.update({"TRUSTED_PROXIES": 1, "LOGIN_RATE_LIMIT": "2 per minute"})
    return request.getfixturevalue("app")


def test_behind_the_proxy_one_visitor_at_the_limit_does_not_block_another(proxied_app):
    client = proxied_app.test_client()

    assert failed_logins(client, "203.0.113.7", 3) == [200, 200, 429]
    assert failed_logins(client, "198.51.100.4", 1) == [200]


def test_without_a_trusted_proxy_a_forged_header_does_not_reset_the_count(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"

    assert failed_logins(client, "203.0.113.7", 2) == [200, 200]
    assert failed_logins(client, "198.51.100.4", 1) == [429]

import pytest

from scheduler import create_app
from scheduler.web.security import InsecureConfigurationError


def test_every_page_forbids_inline_script_framing_and_referrers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script_policy = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("secret", [None, "", "dev", "short-but-not-default"])
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, secret):
    with pytest.raises(InsecureConfigurationError, match="SECRET_KEY"):
        create_app(
            {
                "ENV": "production",
                "SECRET_KEY": secret,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
            }
        )


def test_production_session_cookie_is_secure_httponly_and_samesite(tmp_path):
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_login_is_throttled_with_a_clear_message(app, client, make):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    make.coordinator(email="c@example.org", password="right password")
    for _ in range(3):
        response = client.post("/coordinator/login", data={"email": "c@example.org",
                                                           "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post("/coordinator/login", data={"email": "c@example.org",
                                                      "password": "right password"})
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    assert client.get("/coordinator/login").status_code == 200

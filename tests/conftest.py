"""Shared fixtures: an app on a fresh SQLite file (migrated with Alembic), clients, factories,
a live server for browser tests and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from scheduler import create_app
from scheduler.extensions import db
from tests import factories

ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium are marked ``browser`` so a run can leave them out."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or "browser" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> str:
    """An SQLite file migrated once with Alembic; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite"
    template_app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": f"sqlite:///{path}"}
    )
    with template_app.app_context():
        upgrade()
        db.engine.dispose()
    return str(path)


def fresh_database_url(tmp_path, migrated_sqlite: str) -> str:
    """A copy of the migrated SQLite file, or, when TEST_DATABASE_URL is set, that database
    emptied (``app`` migrates it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        shutil.copy(migrated_sqlite, tmp_path / "test.sqlite")
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def app_config(tmp_path, migrated_sqlite) -> dict:
    """The test configuration; a test may change it before asking for ``app``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": fresh_database_url(tmp_path, migrated_sqlite),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "BASE_URL": "http://localhost",
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make():
    """Factories that build exactly the rows a test needs (see tests/factories.py)."""
    return factories


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str = "coord@example.org", password: str = "correct horse"):
        factories.coordinator(email=email, password=password)
        return self._client.post(
            "/coordinator/login", data={"email": email, "password": password}
        )

    def logout(self):
        return self._client.post("/coordinator/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def live_server(app_config) -> Iterator[str]:
    """The app served on 127.0.0.1 by a real HTTP server in a thread, with CSRF on."""
    app_config = {**app_config, "WTF_CSRF_ENABLED": True}
    app = create_app(app_config)
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> str:
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS

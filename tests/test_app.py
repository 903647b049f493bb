from scheduler import create_app


def test_config_comes_from_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["SECRET_KEY"] == "from-env"


def test_coordinator_pages_require_login(client):
    response = client.get("/coordinator/")
    assert response.status_code == 302
    assert "/coordinator/login" in response.headers["Location"]


def test_coordinator_logs_in_with_the_right_password_only(client, make, app):
    make.coordinator(email="c@example.org", password="right password")
    wrong = client.post("/coordinator/login", data={"email": "c@example.org", "password": "nope"})
    assert b"Email or password is wrong." in wrong.data
    right = client.post(
        "/coordinator/login", data={"email": "c@example.org", "password": "right password"}
    )
    assert right.status_code == 302
    assert client.get("/coordinator/").status_code == 200


def test_login_refuses_to_redirect_off_site(client, make):
    make.coordinator(email="c@example.org", password="right password")
    response = client.post(
        "/coordinator/login?next=https://evil.example/",
        data={"email": "c@example.org", "password": "right password"},
    )
    assert response.headers["Location"] == "/coordinator/"


def test_create_coordinator_command_reads_password_from_environment(runner, monkeypatch):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "long enough")
    result = runner.invoke(args=["create-coordinator", "New@Example.org"])
    assert result.exit_code == 0, result.output
    assert "new@example.org can now log in" in result.output


def test_create_coordinator_refuses_a_bad_email(runner, monkeypatch):
    monkeypatch.setenv("COORDINATOR_PASSWORD", "long enough")
    result = runner.invoke(args=["create-coordinator", "not-an-email"])
    assert result.exit_code == 2
    assert "EMAIL" in result.output


def test_commands_before_the_first_migration_say_to_run_db_upgrade(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite'}"}
    )
    runner = app.test_cli_runner()
    for args in (["tour", "list"], ["demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert "run `flask --app wsgi db upgrade` first" in result.output


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").get_data(as_text=True)

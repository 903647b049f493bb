import pytest

from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import Tour


@pytest.fixture
def app_config(app_config, tmp_path):
    """Backups here are of SQLite, whatever database the rest of the suite runs on."""
    return {**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'backed-up.sqlite'}"}


def test_backup_then_restore_brings_back_the_saved_data(app, runner, make, tmp_path):
    make.tour(name="Kept tour", slug="kept")
    snapshot = tmp_path / "snapshot.sqlite"
    result = runner.invoke(args=["backup", str(snapshot)])
    assert result.exit_code == 0, result.output

    make.tour(name="Added later", slug="later")
    result = runner.invoke(args=["restore", str(snapshot), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    slugs = db.session.execute(db.select(Tour.slug)).scalars().all()
    assert slugs == ["kept"]


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    existing = tmp_path / "existing.sqlite"
    existing.write_text("precious")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert existing.read_text() == "precious"


def test_restore_refuses_a_file_that_is_not_a_database(runner, make, tmp_path):
    make.tour(slug="still-here")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1
    assert "not a sound SQLite database" in result.output
    assert db.session.execute(db.select(Tour.slug)).scalars().all() == ["still-here"]


POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture
def scratch_postgres():
    """A database of this test's own on the local PostgreSQL server (the CI machine has one)."""
    import psycopg

    name = "backup_round_trip"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    yield f"{POSTGRES_SERVER}/{name}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_then_restore_on_postgresql_with_the_apps_own_database_url(
    app_config, scratch_postgres, tmp_path
):
    from flask_migrate import upgrade

    from tests import factories

    app = create_app({**app_config, "DATABASE_URL": scratch_postgres})
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        factories.tour(name="Kept tour", slug="kept")
        dump = tmp_path / "tour.dump"
        result = runner.invoke(args=["backup", str(dump)])
        assert result.exit_code == 0, result.output
        factories.tour(name="Added later", slug="later")
        result = runner.invoke(args=["restore", str(dump), "--yes"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        assert db.session.execute(db.select(Tour.slug)).scalars().all() == ["kept"]
        db.session.remove()
        db.engine.dispose()

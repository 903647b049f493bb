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


def test_backup_of_postgresql_explains_pg_dump_instead(tmp_path):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": "postgresql+psycopg://user@127.0.0.1:5432/tour"}
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "dump")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert not (tmp_path / "dump").exists()

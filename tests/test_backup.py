from scheduler.extensions import db
from scheduler.models import Tour


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

"""The Flask application factory: configuration, extensions, blueprints, CLI."""

import os

from flask import Flask, g

from scheduler import audit, config
from scheduler.extensions import babel, compress, csrf, db, login_manager, migrate
from scheduler.solving import executors
from scheduler.web import (
    error_pages,
    favicon,
    health,
    limits,
    outages,
    proxy,
    redaction,
    request_bounds,
    security,
    sqlite,
)

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.path.join(PROJECT_ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    if test_config is None:
        config.load(app.config, app.instance_path)
    else:
        app.config.from_mapping(config.defaults(app.instance_path))
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", config.engine_options(app.config["DATABASE_URL"])
    )
    os.makedirs(app.instance_path, exist_ok=True)
    request_bounds.init_app(app)
    proxy.init_app(app)

    db.init_app(app)
    with app.app_context():
        sqlite.configure(db.engine)
    migrate.init_app(
        app, db, directory=os.path.join(PROJECT_ROOT, "migrations"), render_as_batch=True
    )
    login_manager.init_app(app)
    login_manager.login_view = "coordinator.login"
    csrf.init_app(app)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", os.path.join(PROJECT_ROOT, "translations")
    )
    babel.init_app(app, locale_selector=lambda: g.get("locale", "en"))
    # Pages are compressed whole; streamed responses (static files) are left as they are, since
    # compressing them chunk by chunk leaves the file open.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)

    from scheduler import models  # noqa: F401  (tables must be known to Alembic)
    from scheduler.cli import init_app as init_cli
    from scheduler.coordinator import bp as coordinator_bp
    from scheduler.feeds import bp as feeds_bp
    from scheduler.public import bp as public_bp
    from scheduler.speakers import bp as speakers_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(coordinator_bp, url_prefix="/coordinator")
    app.register_blueprint(feeds_bp, url_prefix="/feeds")
    app.register_blueprint(speakers_bp, url_prefix="/speaker")
    audit.init_app(app)
    favicon.init_app(app)
    health.init_app(app)
    error_pages.init_app(app)
    outages.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    redaction.install_log_filter(app.logger)
    init_cli(app)
    executors.init_app(app)
    return app

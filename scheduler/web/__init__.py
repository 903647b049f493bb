"""Cross-cutting request handling: security headers, rate limits, health, log redaction,
gunicorn's logger and SQLite's connection pragmas. Each is installed by the app factory."""

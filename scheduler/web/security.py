"""Security settings every response and every start-up goes through.

Tokens in URLs are the only key to a chapter's request and a speaker's schedule, so no page sends
a Referer, and pages cannot be framed. Scripts only come from our own static files.
"""

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
INSECURE_SECRET_KEYS = {"", "dev", "change-me", "test-secret"}


class InsecureConfigurationError(RuntimeError):
    pass


def check_production_config(app: Flask) -> None:
    """Refuse to run in production with a default, missing or short SECRET_KEY."""
    if app.config.get("ENV") != "production":
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret in INSECURE_SECRET_KEYS or len(secret) < 32:
        raise InsecureConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )


def init_app(app: Flask) -> None:
    production = app.config.get("ENV") == "production"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=production,
    )
    check_production_config(app)

    @app.before_request
    def refuse_nul_in_urls() -> None:
        """No address names anything with a NUL in it, and PostgreSQL cannot even compare text
        holding one: such a token, slug or parameter is not found rather than a server error."""
        if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
            abort(404)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

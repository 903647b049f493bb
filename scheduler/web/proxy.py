"""Behind a reverse proxy (deploy/nginx.conf) every request comes from 127.0.0.1: rate limits
would count all visitors as one. With ``TRUSTED_PROXIES`` set to the number of proxies in front,
the visitor's address and scheme are taken from the X-Forwarded-For and X-Forwarded-Proto
headers those proxies set. Left at 0 without a proxy, since a visitor could then write the
header himself and pick the address his requests are counted under.
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

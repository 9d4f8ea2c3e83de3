"""Behind a reverse proxy (`TRUSTED_PROXIES`): the caller's address and scheme come from
the proxy's X-Forwarded-* headers; without it those headers are ignored."""

from __future__ import annotations

from flask import request, url_for

FORWARDED = {
    "X-Forwarded-For": "198.51.100.23",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "mentoring.example.be",
}


def seen_by(app) -> dict:
    @app.get("/_seen")
    def seen():
        return {
            "address": request.remote_addr,
            "scheme": request.scheme,
            "home": url_for("coalition.home", lang_code="en", _external=True),
        }

    return app.test_client().get("/_seen", headers=FORWARDED).json


def test_with_one_trusted_proxy_the_platform_sees_the_caller(make_app):
    assert seen_by(make_app(TRUSTED_PROXIES=1)) == {
        "address": "198.51.100.23",
        "scheme": "https",
        "home": "https://mentoring.example.be/en/",
    }


def test_without_trusted_proxies_the_headers_are_ignored(make_app):
    assert seen_by(make_app()) == {
        "address": "127.0.0.1",
        "scheme": "http",
        "home": "http://localhost/en/",
    }

"""What an app answers when one of its routes fails unexpectedly."""

from __future__ import annotations


def failing_route_answer(make_app, path: str):
    """What an app answers at `path`, a route that raises `RuntimeError("secret internals")`."""
    app = make_app()

    @app.get(path)
    def boom():
        raise RuntimeError("secret internals")

    return app.test_client().get(path)

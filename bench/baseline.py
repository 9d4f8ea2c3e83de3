"""The bare-Flask baseline: the cheapest JSON answer Flask can give on this machine.

Served by the same gunicorn settings as the platform and loaded in the same run, so each
row's `ratio` says how much of the machine's plain-Flask throughput the platform keeps.
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/ping")
def ping():
    """A small JSON document."""
    return jsonify(status="ok")

"""The core's rows: the home page and the liveness probe."""

from bench.scenarios import Scenario, register

register(Scenario("home", path="/en/", description="GET /en/: the public home page, rendered"))
register(Scenario("healthz", path="/healthz", description="GET /healthz: the process is up"))

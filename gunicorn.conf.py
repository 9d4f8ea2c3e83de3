"""gunicorn's settings for the platform: the container's and `make bench`'s.

    gunicorn -c gunicorn.conf.py            # serves wsgi:app
    WEB_CONCURRENCY=4 GUNICORN_BIND=0.0.0.0:8000 gunicorn -c gunicorn.conf.py

Every value can be changed by an environment variable, read in coalition/config.py
(`server_settings`) like the platform's own configuration; a command-line flag wins
over both. The README's Configuration table lists them.
"""

import os
import shutil
import tempfile

from coalition.config import server_settings

settings = server_settings()

# Metrics: prometheus-client's multi-process mode must be chosen before it is imported,
# and every worker must write to the same folder. Without PROMETHEUS_MULTIPROC_DIR a
# fresh temporary folder is made (and removed on exit); a given one is emptied at start,
# since files left by an earlier server would be added to this one's counts.
_made_multiproc_dir = not settings["PROMETHEUS_MULTIPROC_DIR"]
multiproc_dir = settings["PROMETHEUS_MULTIPROC_DIR"] or tempfile.mkdtemp(prefix="bmp-metrics-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = multiproc_dir

from prometheus_client import multiprocess  # noqa: E402 - after the folder is chosen

from coalition.malloc import limit_malloc_arenas  # noqa: E402
from coalition.observability.gunicorn_logger import PlatformLogger  # noqa: E402
from coalition.observability.logs import gunicorn_logconfig  # noqa: E402

#: the application (the command line may name another, as the bench's baseline does)
wsgi_app = "wsgi:app"

#: where to listen (GUNICORN_BIND). 127.0.0.1:8000 outside a container: only the reverse
#: proxy on the same machine reaches it. The image sets 0.0.0.0:8000 (the proxy is
#: another container; compose publishes the port on the host's loopback only).
bind = settings["bind"]

#: worker processes (WEB_CONCURRENCY, default 2). Each is a copy of the platform with
#: its own database pool; 2–4 per core. Two or more also mean a worker that dies or
#: restarts leaves another serving.
workers = settings["workers"]

#: threads per worker (GUNICORN_THREADS, default 4): the gthread worker serves that many
#: requests at once per process, which covers requests that wait on the database, the
#: search engine or a webhook receiver without needing more processes (memory).
worker_class = "gthread"
threads = settings["threads"]

#: seconds a worker may stay silent before the master kills and replaces it
#: (GUNICORN_TIMEOUT, default 30): longer than the slowest legitimate request (a bulk
#: HSDS export, an Elasticsearch call that times out after 10 s).
timeout = settings["timeout"]

#: seconds a worker gets to finish its requests after SIGTERM (a deploy, a restart)
#: before it is killed (GUNICORN_GRACEFUL_TIMEOUT, default 30).
graceful_timeout = settings["graceful_timeout"]

#: seconds an idle keep-alive connection stays open (GUNICORN_KEEPALIVE, default 5);
#: keep it below the reverse proxy's upstream keep-alive timeout.
keepalive = settings["keepalive"]

#: addresses whose X-Forwarded-Proto (and Forwarded) headers gunicorn believes
#: (FORWARDED_ALLOW_IPS, default 127.0.0.1,::1 — a proxy on the same machine). Set it to
#: the proxy's address, or "*" when only the proxy can reach gunicorn (compose: the
#: port is published on the host's loopback). The platform itself reads X-Forwarded-For
#: and -Host through ProxyFix when TRUSTED_PROXIES says how many proxies are in front.
forwarded_allow_ips = settings["forwarded_allow_ips"]

#: gunicorn's own log level (GUNICORN_LOG_LEVEL, default info). The platform's lines
#: follow LOG_LEVEL and LOG_FORMAT; with LOG_FORMAT=json gunicorn's lines are JSON too.
loglevel = settings["loglevel"]
logconfig_dict = gunicorn_logconfig(settings["LOG_FORMAT"])

#: no access log: it would show each path and query string (tokens in invitation links,
#: words typed in a search). The platform writes one line per request instead, with the
#: route's rule, status, duration and request id (logger `coalition.requests`).
accesslog = None


#: gunicorn's logger without an access log at all (see the class)
logger_class = PlatformLogger

#: no control socket (gunicorn 24+): its default path is per user, not per server, so two
#: servers on one machine (the bench's platform and baseline) would fight over it
control_socket_disable = True

#: the workers' heartbeat files in memory rather than on the container's overlay disk,
#: where a slow write can look like a hung worker
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def on_starting(server):
    """Empty the metrics folder; say when PUBLIC_URL implies a proxy the app ignores."""
    for name in os.listdir(multiproc_dir):
        if name.endswith(".db"):
            os.remove(os.path.join(multiproc_dir, name))
    # PUBLIC_URL is the address members' systems call and tokens name as issuer; with
    # https there, something terminates TLS in front of gunicorn, and unless the
    # platform trusts its X-Forwarded-* headers it sees plain http and the proxy's address.
    if settings["PUBLIC_URL"].startswith("https://") and not settings["TRUSTED_PROXIES"]:
        server.log.warning(
            "PUBLIC_URL is https but TRUSTED_PROXIES is 0: behind a TLS proxy, set "
            "TRUSTED_PROXIES=1 so that the platform sees https and the callers' addresses"
        )


def post_fork(server, worker):
    """Cap the worker's malloc arenas before its threads start (MALLOC_ARENA_MAX, default
    2; 0 leaves glibc's default of eight per core): `coalition.malloc` says why."""
    limit_malloc_arenas(settings["malloc_arena_max"])


def child_exit(server, worker):
    """Forget a dead worker's live values (its counts stay in the totals)."""
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder if this server made it."""
    if _made_multiproc_dir:
        shutil.rmtree(multiproc_dir, ignore_errors=True)

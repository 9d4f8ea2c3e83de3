# syntax=docker/dockerfile:1
# The platform's image: one image for the web (gunicorn), the worker (`flask worker`) and
# the one-shot migration (`flask db upgrade heads`); compose.yaml runs all three.
#
#   docker build -t mentoring-platform .
#
# Two stages: `build` installs the runtime dependencies into a virtualenv and compiles the
# message catalogues; the final stage copies only those, and runs as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build ---------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app

# The runtime dependencies only: [project].dependencies of pyproject.toml, never the dev
# extras (pytest, playwright, linters). Copied first, so that a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The code runs from /app, as in a checkout (templates/ and migrations/ sit beside the parts).
COPY wsgi.py gunicorn.conf.py babel.cfg LICENSE ./
COPY coalition ./coalition
COPY search ./search
COPY federation ./federation
COPY policy_briefs ./policy_briefs
COPY templates ./templates
COPY migrations ./migrations
COPY scripts/i18n.py ./scripts/i18n.py

# Compiled catalogues (.mo, not in git) and byte code (the final user cannot write here).
RUN python scripts/i18n.py compile \
    && python -m compileall -q coalition search federation policy_briefs migrations wsgi.py

# --- runtime -------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FLASK_APP=wsgi \
    PLATFORM_ENV=production \
    GUNICORN_BIND=0.0.0.0:8000 \
    INSTANCE_PATH=/var/lib/platform
# WeasyPrint draws the policy briefs' PDF with Debian's pango (the Makefile's PANGO list);
# the PDF's own fonts are vendored. Distribution packages follow the base image's release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 platform \
    && useradd --system --uid 10001 --gid platform --home-dir /var/lib/platform \
        --no-create-home --shell /usr/sbin/nologin platform \
    && install -d -o platform -g platform -m 0750 /var/lib/platform
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# A worker loads WeasyPrint with its first PDF: the build checks now that it can.
RUN python -c "import weasyprint"
# Numeric, so that a runtime can tell it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000

# The process is up (GET /healthz). Readiness (database, search engine, Redis) is /readyz,
# for the load balancer; a container is not restarted because the database is away.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py"]

# The two commands: `make run` (set up and serve the embedded platform) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 5000
#: the address member systems and mails use (token issuer, `aud` of client assertions):
#: where `make run` serves, unless given (`make run PUBLIC_URL=https://…`)
PUBLIC_URL ?= http://$(HOST):$(PORT)

#: pytest's options: one process per core (pytest-xdist, at most 4), each with its own
#: databases, index folders and browser; `make test PYTEST_ARGS=` runs in one process
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist worksteal

#: what WeasyPrint needs to draw the policy briefs' PDF (the PDF's fonts are vendored)
PANGO := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: run test setup translations migrate seed browser pango bench soak lint format clean

run: setup pango migrate seed  ## Set up everything and serve http://$(HOST):$(PORT) (embedded engines)
	DEMO_MODE=1 PUBLIC_URL='$(PUBLIC_URL)' $(FLASK) run --host $(HOST) --port $(PORT)

test: setup browser  ## Set up and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(STAMP) translations

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

translations: $(STAMP)  ## Compile the message catalogues
	$(PY) scripts/i18n.py compile

migrate: setup  ## Apply the database migrations
	$(FLASK) db upgrade

seed: migrate  ## Load the fictional demo coalition (idempotent), and index it afresh
	DEMO_MODE=1 PUBLIC_URL='$(PUBLIC_URL)' $(FLASK) demo seed
	@# a new index beside the old one: an index written by an older version (other fields)
	@# is replaced, not left refusing searches
	$(FLASK) search reindex

pango:  ## Debian's pango for the policy briefs' PDF (WeasyPrint)
	@dpkg -s $(PANGO) >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO) >/dev/null; }

browser: pango  ## Debian chromium, wrk and axe-core for the browser tests and benchmarks
	@command -v chromium >/dev/null && command -v wrk >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --silent --no-audit --no-fund

bench: setup browser migrate  ## Measure throughput and latency against the bare-Flask baseline
	$(PY) bench/run.py

soak: setup  ## The distributed layout under load while its parts fail (PostgreSQL, noida-db, redis-server)
	$(PY) bench/soak.py

lint: setup  ## ruff, and the part rules of DESIGN.md (import-linter contracts in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) instance node_modules .pytest_cache

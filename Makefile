# Myoplan. `make run` sets everything up and serves on 127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PY_OK := import sys; sys.exit(sys.version_info < (3, 11))

.PHONY: run setup test test-fast browser lint fmt check bench loadtest clean venv-python

# The virtualenv, made with Python 3.11 or newer. One made with an older Python is refused
# with a message, instead of failing later in pip.
$(BIN)/activate:
	@$(PYTHON) -c '$(PY_OK)' || { echo "Myoplan needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

venv-python:
	@$(BIN)/python -c '$(PY_OK)' 2>/dev/null || { echo "$(VENV) was made with an old or missing Python: run 'make clean', then make again." >&2; exit 1; }

# Running needs the app's own dependencies only; the tests add Playwright, pytest and ruff.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/activate venv-python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/activate venv-python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# A development .env (DEBUG=1, a generated SECRET_KEY) so manage.py commands work as the README
# shows them. Never overwritten; production sets its own environment.
.env:
	@printf '# Development settings written by make setup. Not for production.\nDEBUG=1\nSECRET_KEY=%s\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote a development .env (DEBUG=1)."

## run: install, migrate, load the catalogue, create the demo clinic, serve on $(HOST):$(PORT)
run: setup
	$(MANAGE) setup_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

setup: $(VENV)/.installed-run .env
	$(MANAGE) migrate --no-input
	$(MANAGE) load_catalogue

## browser: Debian's Chromium for the browser tests (Playwright's own download cannot work here)
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests." >&2; exit 1; fi; }

# axe-core for the accessibility checks in the browser tests (package.json, pinned).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "Install npm (sudo apt-get install npm) for the accessibility tests." >&2; exit 1; fi; }
	npm ci --no-audit --no-fund --silent
	touch $@

## test: install and run the whole suite (SQLite unless DATABASE_URL is set)
test: $(VENV)/.installed browser node_modules/.installed
	$(BIN)/pytest

## test-fast: the suite without the browser tests
test-fast: $(VENV)/.installed
	$(BIN)/pytest -m "not e2e"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check: migrations match the models
check: $(VENV)/.installed
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DEBUG=1 $(MANAGE) check

## bench: print the benchmark figures
bench: $(VENV)/.installed .env
	$(MANAGE) migrate --no-input
	$(MANAGE) load_catalogue
	$(BIN)/python bench/ranking.py
	$(BIN)/python bench/presentations.py --misses
	$(BIN)/python bench/plan_pdf.py

## loadtest: seed a busy clinic on PostgreSQL and print each page's figures under gunicorn + wrk
## (a few minutes; not part of `make test`). LOADTEST_DATABASE_URL names the database to use.
LOADTEST_DATABASE_URL ?= postgres://myoplan:myoplan@127.0.0.1:5432/myoplan_load
loadtest: $(VENV)/.installed .env
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else echo "Install Debian's wrk (sudo apt-get install wrk) for the load test." >&2; exit 1; fi; }
	DATABASE_URL=$(LOADTEST_DATABASE_URL) $(BIN)/python bench/loadtest.py --prepare $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

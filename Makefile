# Myoplan. `make run` sets everything up and serves on 127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-fast browser lint fmt check bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: install, migrate, load the catalogue, create the demo clinic, serve on $(HOST):$(PORT)
run: export DEBUG = 1
run: setup
	$(MANAGE) setup_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

setup: export DEBUG = 1
setup: $(VENV)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_catalogue

## browser: Debian's Chromium for the browser tests (Playwright's own download cannot work here)
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests." >&2; exit 1; fi; }

## test: install and run the whole suite (SQLite unless DATABASE_URL is set)
test: $(VENV)/.installed browser
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
bench: export DEBUG = 1
bench: setup
	$(BIN)/python bench/ranking.py
	$(BIN)/python bench/plan_pdf.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

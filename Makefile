# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint format install install-dev test-sqlite test-postgres bench bench-profile bench-render clean

$(BIN)/flask: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(BIN)/flask

install: $(BIN)/flask
install-dev: $(VENV)/.dev-installed

## Set up (venv, install, database) and serve the site on http://$(HOST):$(PORT)
run: $(BIN)/flask
	$(BIN)/flask --app blog db upgrade
	$(BIN)/flask --app blog run --host $(HOST) --port $(PORT)

## ruff (lint and format) and mypy (strict) on blog/
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: install-dev
	$(BIN)/python -m pytest -n 2

test-postgres: install-dev
	@if $(BIN)/python -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', 5432)))"; then \
		echo "== PostgreSQL answers at 127.0.0.1:5432: running the database tests against it"; \
		BLOG_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 -m "not browser and not slow"; \
	else \
		echo "== SKIPPED PostgreSQL run: nothing answers at 127.0.0.1:5432"; \
	fi

## Lint, then the whole suite on SQLite, then again on PostgreSQL when it answers
test: lint test-sqlite test-postgres

## Load benchmark beside nginx (builds a site, starts gunicorn + nginx, runs wrk;
## installs nginx and wrk with apt-get when missing); results in bench/results/
bench: install-dev
	$(BIN)/python -m bench.load $(BENCH_ARGS)

## Where a worker's time goes on the article page (py-spy; page cache off and on)
bench-profile: install-dev
	$(BIN)/python -m bench.load --profile $(BENCH_ARGS)

## In-process render times and query counts of the public pages (no servers)
bench-render: install-dev
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache

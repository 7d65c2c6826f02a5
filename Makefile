# Mind Quest. Two commands: `make run` serves the app, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

.PHONY: help venv install install-dev run test lint migrate bank bench screenshots clean

help:
	@echo "make run    set up, migrate, load the question bank and serve on http://$(HOST):$(PORT)"
	@echo "make test   install dev tools, lint, check migrations and the API schema, run the suite"
	@echo "make bench  throughput and latency on PostgreSQL (see bench/README.md)"

# A Python >= 3.12 virtual environment (rebuilt if it holds an older Python).
venv:
	@scripts/ensure-venv $(VENV)

# Requirements install again only when their files change.
$(VENV)/.installed: requirements.txt | venv
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | venv
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --noinput

bank: migrate
	$(MANAGE) load_question_bank

run: bank
	@echo "Mind Quest on http://$(HOST):$(PORT)  (admin: $(PY) manage.py createsuperuser)"
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	@scripts/ensure-chromium
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Throughput and latency on PostgreSQL, empty and with 100k learners (see bench/README.md).
bench: install-dev
	@bench/ensure-wrk
	$(PY) bench/run.py

# Screenshots of every page at phone and desktop widths, into docs/screenshots (needs `make test`'s set-up).
screenshots: install-dev bank
	@scripts/ensure-chromium
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles

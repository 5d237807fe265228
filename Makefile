# My Key Worker. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export MKW_ENV ?= development
# Line and branch coverage of webapp/ that `make test` requires: raise it as tests are added.
COVERAGE_FLOOR := 91

.DEFAULT_GOAL := help
.PHONY: help install assets db demo run test test-fast lint format translations bench load clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Install Python and npm packages

assets: $(VENV)/.installed node_modules/.installed ## Build CSS, JS, fonts and pictures into static/dist (reads the NHS.UK Jinja templates in .venv)
	node scripts/build-assets.mjs

translations: $(VENV)/.installed ## Extract strings, update the .po files, build the .mo files and check every translation
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d translations
	$(PY) scripts/check_translations.py

compile-translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations

db: install compile-translations ## Run the database migrations (SQLite under instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

demo: db ## Load the demo data when the database is empty
	$(FLASK) demo load --if-empty

run: install assets demo ## Install, build, migrate, load demo data and serve on HOST:PORT
	$(FLASK) demo accounts
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install assets compile-translations ## Run the whole suite, browser and accessibility tests included
	bash scripts/ensure-chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	npm run --silent lint
	$(VENV)/bin/pytest --cov --cov-report=term -n 2 --dist worksteal --cov-fail-under=$(COVERAGE_FLOOR) --durations=25

test-fast: install assets compile-translations ## Run the suite without the browser tests
	$(VENV)/bin/pytest -m "not browser"

lint: install ## Check code style, types, import contracts, JavaScript and Sass
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	npm run --silent lint

format: install ## Format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install assets compile-translations scripts/lighthouse/node_modules/.installed ## Page weight, requests per second, latency and Lighthouse under gunicorn
	$(PY) scripts/bench.py

# Lighthouse for the bench only: its own lock file, so `make test` never installs it.
scripts/lighthouse/node_modules/.installed: scripts/lighthouse/package-lock.json
	npm ci --prefix scripts/lighthouse --no-audit --no-fund
	touch $@

load: install compile-translations ## 200 families + 20 staff for 2 minutes against gunicorn, PostgreSQL, Redis and 2 workers
	$(PY) scripts/load.py

clean: ## Remove what the build made (keeps the database)
	rm -rf static/dist node_modules/.installed $(VENV)/.installed

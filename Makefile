# Two commands do everything on a fresh machine with Python 3.11:
#   make run    start the portal (web, Celery worker and beat) with policies and demo data
#   make test   run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-quick setup install messages bench lint clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Translations are committed compiled (.mo), so a machine without gettext runs the
# portal. The .po files are their one source: `make messages` adds new strings from the
# code to them, lists what is untranslated, and compiles (bin/compile-translations).
messages: install
	$(MANAGE) makemessages -l zh_Hans -l en --ignore=.venv --ignore=static --ignore=var -v 0
	$(PY) bin/compile-translations

# What the loaders counted goes to var/log/setup.log; bin/run-local says where everything is.
setup: install
	@mkdir -p var/log
	@echo "Preparing the database, policies and demo data (details in var/log/setup.log) …"
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) load_policies >var/log/setup.log
	@$(MANAGE) load_demo >>var/log/setup.log
	@$(MANAGE) collectstatic --noinput -v 0

run: setup
	@HOST=$(HOST) PORT=$(PORT) bin/run-local

# The suite runs in one process per core (pytest-xdist; TEST_WORKERS=0 for one process).
# A developer's test database is kept between runs, with new migrations applied as they
# come; CI (CI=true) creates it afresh and runs every Hypothesis example (tests/properties.py).
TEST_WORKERS ?= auto
TEST_DATABASE := $(if $(filter true,$(CI)),--create-db,--reuse-db)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(TEST_DATABASE) $(PYTEST_ARGS)

# A developer's loop between edits: every test but the browser ones and the slow ones that start
# throwaway deployments, crawl every page or generate registers (about 1½ minutes on SQLite);
# `make test` runs them all.
test-quick: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(TEST_DATABASE) -m "not browser and not slow" $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check . && $(VENV)/bin/lint-imports --no-cache && $(VENV)/bin/mypy

clean:
	rm -rf var/portal.sqlite3* var/test-portal.sqlite3* var/broker var/cache var/staticfiles var/celerybeat-schedule*

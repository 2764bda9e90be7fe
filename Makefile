# Lindung: `make run` sets everything up and serves the Mesuji demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run setup install messages messages-project test test-sqlite test-postgres lint format bench clean

run: setup
	@echo "Lindung is served on http://127.0.0.1:$(PORT) (Ctrl+C stops it)."
	$(MANAGE) runserver 127.0.0.1:$(PORT)

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_regions
	$(MANAGE) seed_demo

install: $(VENV)/.installed messages

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Translations are compiled from the committed .po files with Babel (no system gettext needed).
messages: $(VENV)/.installed
	@for po in $$(find lindung -path '*/locale/*/LC_MESSAGES/django.po'); do \
		$(BIN)/pybabel -q compile -i $$po -o $${po%.po}.mo || exit 1; \
	done

# The whole suite on SQLite, then again on PostgreSQL when a server answers on PG_HOST:PG_PORT
# (pytest creates test_<name> of TEST_POSTGRES_URL). Both passes run; either failing fails.
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
TEST_POSTGRES_URL ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/lindung

# Re-extract the project catalogue (lindung/locale: base templates, lindung/lib, settings) after
# changing those files; each app extracts its own from its directory (see docs/translations.md).
messages-project: $(VENV)/.installed
	cd lindung && ../$(BIN)/django-admin makemessages -l id -l en --no-obsolete \
		$$(for app in */apps.py; do echo --ignore=$${app%/apps.py}; done)

test: install
	@status=0; \
	echo "== Test suite on SQLite"; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	if $(BIN)/python -c "import socket; socket.create_connection(('$(PG_HOST)', $(PG_PORT)), 3)" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(PG_HOST):$(PG_PORT))"; \
		$(MAKE) --no-print-directory test-postgres || status=1; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "FAILED: no PostgreSQL server answers on $(PG_HOST):$(PG_PORT), and under CI=true the PostgreSQL pass may not be skipped."; \
		status=1; \
	else \
		echo "SKIPPED the PostgreSQL pass: no server answers on $(PG_HOST):$(PG_PORT). Start one (e.g. pg_ctlcluster <version> main start) and run 'make test-postgres'."; \
	fi; \
	exit $$status

test-sqlite: install
	DJANGO_ENV=test DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	DJANGO_ENV=test DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_ENV=test $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var

# Lindung: `make run` sets everything up and serves the Mesuji demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
comma := ,
MANAGE := $(BIN)/python manage.py

.PHONY: run serve setup install install-runtime lock messages messages-project test test-sqlite test-postgres lint format bench clean

# The quick demo: Django's development server, one task worker (imports) and the scheduler.
run: setup
	@echo "Lindung is served on http://127.0.0.1:$(PORT) (Ctrl+C stops it)."
	$(MANAGE) serve --runserver --task-workers 1 --port $(PORT)

# Production style (docs/deploy.md): gunicorn + WhiteNoise, TASK_WORKERS task workers and the
# scheduler under one supervisor, DEBUG off. Without DJANGO_ENV=production it serves the demo
# database on http://127.0.0.1:$(PORT); with it, migrates and serves what DATABASE_URL holds.
# A checkout with the development set installed uses it; otherwise only the runtime set.
SERVE_INSTALL := $(if $(wildcard $(VENV)/.installed),install,install-runtime)
SERVE_ENV := DEBUG=false STATIC_HASHED=true
serve: $(SERVE_INSTALL)
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	@if [ "$${DJANGO_ENV:-development}" != production ]; then \
		$(SERVE_ENV) $(MANAGE) load_regions && $(SERVE_ENV) $(MANAGE) seed_demo; fi
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(SERVE_ENV) exec $(MANAGE) serve --port $(PORT)

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_regions
	$(MANAGE) seed_demo

# Development and tests: the runtime set plus test tools (requirements/dev.txt repeats runtime's pins).
install: $(VENV)/.installed messages

# A `.venv` left as a link to a directory that no longer exists is removed, never followed.
$(VENV)/.installed: requirements/dev.txt requirements/runtime.txt
	@if [ -L $(VENV) ] && [ ! -e $(VENV) ]; then rm $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	rm -f $(VENV)/.runtime-installed
	touch $@

# A server: only what runs (requirements/runtime.txt), then the compiled translations.
install-runtime: $(VENV)/.runtime-installed
	@for po in $$(find lindung -path '*/locale/*/LC_MESSAGES/django.po'); do \
		$(BIN)/pybabel -q compile -i $$po -o $${po%.po}.mo || exit 1; \
	done

$(VENV)/.runtime-installed: requirements/runtime.txt
	@if [ -L $(VENV) ] && [ ! -e $(VENV) ]; then rm $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/runtime.txt
	touch $@

# Regenerate both locks (with hashes) after editing requirements/runtime.in or requirements/dev.in.
# Versions already locked stay unless the .in asks otherwise; UPGRADE=1 takes the newest allowed.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.11 \
	$(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed
	$(UV_COMPILE) requirements/runtime.in -o requirements/runtime.txt
	$(UV_COMPILE) requirements/dev.in -o requirements/dev.txt

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
	$(BIN)/lint-imports --no-logo --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `make bench SIZES=100000,1000000 ENGINES=sqlite,postgresql BENCH=export,dashboards`: every
# option may be left out (each benchmark's defaults; BENCH names bench/bench_<name>.py files).
bench: install
	$(if $(SIZES),LINDUNG_BENCH_SIZES=$(SIZES)) $(if $(ENGINES),LINDUNG_BENCH_ENGINES=$(ENGINES)) \
		$(BIN)/python bench/run.py $(subst $(comma), ,$(BENCH))

clean:
	rm -rf $(VENV) var

# Lindung: `make run` sets everything up and serves the Mesuji demo; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run setup install messages test test-postgres lint format bench clean

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
		$(BIN)/pybabel compile -i $$po -o $${po%.po}.mo >/dev/null || exit 1; \
	done

test: install
	DJANGO_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	DJANGO_ENV=test DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/lindung} \
		$(BIN)/pytest $(PYTEST_ARGS)

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

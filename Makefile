# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint migration bench browser-deps translations probe-slow-clients

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Compiled message catalogues: remade from each .po when it changes. The .mo files are committed
# too, so a deploy without make (pip install + gunicorn) still speaks Korean.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

## Re-extract the speaker-facing strings (babel.cfg) and merge them into every catalogue
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width 100 --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations --statistics

## Install, migrate, load the demo into an empty database, serve on http://127.0.0.1:5000
run: $(VENV)/.installed $(CATALOGUES)
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

## Debian's Chromium (and CJK fonts for Korean pages) for the browser tests
browser-deps:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || \
	  { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

POSTGRES_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

## Dev requirements, ruff, and the whole pytest suite including browser tests; then the suite
## again on PostgreSQL when a server answers on 127.0.0.1:5432 (database test), less the browser
## tests and the solver library's own tests (tests/solver: no database in them)
test: $(VENV)/.installed-dev $(CATALOGUES) browser-deps lint
	$(BIN)/pytest -q
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(subst +psycopg,,$(POSTGRES_TEST_URL))', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers: running the suite on it too"; \
	  TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -q -m "not browser" --ignore=tests/solver; \
	else echo "No PostgreSQL on 127.0.0.1:5432: the suite ran on SQLite only"; fi

## Regenerate the initial migration after a model change (no database has been deployed yet)
migration: $(VENV)/.installed
	rm -f migrations/versions/*.py /tmp/scheduler-migration.sqlite
	DATABASE_URL=sqlite:////tmp/scheduler-migration.sqlite $(FLASK) db migrate -m "initial schema"
	rm -f /tmp/scheduler-migration.sqlite

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run

## Slow clients against gunicorn alone and nginx+gunicorn (needs nginx); figures in bench/NOTES.md
probe-slow-clients: $(VENV)/.installed
	$(BIN)/python bench/slow_clients.py

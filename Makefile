# Stagekans — two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test venv messages makemessages lint typecheck schema check-deploy ci clean bench screenshots theme

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is nodig"' 
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

messages: venv
	$(BIN)/python scripts/compile_messages.py

## make run: fresh machine → venv, migrate the embedded SQLite database, demo data once, serve.
run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) demo_logins
	@echo "Stagekans draait op http://127.0.0.1:8000  (stoppen: Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:8000

## make test: the whole suite (PostgreSQL when DATABASE_URL is set; browser tests use /usr/bin/chromium).
test: messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy src/stagekans

schema: venv
	DJANGO_SETTINGS_MODULE=stagekans.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml

## Refresh .po files from the source (needs GNU gettext: apt-get install gettext).
makemessages: venv
	cd src/stagekans && ../../$(BIN)/django-admin makemessages -l en --no-obsolete --ignore 'static/*' --settings stagekans.settings.test --pythonpath ..

## make screenshots: the main page of each role, desktop and mobile, into docs/screenshots/.
screenshots: messages
	$(BIN)/python scripts/screenshots.py

## make theme: regenerate static/stagekans/stagekans-theme.css from core/theme/tokens.json.
theme:
	$(BIN)/python scripts/build_theme.py

bench: venv
	$(BIN)/python bench/matching.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# ops: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install translations run serve test test-fast lint format browser bench bench-inprocess bench-plans loadtest bench-import i18n map-data vocab-table clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## compiled catalogues (.mo) are built, not committed
translations: install
	$(BIN)/pybabel -q compile -d ops/translations

## make map-data: rebuild static/map/countries.json (Natural Earth via npm world-atlas) and vendor Leaflet
## under static/vendor/leaflet/ (needs node and npm; the results are committed, so nothing else needs them)
MAP_BUILD := build/map-data
map-data:
	mkdir -p $(MAP_BUILD)
	cp ops/data/map/build.mjs ops/data/map/package.json $(MAP_BUILD)/
	cd $(MAP_BUILD) && npm install --no-audit --no-fund --silent
	cd $(MAP_BUILD) && node build.mjs node_modules $(CURDIR)/static

## make i18n: extract every user-facing string and update the uz/ru/en catalogues
i18n: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 --no-location --sort-output \
	  -o ops/translations/messages.pot .
	$(BIN)/pybabel -q update -i ops/translations/messages.pot -d ops/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d ops/translations
	$(BIN)/python -m ops.vocab_table

## make vocab-table: rewrite ops/translations/vocabulary.md, every vocabulary term with its ru and uz translation
vocab-table: install
	$(BIN)/python -m ops.vocab_table

## make run: install, migrate the SQLite database, load the demo (it prints this database's logins once), then the URL last, and serve
run: translations
	$(BIN)/ops db upgrade
	$(BIN)/ops demo
	@echo ""
	@echo "ops is starting at http://$(HOST):$(PORT)/login"
	@echo ""
	$(BIN)/ops serve --host $(HOST) --port $(PORT)

## the system Chromium that the browser tests drive (Debian's package; Playwright's download cannot work offline)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## make lint: ruff (lint and format) and import-linter (the floors of README "Architecture", no import cycles)
LINTED := ops tests bench migrations
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports --config pyproject.toml

## make format: apply ruff's fixes and formatter
format: install
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

## make test: lint, then install, run bandit (no medium/high findings) and the whole suite (SQLite unless DATABASE_URL names a PostgreSQL database)
test: lint translations browser
	$(BIN)/bandit -q -c pyproject.toml -r ops --severity-level medium
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

## make bench: load BENCH_ROWS generated seizures through `ops import` (kept under bench-data/, reused), owned by
## several agencies and by one, then the analysts' pages over HTTP against `ops serve` (gunicorn, 2 workers) beside
## Datasette over the same rows, on SQLite and PostgreSQL (BENCH_DATABASE_URL + _<owners>_<rows>); BENCH_ARGS for more;
## last, the conflict check of planned operations at 10,000 plans on both databases
BENCH_ROWS ?= 1000000
BENCH_ARGS ?=
bench: translations
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.http_bench --rows $(BENCH_ROWS) $(BENCH_ARGS)
	$(BIN)/python -m bench.plans_bench --plans 10000 --database both

## make bench-plans: the conflict check of planned operations against 10,000 active plans (SQLite), p50/p95
bench-plans: translations
	$(BIN)/python -m bench.plans_bench --plans 10000

## make bench-inprocess: the same data, the pages through the Flask test client (the HTTP figures' second column)
bench-inprocess: translations
	$(BIN)/python -m bench.search_bench --rows $(BENCH_ROWS) --database sqlite
	$(BIN)/python -m bench.search_bench --rows $(BENCH_ROWS) --database postgresql

## make loadtest: Locust's analysts and team leads against 4 `ops serve` processes on one PostgreSQL and Redis
## (LOADTEST_ARGS, e.g. --seconds 30 --rows 10000, or --replica for a primary and a replica cluster of its own)
LOADTEST_ARGS ?=
loadtest: translations
	$(BIN)/pip install --quiet -e '.[loadtest]'
	$(BIN)/python -m bench.loadtest.run $(LOADTEST_ARGS)

## make bench-import ROWS=1000000: generate ROWS rows and time their import (a temporary SQLite file, or DATABASE_URL)
ROWS ?= 100000
bench-import: install
	$(BIN)/python bench/import_bench.py --rows $(ROWS)

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not browser"

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

# Coproduce. The README names two targets: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
COPRODUCE_INSTANCE_PATH ?= $(CURDIR)/instance
export COPRODUCE_INSTANCE_PATH


.PHONY: dist test-fast run test install test-deps assets i18n i18n-compile browser system-libs bench load audit lock lint lint-types clean

## make run: a demo site on SQLite at http://127.0.0.1:5000 and its background worker (PORT, COPRODUCE_INSTANCE_PATH override)
run: install assets i18n-compile system-libs
	@if [ ! -f "$(COPRODUCE_INSTANCE_PATH)/.demo-ready" ]; then \
		echo "First run: creating the demo site in $(COPRODUCE_INSTANCE_PATH)"; \
		$(BIN)/coproduce init --demo && touch "$(COPRODUCE_INSTANCE_PATH)/.demo-ready"; \
	else \
		$(BIN)/coproduce db upgrade; \
		echo "Sign in as admin@example.org with the password printed on the first run."; \
		echo "Lost it? $(BIN)/coproduce users set-password admin@example.org prints a new one."; \
	fi
	@echo "Coproduce is starting at http://$(HOST):$(PORT)/ with its background worker (Ctrl+C stops both)"
	@$(BIN)/coproduce worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/coproduce serve --host $(HOST) --port $(PORT) --workers 2

## make test: every test, on SQLite and then on PostgreSQL when one answers
test: test-deps assets i18n-compile system-libs browser
	@bash scripts/run-tests.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml requirements.lock
	@echo "Installing Coproduce into $(VENV)..."
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installing the test tools into $(VENV)..."
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

install: $(VENV)/.installed
test-deps: $(VENV)/.installed-test

assets:
	@bash frontend/build.sh

## make i18n: extract every string, update each catalog, compile
i18n: install
	@$(BIN)/python scripts/i18n.py extract update compile

i18n-compile: install
	@$(BIN)/python scripts/i18n.py compile

system-libs:
	@bash scripts/ensure-system-libs.sh

browser: test-deps
	@bash scripts/ensure-browser.sh

## make bench: every figure against the bare stack, side by side (docs/performance.md). BENCH_ARGS=--quick: a minute
bench: test-deps assets i18n-compile
	@bash benchmarks/ensure-wrk.sh
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

## make load: capacity with think time. Citizens who wait 5 to 20 s before each form they send (as people do)
## answer the readiness check through 2 gunicorn workers, 100, 250, 500, 1,000 then 2,000 at once, 150 s each,
## on SQLite and then on PostgreSQL; each prints the most citizens served with p95 under 500 ms and checks the
## database. LOAD_ARGS replaces the options (--citizens 200 --kill-worker: the fault run without think time).
LOAD_ARGS ?= --think 5-20 --steps 100,250,500,1000,2000 --duration 150 --ramp 30
LOAD_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/coproduce_load
load: test-deps assets i18n-compile system-libs
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS) --database-url $(LOAD_PG)

## make audit: known vulnerabilities in the locked dependencies (pip-audit needs PyPI's JSON API or OSV) and bandit
audit: test-deps
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[audit]'
	$(BIN)/pip-audit --requirement requirements.lock --no-deps --disable-pip --progress-spinner off
	$(BIN)/bandit -c pyproject.toml -q -r core plugins themes

## make lock: re-resolve requirements.lock after changing the dependencies in setup.cfg
lock:
	@bash scripts/lock.sh

## make dist: a wheel and an sdist in dist/, each carrying the compiled catalogs and the built GOV.UK assets
dist: install assets i18n-compile
	rm -rf dist build/lib build/bdist.*
	$(BIN)/pip wheel --quiet --disable-pip-version-check --no-deps -w dist .
	$(BIN)/python -c "import setuptools.build_meta as b; b.build_sdist('dist')" >/dev/null
	@ls -1 dist

## make test-fast: the everyday loop (SQLite, no slow tests: role matrix, load, packaging, browser, fuzzing)
test-fast: test-deps assets i18n-compile system-libs
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} -q -m "not slow and not browser"

## make lint: ruff (check and format) over the tree, mypy over core
lint: test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory lint-types

lint-types: test-deps
	@mkdir -p build/typecheck && ln -sfn ../../core build/typecheck/coproduce
	$(BIN)/mypy

clean:
	rm -rf $(VENV) frontend/node_modules core/static/govuk build dist *.egg-info

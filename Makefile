# saleor-amazon developer commands. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
CACHE ?= $(or $(SALEOR_AMAZON_CACHE),$(HOME)/.cache/saleor-amazon)
VENV := $(CACHE)/venv-3.23.28
PY := $(VENV)/bin/python
MANAGE := $(PY) $(CACHE)/saleor-3.23.28/manage.py

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/saleor_amazon
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/1
export CACHE_URL ?= redis://127.0.0.1:6379/2
export SECRET_KEY ?= saleor-amazon-development-only-secret-key
export SALEOR_AMAZON_REDIS_URL ?= redis://127.0.0.1:6379/3
export ALLOWED_HOSTS ?= localhost,127.0.0.1
export SALEOR_AMAZON_MODELS_DIR ?= $(abspath ../shared/amazon-models)

PYTEST_ARGS ?=

.PHONY: setup run test lint format migrations sandbox clean-cache help
help:
	@echo "make run      set up what is missing, migrate, start Saleor + Celery worker/beat"
	@echo "make test     set up what is missing, run the whole test suite"
	@echo "make lint     ruff"
	@echo "make sandbox  local Amazon SP-API + LWA sandbox on 127.0.0.1:8100 (demo seller)"
	@echo "make setup    install Saleor $(notdir $(VENV)) and this package (SALEOR_SRC=... on a new machine)"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test:
	@bash scripts/setup.sh --no-db
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	@bash scripts/setup.sh --no-db
	$(VENV)/bin/ruff check saleor_amazon amazon_sandbox amazon_demo bench scripts tests
	$(VENV)/bin/ruff format --check saleor_amazon amazon_sandbox amazon_demo bench scripts tests

format:
	$(VENV)/bin/ruff check --fix saleor_amazon amazon_sandbox amazon_demo bench scripts tests
	$(VENV)/bin/ruff format saleor_amazon amazon_sandbox amazon_demo bench scripts tests

migrations:
	$(MANAGE) makemigrations saleor_amazon

SANDBOX_PORT ?= 8100
SANDBOX_ARGS ?=
sandbox:
	@bash scripts/setup.sh --no-db
	$(PY) -m amazon_sandbox --host 127.0.0.1 --port $(SANDBOX_PORT) $(SANDBOX_ARGS)

.PHONY: bench-throttle
bench-throttle:  ## searchOrders throttling and fault runs against the sandbox: prints the figures
	@bash scripts/setup.sh --no-db
	$(PY) -m pytest tests/spapi/test_throttling.py -m slow -s -q $(PYTEST_ARGS)

.PHONY: bench-import
bench-import:
	@bash scripts/setup.sh
	$(PY) bench/bench_import.py $(BENCH_ARGS)

.PHONY: bench-faults
bench-faults:  ## the fault run: 429/500/slow/repeated pages/late orders, a worker killed and restarted
	@bash scripts/setup.sh
	$(PY) bench/fault_run.py $(BENCH_ARGS)

.PHONY: bench-feed
bench-feed:  ## listings feeds for 50,000 variants on two marketplaces: time, memory, queries
	@bash scripts/setup.sh
	$(PY) bench/bench_feed.py $(BENCH_ARGS)

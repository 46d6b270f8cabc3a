# Smart Portal — the front door. `make run` serves the portal, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
PYTEST_ARGS ?=
MANAGE  = $(BIN)/python manage.py

.PHONY: install install-dev install-ldap lock run test worker beat events web migrate bench topology loadtest messages check lint typecheck ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the locks (exact versions with hashes); pyproject.toml keeps the ranges.
# The project itself is not installed: it runs from this directory (manage.py, deploy/).
PIP_INSTALL = $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-ldap: requirements-ldap.txt | $(VENV)/.installed
	$(PIP_INSTALL) -r requirements-ldap.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
## LDAP / Active Directory login (directory/): django-auth-ldap and python-ldap, which builds from
## source (apt-get install gcc libldap2-dev libsasl2-dev); CI installs it, `make run` does not need it.
install-ldap: $(VENV)/.installed-ldap

## Upgrade the locks within pyproject.toml's ranges (after changing a range, or to take new releases):
## `make lock`; one package only: `make lock LOCK_ARGS="--upgrade-package django"`.
LOCK_ARGS ?= --upgrade
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install-dev
	$(PIP_COMPILE) -o requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml
	$(PIP_COMPILE) --extra ldap -c requirements.txt -o requirements-ldap.txt pyproject.toml

## Serve the portal on http://127.0.0.1:$(PORT) with demo data (SQLite, tasks in-process, mail in var/mail/).
## DEBUG is off (the styled error pages, static files from WhiteNoise): DEBUG=1 make run for Django's debug pages.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --once --force
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## Run the whole test suite (add PYTEST_ARGS="-m 'not e2e'" etc. to narrow it).
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Production-like processes (need REDIS_URL and usually DATABASE_URL): the scripts of deploy/,
## the same ones docker-compose.yml and CI run. The settings module defaults to dev here.
DEV_SETTINGS = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-smartportal.settings.dev}
worker: install
	$(DEV_SETTINGS) deploy/worker.sh
beat: install
	$(DEV_SETTINGS) deploy/beat.sh
events: install
	$(DEV_SETTINGS) deploy/events.sh
web: install
	deploy/web.sh
migrate: install
	deploy/migrate.sh

## Load benchmark (PostgreSQL): seeds a throw-away database, serves the portal and a bare Django
## view with gunicorn, loads both with wrk. BENCH_SIZE=full (1,000,000 tickets) or small (CI).
BENCH_SIZE ?= full
BENCH_DB   ?= sp_bench_full
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_STRICT ?= 1
bench: install-dev
	BENCH_SIZE=$(BENCH_SIZE) BENCH_STRICT=$(BENCH_STRICT) DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m tools.bench.run

## Topology tests: gunicorn + Celery worker + beat from deploy/, fault injection, mixed load.
## (need DATABASE_URL=postgres://… to reach the server and redis-server; TOPOLOGY_TESTS narrows them)
TOPOLOGY_TESTS ?= tests/topology
topology: install-dev
	$(BIN)/python -m pytest -m topology $(TOPOLOGY_TESTS) $(PYTEST_ARGS)

## Capacity (Locust, tests/topology/test_capacity.py) on the production topology, loopback only:
## LOAD_USERS logged-in users with think time while LOAD_RATE requests per minute are opened, for
## LOAD_SECONDS; then 0 errors, p95 < 500 ms per page kind, every e-mail delivered once. Full size:
## five times CITSmart's published limits (100 sessions, 200 tickets per minute). CI runs 50/100/60.
LOAD_USERS   ?= 500
LOAD_RATE    ?= 1000
LOAD_SECONDS ?= 600
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
loadtest: install-dev
	LOAD_USERS=$(LOAD_USERS) LOAD_RATE=$(LOAD_RATE) LOAD_SECONDS=$(LOAD_SECONDS) \
	  DATABASE_URL=$${DATABASE_URL:-$(LOADTEST_DATABASE_URL)} \
	  $(BIN)/python -m pytest -m topology tests/topology/test_capacity.py -s $(PYTEST_ARGS)

messages: install-dev
	$(MANAGE) makemessages --all --no-location --ignore=.venv --ignore=var --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

check: install-dev
	DJANGO_SETTINGS_MODULE=smartportal.settings.production SECRET_KEY=check-only-$$RANDOM-not-a-secret-but-long-enough-for-django-checks-xx \
	  $(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

## Hygiene, as CI runs it: lint and format (ruff), the templates' lint (djLint), the import contract (pyproject.toml's
## [tool.importlinter], docs/architecture.md), and types (mypy over every app of that contract).
APPS = $(shell $(BIN)/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['tool']['importlinter']['root_packages']))")
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy $(APPS)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var

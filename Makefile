# The two commands of the README: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run serve test lint format messages setup system-libs docs-images postgresql-server lock load

# The packages come from the lock, pinned with their hashes: every machine gets the
# versions that were tested. `make lock` updates it; requirements/check.py stops here
# when pyproject.toml has changed since.
LOCK := requirements/main.lock
$(INSTALLED): pyproject.toml $(LOCK) requirements/check.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) requirements/check.py
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check --quiet
	touch $@

# Pins the newest versions that pyproject.toml allows, with their hashes, in one lock for
# Linux, macOS and Windows and Python 3.11 on; `make lock LOCK_UPGRADE=` keeps the pins
# and only adds what pyproject.toml asks for anew. bench.lock adds locust to main.lock.
LOCK_UPGRADE ?= --upgrade
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet 'uv>=0.13,<0.14'
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --extra postgres \
		--universal --python-version 3.11 --generate-hashes $(LOCK_UPGRADE) \
		--custom-compile-command 'make lock' -o $(LOCK)
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --extra postgres \
		--extra bench -c $(LOCK) --universal --python-version 3.11 --generate-hashes \
		$(LOCK_UPGRADE) --custom-compile-command 'make lock' -o requirements/bench.lock

setup: $(INSTALLED) system-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: setup
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Production on one machine (docs/deploy.md): gunicorn and the task worker, static
# files collected, after a check of the configuration that names what is missing.
serve: $(INSTALLED) system-libs
	STATIC_ROOT="$${STATIC_ROOT:-$(CURDIR)/var/static}" \
	BACKGROUND_WORKER="$${BACKGROUND_WORKER:-1}" \
	$(PY) manage.py serve

# Load test (bench/load.py, bench/README.md): the most Locust users with p95 < 500 ms,
# no error and no lost save, against `manage.py serve` on PostgreSQL, then on SQLite.
load: $(INSTALLED) system-libs postgresql-server
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/bench.lock
	$(PY) bench/load.py --database postgres --find-max
	$(PY) bench/load.py --database sqlite --find-max

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

# WeasyPrint draws the PDF with Pango and subsets fonts with HarfBuzz.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system-libs:
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 && /sbin/ldconfig -p | grep -q libharfbuzz-subset \
		|| { $(SUDO) apt-get update -qq && $(APT_INSTALL) $(PDF_LIBS); }

# Browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	$(APT_INSTALL) chromium

# The suite runs on SQLite, then on a throw-away PostgreSQL cluster of Debian's server.
postgresql-server:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
		|| { $(SUDO) apt-get update -qq && $(APT_INSTALL) postgresql; }

test: $(INSTALLED) system-libs /usr/bin/chromium postgresql-server
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n auto
	$(PY) tests/with_postgres.py $(PY) -m pytest -n auto

lint: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)
	$(PY) manage.py makemessages -l de -l fr -l it -l en --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=var --ignore=static
	$(PY) manage.py compilemessages --ignore=.venv

# Page images of the demo document for the README; poppler draws them.
/usr/bin/pdftoppm:
	$(SUDO) apt-get update -qq
	$(APT_INSTALL) poppler-utils

docs-images: $(INSTALLED) system-libs /usr/bin/pdftoppm
	$(PY) docs/document_images.py

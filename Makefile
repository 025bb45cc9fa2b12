# The two commands of the README: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format messages setup system-libs docs-images postgresql-server

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(INSTALLED) system-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: setup
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

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

"""Settings: solid SQLite, configuration from the environment, no silent prod key."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils.log import RequireDebugTrue

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def settings_in_subprocess(**env):
    """Import the settings in a fresh interpreter with ``env``; return the result."""
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": "strategy.settings"} | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("debug", ["0", "1"])
@pytest.mark.parametrize(
    "key",
    [None, "local-development-only-not-secret", "django-insecure-abc", "short"],
)
def test_a_public_host_refuses_a_missing_or_development_key(debug, key):
    env = {"ALLOWED_HOSTS": "strategy.example.ch", "DEBUG": debug}
    if key is not None:
        env["SECRET_KEY"] = key
    result = settings_in_subprocess(**env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_development_needs_no_key():
    result = settings_in_subprocess(DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split()[1] == "True"


def deploy_check(**env):
    # Not the test run's own settings: the browser tests allow Django's ORM in
    # Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE), which a deployment must not.
    ours = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=clean | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_production_settings_pass_djangos_deployment_check():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "strategy.example.ch",
    }
    result = deploy_check(**production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    # Turning HTTPS off for a test installation is said, not silent.
    result = deploy_check(**production, HTTPS="0")
    assert "security.W008" in result.stderr + result.stdout


def test_database_url_selects_postgresql():
    result = settings_in_subprocess(
        ALLOWED_HOSTS="strategy.example.ch",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://user:pw@db.example.ch:5432/strategy",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_requests_error_is_logged_to_stderr_with_debug_off(settings):
    """Django's own handler prints only with DEBUG on: production would lose the
    traceback of every server error."""
    assert not settings.DEBUG
    logger = logging.getLogger("django.request")
    handlers = []
    while logger:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    printing = [
        handler
        for handler in handlers
        if isinstance(handler, logging.StreamHandler)
        and not any(isinstance(f, RequireDebugTrue) for f in handler.filters)
    ]
    assert printing, handlers
    assert printing[0].level <= logging.ERROR

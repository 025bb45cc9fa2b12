"""Shared fixtures: users with each role in a team, an outsider, a filled concept."""

import pytest
from django.test import Client, override_settings
from django.utils import translation

from strategy.models import Role

from .factories import make_concept, make_team, make_user

INVALID_VARIABLE = "⟦undefined: %s⟧"
"""What a template shows for a variable that does not exist, so tests see it."""


def pytest_configure(config):
    from django.conf import settings

    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = INVALID_VARIABLE


@pytest.fixture(autouse=True)
def no_undefined_variables(monkeypatch):
    """A page that a test's client gets fails the test if it shows an undefined
    variable."""
    request = Client.request

    def checked(self, **kwargs):
        response = request(self, **kwargs)
        if not getattr(response, "streaming", False):
            marker = INVALID_VARIABLE.split("%s")[0].encode()
            if marker in response.content:
                start = response.content.index(marker)
                found = response.content[max(0, start - 300) : start + 80].decode(
                    errors="replace"
                )
                pytest.fail(f"{kwargs.get('PATH_INFO')}: {found!r}")
        return response

    monkeypatch.setattr(Client, "request", checked)


@pytest.fixture(autouse=True)
def login_shortcut_without_throttling(monkeypatch):
    """``client.login()`` checks a password without any request, which the login
    throttling (axes) refuses to judge: it is off for that shortcut only. Logins
    through the form, the app's or the admin's, are throttled as in production."""
    login = Client.login

    def without_throttling(self, **credentials):
        with override_settings(AXES_ENABLED=False):
            return login(self, **credentials)

    monkeypatch.setattr(Client, "login", without_throttling)


@pytest.fixture
def owner(db):
    return make_user("owner", first_name="Olivia", last_name="Owner")


@pytest.fixture
def outsider(db):
    return make_user("outsider")


@pytest.fixture
def team(owner):
    members = [(owner, Role.OWNER)]
    for role in (Role.EDITOR, Role.REVIEWER, Role.VIEWER):
        members.append((make_user(role.value), role))
    return make_team("Communication", members=members)


@pytest.fixture
def other_team(outsider):
    return make_team("Other team", members=[(outsider, Role.OWNER)])


@pytest.fixture
def concept(team, owner):
    return make_concept(team, by=owner)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English unless they choose a language themselves."""
    settings.LANGUAGE_CODE = "en"  # what a request without Accept-Language gets
    with translation.override("en"):
        yield


def pytest_collection_modifyitems(config, items):
    """Tests of SQLite itself (``sqlite_only``) are skipped on another database."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return
    skip = pytest.mark.skip(
        reason=f"a test of SQLite; the database is {connection.vendor}"
    )
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)

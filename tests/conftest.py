"""Shared fixtures: users with each role in a team, an outsider, a filled concept."""

import pytest
from django.utils import translation

from strategy.models import Role

from .factories import make_concept, make_team, make_user


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

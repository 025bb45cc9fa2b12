"""What tests of step pages share: a step's URL, what its page posts, what a
concept stores, the bounds of a step's queries, junk to post, and a logged-in owner."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.content import read_content
from strategy.method import STEPS, get_step
from strategy.rowsummaries import EVERY_ROW
from strategy.stepforms import StepForms

from .factories import step_post_data

EDITABLE_STEPS = [step for step in STEPS if step.fields or step.lists]
STEP_IDS = [step.slug for step in STEPS]
WRITES = ("INSERT", "UPDATE", "DELETE")


def step_url(version, slug) -> str:
    return reverse("strategy:step", args=[version.concept_id, version.number, slug])


def current_data(
    version, slug, *, blank_rows=False, opened=EVERY_ROW, **changes
) -> dict:
    """What the browser posts for the step as the page shows it, plus ``changes``:
    by default with every row opened, so that ``changes`` may change any row."""
    # The page shows the version as stored, not as a test's instance remembers it.
    version = type(version).objects.get(pk=version.pk)
    step_forms = StepForms(get_step(slug), version)
    return step_post_data(step_forms, blank_rows=blank_rows, opened=opened, **changes)


def snapshot(concept) -> dict:
    """Everything stored in each version of ``concept``, with its last change."""
    return {
        version.number: (version.status, version.updated_at, read_content(version))
        for version in concept.versions.all()
    }


def writes(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]


def bound_field(response, html_name):
    """The bound field named ``html_name`` among the forms the page shows."""
    for form in response.context["forms"].all_forms():
        for field in form:
            if field.html_name == html_name:
                return field
    raise KeyError(html_name)


def described_elements_missing(html: str) -> list[str]:
    """The ids that aria-describedby names but the page lacks."""
    named = {
        id_
        for value in re.findall(r'aria-describedby="([^"]*)"', html)
        for id_ in value.split()
    }
    return sorted(id_ for id_ in named if f'id="{id_}"' not in html)


def without_noscript(html: str) -> str:
    return re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.DOTALL)


def page_after(client, response) -> str:
    """The page the browser shows after following the redirect."""
    assert response.status_code == 302
    return client.get(response.url).content.decode()


# Fixtures: a test module imports those it uses, e.g. ``as_owner = steps.as_owner``.


@pytest.fixture
def draft(concept):
    return concept.draft


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def big_posts(settings):
    """Let a step with a hundred rows per list be posted.

    Django's default of 1000 fields per request is too low for that; see
    ``test_a_step_with_many_rows_can_be_saved`` (tests/test_stepforms.py) for the real
    setting.
    """
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None


# Queries ------------------------------------------------------------------------

MAX_QUERIES_GET = 15
MAX_QUERIES_POST = 35  # the version's lock and a savepoint cost 3 of them


def count_queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code == (302 if method == "post" else 200)
    return len(captured)


# Fuzzing ------------------------------------------------------------------------

JUNK = [
    "",
    " ",
    "0",
    "-1",
    "1e999",
    "-1e-999",
    "NaN",
    "Infinity",
    "9" * 40,
    "3.14159265358979323846",
    "1'2'3,4.5",
    "2027-13-45",
    "0000-00-00",
    "on",
    "off",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    "step:",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE strategy_objective; --",
    "ünïcødé — 日本語 — 🎉🚀",
    "\u202eRTL\u200b",
    "a\x00b",
    "\r\n\t",
    "x" * 5000,
    "é" * 20000,
]

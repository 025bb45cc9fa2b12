"""A step's forms: a save writes only what changed, invalid input is marked at its
field and saves nothing, queries do not grow with the rows, and junk never causes a
server error."""

import random
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from strategy.limits import MAX_TEXT_LENGTH
from strategy.method import STEPS, get_step
from strategy.models import Objective, Readiness, Role
from strategy.rowsummaries import EVERY_ROW
from strategy.stepforms import StepForms

from . import steps
from .factories import make_concept, step_post_data
from .steps import (
    JUNK,
    MAX_QUERIES_GET,
    MAX_QUERIES_POST,
    STEP_IDS,
    bound_field,
    count_queries,
    current_data,
    described_elements_missing,
    snapshot,
    step_url,
    writes,
)

# The fixtures of tests/steps.py that these tests use.
as_owner = steps.as_owner
big_posts = steps.big_posts
draft = steps.draft


# Saving ------------------------------------------------------------------------


@pytest.mark.parametrize("blank_rows", [False, True], ids=["js", "nojs"])
@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_an_unchanged_step_writes_nothing(as_owner, concept, step, blank_rows):
    draft = concept.draft
    before = snapshot(concept)
    data = current_data(draft, step.slug, blank_rows=blank_rows, go="next")
    with CaptureQueriesContext(connection) as captured:
        response = as_owner.post(step_url(draft, step.slug), data)
    assert response.status_code == 302
    assert writes(captured) == []
    assert snapshot(concept) == before


def test_version_fields_are_saved_with_who_changed_them(client, concept, team):
    editor = team.memberships.get(role=Role.EDITOR).user
    client.force_login(editor)
    draft = concept.draft
    data = current_data(
        draft,
        "basics",
        **{"v-title": "Stratégie 2027", "v-language": "de", "v-authors": "Équipe"},
    )
    assert client.post(step_url(draft, "basics"), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.language, draft.authors) == (
        "Stratégie 2027",
        "de",
        "Équipe",
    )
    assert draft.updated_by == editor


def test_saving_a_step_leaves_the_other_steps_fields_alone(concept, owner):
    """A step saved from a version read before another tab saved keeps that change."""
    stale = concept.draft
    fresh = concept.draft
    fresh.listening_summary = "Écrit dans l'autre onglet"
    fresh.save()
    data = current_data(stale, "basics", **{"v-context": "Nouveau contexte"})
    step_forms = StepForms(get_step("basics"), stale, data)
    assert step_forms.is_valid()
    assert step_forms.save(by=owner)
    fresh.refresh_from_db()
    assert fresh.context == "Nouveau contexte"
    assert fresh.listening_summary == "Écrit dans l'autre onglet"


# Invalid input ------------------------------------------------------------------


# (step, field, what the user typed, whether the page can show it back)
INVALID = [
    ("basics", "v-title", "T" * 201, True),
    ("basics", "v-title", "", False),
    ("basics", "v-language", "klingon", False),
    ("listen", "channels-0-mentions_per_month", "beaucoup", True),
    ("listen", "channels-0-mentions_per_month", "-3", True),
    ("listen", "channels-0-platform", "myspace", False),
    ("listen", "channels-0-tone", "furious", False),
    ("listen", "opinion_leaders-0-platforms", "myspace", False),
    ("listen", "opinion_leaders-0-name", "", False),
    ("objectives", "objectives-0-baseline", "viel", True),
    ("objectives", "objectives-0-target", "1e20", True),
    ("objectives", "objectives-0-due", "2027-02-31", True),
    ("objectives", "objectives-0-due", "demain", True),
    ("objectives", "objectives-0-title", "Ö" * 201, True),
    ("objectives", "objectives-0-goal", "world_domination", False),
    ("objectives", "objectives-0-target_groups", "999999", False),
    ("objectives", "objectives-0-target_groups", "abc", False),
    ("target_groups", "target_groups-0-priority", "urgent", False),
    ("content", "v-dialogue_response_time", "R" * 201, True),
    ("content", "pillars-0-objectives", "-1", False),
    ("resources", "budget_lines-0-amount", "-5", True),
    ("resources", "budget_lines-0-amount", "cinq cents", True),
    ("resources", "budget_lines-0-amount", "12345678901234", True),
    ("resources", "budget_lines-0-currency", "francs", True),
    ("resources", "budget_lines-0-period", "weekly", False),
    ("resources", "people-0-hours_per_week", "500", True),
    ("resources", "people-0-hours_per_week", "-1", True),
    ("integration", "processes-0-department", "marketing-ish", False),
    ("implementation", "first_steps-0-due", "31/02/2027", True),
    ("implementation", "measurements-0-frequency", "hourly", False),
    ("readiness", "readiness-0-score", "9", False),
    ("readiness", "readiness-0-score", "zero", False),
    ("basics", "v-title", "Strat\x00égie", True),
    ("basics", "v-context", "Ü" * (MAX_TEXT_LENGTH + 1), False),
    ("target_groups", "target_groups-0-description", "d" * 5001, False),
]


# A valid change elsewhere on the same page: it must not be saved either.
VALID_ELSEWHERE = {
    "basics": {"v-authors": "Quelqu'un d'autre"},
    "listen": {"v-listening_summary": "Un résumé neuf"},
    "objectives": {"objectives-TOTAL_FORMS": "2", "objectives-1-title": "Nouveau"},
    "target_groups": {"target_groups-0-name": "Patients"},
    "content": {"v-dialogue_praise": "Merci !"},
    "resources": {"v-sponsor_name": "Quelqu'un d'autre"},
    "integration": {"v-feedback_decider": "La direction"},
    "implementation": {"v-who_answers": "Le service client"},
    "readiness": {"readiness-1-score": "5"},
}


@pytest.mark.parametrize(
    "slug, name, typed, shown", INVALID, ids=[f"{c[1]}={c[2][:12]}" for c in INVALID]
)
def test_invalid_input_is_marked_at_its_field_and_nothing_is_saved(
    as_owner, concept, slug, name, typed, shown
):
    draft = concept.draft
    before = snapshot(concept)
    changes = {**VALID_ELSEWHERE[slug], name: typed}
    response = as_owner.post(
        step_url(draft, slug), current_data(draft, slug, **changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    field = bound_field(response, name)
    assert field.errors
    for error in field.errors:
        # once in the summary at the top, once next to the field
        assert html.count(escape(error)) >= 2
    if field.id_for_label:
        assert f'href="#{field.id_for_label}"' in html
    assert f'id="{field.auto_id}_error"' in html
    assert described_elements_missing(html) == []
    assert "Nothing was saved" in html
    if shown:
        assert f'value="{escape(typed)}"' in html
    assert snapshot(concept) == before


def test_version_fields_point_screen_readers_to_their_error_and_hint(as_owner, draft):
    data = current_data(draft, "basics", **{"v-title": ""})
    html = as_owner.post(step_url(draft, "basics"), data).content.decode()
    described = re.search(r'<input[^>]*name="v-title"[^>]*>', html).group(0)
    ids = re.search(r'aria-describedby="([^"]*)"', described).group(1).split()
    assert ids
    for id_ in ids:
        assert f'id="{id_}"' in html
    context = re.search(r'<textarea[^>]*name="v-context"[^>]*>', html).group(0)
    for id_ in re.search(r'aria-describedby="([^"]*)"', context).group(1).split():
        assert f'id="{id_}"' in html


def test_every_link_of_the_error_summary_leads_to_its_field(as_owner, draft):
    data = current_data(
        draft,
        "content",
        **{
            "pillars-0-name": "",
            "pillars-0-platforms": "myspace",
            "pillars-0-objectives": "-1",
        },
    )
    html = as_owner.post(step_url(draft, "content"), data).content.decode()
    summary = re.search(r'id="error-summary".*?</div>', html, flags=re.DOTALL)
    targets = re.findall(r'href="#([^"]*)"', summary.group(0))
    assert len(targets) == 3
    for target in targets:
        assert target
        assert f'id="{target}"' in html


def test_an_empty_post_saves_nothing_and_raises_nothing(as_owner, concept):
    before = snapshot(concept)
    for step in STEPS:
        response = as_owner.post(step_url(concept.draft, step.slug), {})
        assert response.status_code in (200, 302)
    assert snapshot(concept) == before


# Queries ------------------------------------------------------------------------


def every_row_changed(version, step) -> dict:
    """The step's data with a text of the version and of each row changed, links cut."""
    step_forms = StepForms(step, version, opened=EVERY_ROW)
    data = step_post_data(step_forms)
    rows = [form for formset in step_forms.formsets for form in formset.initial_forms]
    for form in [step_forms.form, *rows] if step_forms.form else rows:
        for field in form:
            if type(field.field) is forms.CharField:
                data[field.html_name] = f"{field.value() or ''} modifié"
                break
    for formset in step_forms.formsets:
        for form in formset.initial_forms:
            for link in formset.row_list.links:
                data[form[link].html_name] = []
    return data


def measure(client, team, owner, step, rows) -> tuple[int, int, int]:
    """Queries of a step's page, an unchanged save and a save that changes every row."""
    draft = make_concept(team, by=owner, rows=rows, title=f"{rows} rows").draft
    url = step_url(draft, step.slug)
    page = count_queries(client, "get", url)
    unchanged = count_queries(client, "post", url, current_data(draft, step.slug))
    changed = count_queries(client, "post", url, every_row_changed(draft, step))
    return page, unchanged, changed


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_queries_do_not_grow_with_the_number_of_rows(
    as_owner, team, owner, step, big_posts, django_assert_max_num_queries
):
    few = measure(as_owner, team, owner, step, rows=1)
    many = measure(as_owner, team, owner, step, rows=100)
    assert many == few
    page, unchanged, changed = few
    assert page <= MAX_QUERIES_GET
    assert max(unchanged, changed) <= MAX_QUERIES_POST
    draft = make_concept(team, by=owner, rows=100, title="bounds").draft
    with django_assert_max_num_queries(MAX_QUERIES_GET):
        as_owner.get(step_url(draft, step.slug))
    with django_assert_max_num_queries(MAX_QUERIES_POST):
        as_owner.post(step_url(draft, step.slug), every_row_changed(draft, step))


def test_every_row_changed_really_changes_every_row(as_owner, team, owner):
    draft = make_concept(team, by=owner, rows=3).draft
    data = every_row_changed(draft, get_step("objectives"))
    assert as_owner.post(step_url(draft, "objectives"), data).status_code == 302
    titles = set(draft.objectives.values_list("title", flat=True))
    assert titles == {f"Objectif {i} modifié" for i in range(3)}
    assert not Objective.target_groups.through.objects.filter(
        objective__version=draft
    ).exists()


def test_a_step_with_many_rows_can_be_saved(client, team, owner):
    draft = make_concept(team, by=owner, rows=100).draft
    client.force_login(owner)
    client.raise_request_exception = False
    response = client.post(step_url(draft, "listen"), current_data(draft, "listen"))
    assert response.status_code == 302


# Fuzzing ------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_random_junk_never_causes_a_server_error(as_owner, team, owner, step):
    rng = random.Random(f"wizard-{step.slug}")
    concept = make_concept(team, by=owner, rows=2)
    draft = concept.draft
    names = [*current_data(draft, step.slug, blank_rows=True), "go"]
    for _attempt in range(25):
        data = current_data(draft, step.slug, blank_rows=True)
        for name in names:
            roll = rng.random()
            if roll < 0.4:
                data[name] = rng.choice(JUNK)
            elif roll < 0.5:
                data.pop(name, None)
            elif roll < 0.55:
                data[name] = [rng.choice(JUNK), rng.choice(JUNK)]
        response = as_owner.post(step_url(draft, step.slug), data)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert as_owner.get(response.url).status_code == 200
    assert sorted(draft.readiness.values_list("obstacle", flat=True)) == sorted(
        Readiness.Obstacle.values
    )


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_every_junk_string_in_every_field_never_causes_a_server_error(
    as_owner, team, owner, step
):
    draft = make_concept(team, by=owner, rows=2).draft
    names = [*current_data(draft, step.slug, blank_rows=True), "go"]
    for junk in JUNK:
        # within Django's 2.5 MB per request, past which it answers 400
        data = dict.fromkeys(names, junk[:5000])
        response = as_owner.post(step_url(draft, step.slug), data)
        assert response.status_code in (200, 302)
        assert len(response.content) < 1_000_000


def test_junk_field_names_are_ignored(as_owner, concept):
    draft = concept.draft
    before = snapshot(concept)
    data = current_data(draft, "objectives")
    data.update(
        {
            "objectives-0-version": "999",
            "objectives-0-key": "pirate",
            "objectives-0-position": "42",
            "objectives--1-title": "moins un",
            "objectives-x-title": "x",
            "objectives-0": "?",
            "v-status": "frozen",
            "v-number": "7",
        }
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code in (200, 302)
    assert snapshot(concept) == before

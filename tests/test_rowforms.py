"""A list's rows on a step's page: added, removed, reordered and linked as the user
asks, within the list's limit, whatever a tampered post claims, and saved in bulk."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms

from strategy import versioning
from strategy.limits import MAX_ROWS_PER_LIST
from strategy.method import STEPS
from strategy.models import ContentPillar, Objective, Readiness, Role
from strategy.rowsummaries import EVERY_ROW
from strategy.stepforms import StepForms

from . import steps
from .factories import make_concept, make_user, step_post_data
from .steps import (
    MAX_QUERIES_POST,
    bound_field,
    count_queries,
    current_data,
    described_elements_missing,
    snapshot,
    step_url,
    without_noscript,
)

# The fixtures of tests/steps.py that these tests use.
as_owner = steps.as_owner
big_posts = steps.big_posts
draft = steps.draft


# Adding, removing, reordering ----------------------------------------------------


def test_add_without_javascript_saves_then_shows_a_blank_row(as_owner, draft):
    url = step_url(draft, "objectives")
    html = as_owner.get(url).content.decode()
    assert 'name="objectives-1-title"' not in html  # no blank row until asked
    assert 'name="go" value="add:objectives"' in html
    assert 'name="objectives-0-ORDER"' in html
    assert 'name="objectives-0-DELETE"' in html

    data = current_data(draft, "objectives", opened=(), go="add:objectives")
    response = as_owner.post(url, data)
    assert response.status_code == 302
    assert response.url == f"{url}?add=objectives#new-objectives"

    page = as_owner.get(response.url)
    html = page.content.decode()
    assert re.search(r'<details[^>]*id="new-objectives"', html)
    assert 'name="objectives-1-title"' in html
    data = step_post_data(
        page.context["forms"], blank_rows=True, **{"objectives-1-title": "Neu"}
    )
    data["objectives-1-goal"] = "awareness"
    data["objectives-1-kpi"] = "Reach"
    assert as_owner.post(url, data).status_code == 302
    assert list(draft.objectives.values_list("title", flat=True))[-1] == "Neu"


def test_a_blank_row_is_fetched_by_the_page_script_only_for_editors(
    client, draft, team
):
    url = f"{step_url(draft, 'objectives')}?fragment=1&add=objectives"
    for role, status in [(Role.VIEWER, 404), (Role.REVIEWER, 404), (Role.EDITOR, 200)]:
        user = make_user(f"member-{role}")
        team.memberships.create(user=user, role=role)
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
    html = response.content.decode()
    assert 'name="objectives-__prefix__-title"' in html
    assert "<html" not in html  # a row, not a page
    for other in ("readiness", "nothing"):
        assert client.get(url.replace("=objectives", f"={other}")).status_code == 404


def test_a_new_row_is_added_at_the_end_with_its_links(as_owner, concept):
    draft = concept.draft
    group = draft.target_groups.get()
    data = current_data(
        draft,
        "objectives",
        **{
            "objectives-TOTAL_FORMS": "2",
            "objectives-1-title": "Recruter des infirmières",
            "objectives-1-goal": "employer",
            "objectives-1-kpi_kind": "feedback",
            "objectives-1-kpi": "Candidatures",
            "objectives-1-baseline": "12",
            "objectives-1-target": "30",
            "objectives-1-due": "2027-12-31",
            "objectives-1-target_groups": [str(group.pk)],
            "objectives-1-ORDER": "",
        },
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 302
    first, added = draft.objectives.order_by("position")
    assert first.title == "Objectif 0"
    assert (added.title, added.goal, added.kpi_kind, added.position) == (
        "Recruter des infirmières",
        "employer",
        "feedback",
        1,
    )
    assert (added.baseline, added.target) == (Decimal("12"), Decimal("30"))
    assert added.due == datetime.date(2027, 12, 31)
    assert added.key and added.key != first.key
    assert list(added.target_groups.all()) == [group]


def test_a_new_row_removed_in_the_page_leaves_a_harmless_gap(as_owner, concept):
    draft = concept.draft
    data = current_data(
        draft,
        "objectives",
        **{
            "objectives-TOTAL_FORMS": "4",
            "objectives-3-title": "Quatrième",
            "objectives-3-goal": "image",
            "objectives-3-kpi_kind": "reach",
        },
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 302
    assert list(draft.objectives.values_list("title", flat=True)) == [
        "Objectif 0",
        "Quatrième",
    ]


def test_what_the_user_typed_in_a_new_row_stays_on_the_page(as_owner, concept):
    draft = concept.draft
    data = current_data(
        draft,
        "objectives",
        **{
            "objectives-TOTAL_FORMS": "2",
            "objectives-1-title": "Nouvel objectif",
            "objectives-1-due": "bientôt",
        },
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    html = without_noscript(response.content.decode())
    assert 'value="Nouvel objectif"' in html
    assert 'value="bientôt"' in html
    assert draft.objectives.count() == 1


def test_a_row_marked_for_removal_is_removed_with_its_links(as_owner, team, owner):
    draft = make_concept(team, by=owner, rows=3).draft
    removed = draft.objectives.get(position=1)
    data = current_data(draft, "objectives", **{"objectives-1-DELETE": "on"})
    assert as_owner.post(step_url(draft, "objectives"), data).status_code == 302
    rows = list(draft.objectives.values_list("title", "position"))
    assert rows == [("Objectif 0", 0), ("Objectif 2", 1)]
    assert not ContentPillar.objectives.through.objects.filter(
        objective_id=removed.pk
    ).exists()


def test_rows_are_reordered_by_their_position_fields(as_owner, team, owner):
    draft = make_concept(team, by=owner, rows=3).draft
    data = current_data(
        draft,
        "objectives",
        **{
            "objectives-0-ORDER": "3",
            "objectives-1-ORDER": "1",
            "objectives-2-ORDER": "2",
        },
    )
    assert as_owner.post(step_url(draft, "objectives"), data).status_code == 302
    assert list(draft.objectives.values_list("title", flat=True)) == [
        "Objectif 1",
        "Objectif 2",
        "Objectif 0",
    ]


def test_a_position_error_is_shown_next_to_the_position_field(as_owner, draft):
    data = current_data(draft, "objectives", **{"objectives-0-ORDER": "abc"})
    html = as_owner.post(step_url(draft, "objectives"), data).content.decode()
    assert 'id="id_objectives-0-ORDER_error"' in html
    assert described_elements_missing(html) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"readiness-TOTAL_FORMS": "6", "readiness-5-score": "3"},
        {"readiness-TOTAL_FORMS": "7", "readiness-6-note": "Intrus"},
        {"readiness-INITIAL_FORMS": "0"},
        {"readiness-INITIAL_FORMS": "0", "readiness-0-score": "3"},
    ],
    ids=str,
)
def test_the_five_readiness_ratings_can_be_neither_added_nor_removed(
    as_owner, concept, changes
):
    draft = concept.draft
    data = current_data(draft, "readiness", **changes)
    response = as_owner.post(step_url(draft, "readiness"), data)
    assert response.status_code in (200, 302)
    obstacles = sorted(draft.readiness.values_list("obstacle", flat=True))
    assert obstacles == sorted(Readiness.Obstacle.values)


# Links between rows --------------------------------------------------------------


def test_links_are_picked_from_the_versions_own_rows(as_owner, team, owner):
    draft = make_concept(team, by=owner, rows=3).draft
    groups = list(draft.target_groups.all())
    objectives = list(draft.objectives.all())
    data = current_data(
        draft,
        "content",
        **{
            "pillars-0-target_groups": [str(groups[1].pk), str(groups[2].pk)],
            "pillars-0-objectives": [],
        },
    )
    assert as_owner.post(step_url(draft, "content"), data).status_code == 302
    pillar = draft.pillars.get(position=0)
    assert set(pillar.target_groups.all()) == {groups[1], groups[2]}
    assert not pillar.objectives.exists()
    assert set(draft.pillars.get(position=1).objectives.all()) == {objectives[1]}


def test_the_page_offers_only_the_versions_own_rows_as_links(as_owner, team, owner):
    draft = make_concept(team, by=owner, title="A").draft
    other = make_concept(team, by=owner, title="B").draft
    foreign = other.target_groups.get()
    foreign.name = "Groupe étranger"
    foreign.save()
    url = f"{step_url(draft, 'content')}?fragment=1&add=pillars"
    html = as_owner.get(url).content.decode()
    assert "Groupe 0" in html
    assert "Groupe étranger" not in html


@pytest.mark.parametrize("whose", ["other concept", "frozen version"])
def test_a_link_to_a_row_of_another_version_is_refused(as_owner, team, owner, whose):
    concept = make_concept(team, by=owner)
    if whose == "other concept":
        foreign = make_concept(team, by=owner, title="B").draft.target_groups.get()
    else:
        frozen = concept.draft
        versioning.freeze(frozen, by=owner, note="v1")
        foreign = frozen.target_groups.get()
    draft = concept.draft
    before = snapshot(concept)
    name = "objectives-0-target_groups"
    data = current_data(
        draft, "objectives", **{name: [str(foreign.pk)], "objectives-0-kpi": "Neu"}
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    assert bound_field(response, name).errors
    assert "Select a valid choice" in response.content.decode()
    assert snapshot(concept) == before


# The limit of rows per list -------------------------------------------------------


def test_a_list_holds_at_most_its_limit_of_rows(as_owner, draft, big_posts):
    count = draft.objectives.count()
    new_rows = {
        f"objectives-{index}-{name}": value
        for index in range(count, MAX_ROWS_PER_LIST + 1)
        for name, value in (
            ("title", f"Objectif {index}"),
            ("goal", "dialogue"),
            ("kpi_kind", "reach"),
        )
    }
    data = current_data(
        draft,
        "objectives",
        **new_rows,
        **{"objectives-TOTAL_FORMS": str(MAX_ROWS_PER_LIST + 1)},
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    html = response.content.decode()
    message = "A list holds at most 300 rows: remove some before adding more."
    assert html.count(message) == 2  # in the summary, and on the list itself
    assert f'value="Objectif {MAX_ROWS_PER_LIST}"' in html
    assert draft.objectives.count() == count
    for name in ("title", "goal", "kpi_kind"):
        del data[f"objectives-{MAX_ROWS_PER_LIST}-{name}"]
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 302
    assert draft.objectives.count() == MAX_ROWS_PER_LIST


def test_a_full_list_offers_no_blank_row_and_says_it_is_full(as_owner, draft):
    Objective.objects.bulk_create(
        Objective(version=draft, key=f"o{i}", title=f"O{i}", position=i)
        for i in range(MAX_ROWS_PER_LIST - draft.objectives.count())
    )
    html = as_owner.get(step_url(draft, "objectives")).content.decode()
    assert f'name="objectives-{MAX_ROWS_PER_LIST}-title"' not in html
    hint = re.search(r"<p[^>]*data-full-hint[^>]*>([^<]*)</p>", html)
    assert "hidden" not in hint.group(0)
    assert hint.group(1) == "This list is full: it holds at most 300 rows."


# Tampered rows -------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"objectives-0-id": "garbage"},
        {"objectives-0-id": ""},
        {"objectives-0-id": "99999999"},
        {"objectives-0-id": "1" * 40},
        {"objectives-0-ORDER": "abc"},
        {"objectives-0-ORDER": "1.5"},
        {"objectives-INITIAL_FORMS": "5", "objectives-TOTAL_FORMS": "5"},
        {"objectives-TOTAL_FORMS": "99999999"},
        {"objectives-TOTAL_FORMS": "9" * 40, "objectives-INITIAL_FORMS": "9" * 40},
        {"objectives-TOTAL_FORMS": "abc"},
        {"objectives-INITIAL_FORMS": "abc"},
    ],
    ids=str,
)
def test_tampered_rows_are_refused_without_a_server_error(as_owner, concept, changes):
    draft = concept.draft
    before = snapshot(concept)
    data = current_data(draft, "objectives", **{"objectives-0-kpi": "Neu", **changes})
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert snapshot(concept) == before


def test_a_tampered_row_count_builds_no_more_forms_than_the_list_has_rows(
    as_owner, concept
):
    draft = concept.draft
    counts = {"objectives-TOTAL_FORMS": "1000000", "objectives-INITIAL_FORMS": "999999"}
    data = current_data(draft, "objectives", **counts)
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    (formset,) = response.context["forms"].formsets
    assert len(formset.forms) <= draft.objectives.count() + 1


def test_a_row_of_another_version_cannot_be_edited_through_its_id(
    as_owner, team, owner
):
    concept = make_concept(team, by=owner, title="A")
    other = make_concept(team, by=owner, title="B")
    foreign = other.draft.objectives.get()
    data = current_data(
        concept.draft,
        "objectives",
        **{"objectives-0-id": str(foreign.pk), "objectives-0-title": "Volé"},
    )
    response = as_owner.post(step_url(concept.draft, "objectives"), data)
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.title == "Objectif 0"


def test_two_forms_for_the_same_row_are_refused(as_owner, concept):
    draft = concept.draft
    row = draft.objectives.get()
    data = current_data(
        draft,
        "objectives",
        **{
            "objectives-TOTAL_FORMS": "2",
            "objectives-INITIAL_FORMS": "2",
            "objectives-1-id": str(row.pk),
            "objectives-1-title": "Doublon",
        },
    )
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    assert draft.objectives.get().title == "Objectif 0"


@pytest.mark.parametrize("missing", ["TOTAL_FORMS", "INITIAL_FORMS"])
def test_a_missing_management_form_is_refused(as_owner, concept, missing):
    draft = concept.draft
    before = snapshot(concept)
    data = current_data(draft, "objectives", **{"objectives-0-kpi": "Neu"})
    del data[f"objectives-{missing}"]
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 200
    assert snapshot(concept) == before


# Queries ------------------------------------------------------------------------


def with_new_rows(version, step, count) -> dict:
    """The step's data with ``count`` new valid rows in every list, each linked."""
    step_forms = StepForms(step, version, opened=EVERY_ROW)
    data = step_post_data(step_forms)
    for formset in step_forms.formsets:
        if not formset.can_delete:
            continue
        blank = formset.empty_form
        initial = formset.initial_form_count()
        for index in range(initial, initial + count):
            named = False
            for field in blank:
                if field.name in ("id", "version", "ORDER", "DELETE"):
                    continue
                name = f"{formset.prefix}-{index}-{field.name}"
                value = field.value()
                if field.name in formset.row_list.links:
                    value = [str(field.field.choices[0][0])]
                elif isinstance(field.field, forms.ChoiceField) and not value:
                    value = next(str(code) for code, _ in field.field.choices if code)
                elif type(field.field) is forms.CharField and not named:
                    value, named = f"Nouveau {index}", True
                if isinstance(value, list):
                    data[name] = value
                elif value is not None and not isinstance(value, bool):
                    data[name] = str(value)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial + count)
    return data


@pytest.mark.parametrize(
    "step",
    [step for step in STEPS if any(rl.fixed_by is None for rl in step.lists)],
    ids=lambda step: step.slug,
)
def test_adding_many_rows_costs_as_many_queries_as_adding_one(
    as_owner, team, owner, step, big_posts
):
    counts = []
    for count in (1, 100):
        draft = make_concept(team, by=owner, title=f"{count} new").draft
        data = with_new_rows(draft, step, count)
        url = step_url(draft, step.slug)
        counts.append(count_queries(as_owner, "post", url, data))
        for row_list in step.lists:
            assert row_list.rows(draft).count() == 1 + count
    assert counts[0] == counts[1]
    assert counts[0] <= MAX_QUERIES_POST

"""The guided wizard: one page per step, saved on every button, never a server error."""

import datetime
import random
import re
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from strategy import checks, versioning, wizard
from strategy.content import read_content
from strategy.limits import MAX_ROWS_PER_LIST, MAX_TEXT_LENGTH
from strategy.method import STEPS, get_step
from strategy.models import (
    BudgetLine,
    ContentPillar,
    Objective,
    Person,
    Readiness,
    Role,
    TargetGroup,
)
from strategy.stepforms import StepForms

from .factories import complete_draft, make_concept, step_post_data

EDITABLE_STEPS = [step for step in STEPS if step.fields or step.lists]
STEP_IDS = [step.slug for step in STEPS]
WRITES = ("INSERT", "UPDATE", "DELETE")


def step_url(version, slug) -> str:
    return reverse("strategy:step", args=[version.concept_id, version.number, slug])


def current_data(version, slug, *, blank_rows=False, **changes) -> dict:
    """What the browser posts for the step as the page shows it, plus ``changes``."""
    # The page shows the version as stored, not as a test's instance remembers it.
    version = type(version).objects.get(pk=version.pk)
    step_forms = StepForms(get_step(slug), version)
    return step_post_data(step_forms, blank_rows=blank_rows, **changes)


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
    ``test_a_step_with_many_rows_can_be_saved`` for the real setting.
    """
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None


# Rendering and opening ------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_every_step_renders_its_why_progress_and_fields(as_owner, draft, step):
    response = as_owner.get(step_url(draft, step.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(str(step.why)) in html
    assert html.count('class="step-link') == len(STEPS)
    for other in STEPS:
        assert f'value="step:{other.slug}"' in html
        assert escape(str(other.title)) in html
    for name in step.fields:
        assert f'name="v-{name}"' in html
        assert f'id="field-{name}"' in html
    for row_list in step.lists:
        assert f'id="list-{row_list.name}"' in html
        assert f'name="{row_list.name}-TOTAL_FORMS"' in html
        for name in row_list.fields:
            if name != row_list.fixed_by:
                assert f'name="{row_list.name}-0-{name}"' in html
    assert 'value="save"' in html


def test_the_progress_bar_shows_each_steps_state(as_owner, draft):
    html = as_owner.get(step_url(draft, "basics")).content.decode()
    classes = dict(
        re.findall(r'value="step:(\w+)"\s+class="step-link step-(\w+)', html)
    )
    assert classes == {
        "basics": "complete",
        "listen": "complete",
        "objectives": "complete",
        "target_groups": "complete",
        "content": "started",
        "resources": "complete",
        "integration": "started",
        "implementation": "complete",
        "readiness": "empty",
        "review": "empty",
    }


def test_lists_offer_a_blank_row_for_browsers_without_javascript(as_owner, draft):
    html = as_owner.get(step_url(draft, "objectives")).content.decode()
    noscript = "".join(re.findall(r"<noscript>.*?</noscript>", html, flags=re.DOTALL))
    assert 'name="objectives-1-title"' in noscript
    assert 'name="objectives-0-ORDER"' in html
    assert 'name="objectives-0-DELETE"' in html


def test_the_resources_step_shows_budget_totals_and_hours(as_owner, draft):
    BudgetLine.objects.filter(version=draft).update(period="monthly")
    html = as_owner.get(step_url(draft, "resources")).content.decode()
    assert "14,406.00" in html  # 1200.50 per month, twelve times
    assert "<span data-hours-total>16.5</span>" in html


def test_opening_a_new_concept_starts_with_the_basics(as_owner, team, owner):
    concept = versioning.create_concept(
        team=team,
        title="Présence LinkedIn",
        organisation="HRPJ",
        language="fr",
        by=owner,
    )
    response = as_owner.get(reverse("strategy:concept_open", args=[concept.pk]))
    assert response.status_code == 302
    assert response.url == step_url(concept.draft, "basics")


def test_opening_a_concept_continues_at_the_first_incomplete_step(as_owner, concept):
    response = as_owner.get(reverse("strategy:concept_open", args=[concept.pk]))
    assert response.url == step_url(concept.draft, "content")


def test_opening_a_complete_concept_goes_to_the_review(as_owner, concept):
    complete_draft(concept.draft)
    response = as_owner.get(reverse("strategy:concept_open", args=[concept.pk]))
    assert response.url == step_url(concept.draft, "review")


def test_opening_a_concept_goes_to_its_working_draft(as_owner, concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    response = as_owner.get(reverse("strategy:concept_open", args=[concept.pk]))
    assert response.url == step_url(concept.draft, "content")
    assert "/versions/2/" in response.url


def test_an_unknown_step_is_404(as_owner, draft):
    assert as_owner.get(step_url(draft, "nowhere")).status_code == 404
    assert as_owner.post(step_url(draft, "nowhere"), {}).status_code == 404


def test_an_id_too_large_for_the_database_is_404(as_owner, draft):
    huge = 10**25
    assert (
        as_owner.get(reverse("strategy:concept_open", args=[huge])).status_code == 404
    )
    url = reverse("strategy:step", args=[huge, 1, "basics"])
    assert as_owner.get(url).status_code == 404


def test_a_version_number_too_large_for_the_database_is_404(as_owner, draft):
    url = reverse("strategy:step", args=[draft.concept_id, 10**25, "basics"])
    assert as_owner.get(url).status_code == 404


def test_other_methods_than_get_and_post_are_refused(as_owner, draft):
    assert as_owner.put(step_url(draft, "basics")).status_code == 405
    assert as_owner.delete(step_url(draft, "basics")).status_code == 405


# Saving and navigating -------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, go, destination",
    [
        ("objectives", "next", "target_groups"),
        ("objectives", "back", "listen"),
        ("objectives", "save", "objectives"),
        ("objectives", None, "objectives"),
        ("objectives", "step:readiness", "readiness"),
        ("objectives", "step:basics", "basics"),
        ("objectives", "step:nowhere", "objectives"),
        ("objectives", "elsewhere", "objectives"),
        ("basics", "back", "basics"),
        ("readiness", "next", "review"),
        ("review", "next", "review"),
        ("review", "back", "readiness"),
    ],
)
def test_every_button_saves_then_leads_to_its_step(
    as_owner, concept, slug, go, destination
):
    draft = concept.draft
    changes = {"go": go} if go else {}
    if slug == "objectives":
        changes["objectives-0-title"] = "Dialogue avec les patients"
    elif slug == "basics":
        changes["v-context"] = "Nouveau contexte"
    elif slug == "readiness":
        changes["readiness-0-score"] = "2"
    response = as_owner.post(
        step_url(draft, slug), current_data(draft, slug, **changes)
    )
    assert response.status_code == 302
    assert response.url == step_url(draft, destination)
    draft.refresh_from_db()
    if slug == "objectives":
        assert draft.objectives.get().title == "Dialogue avec les patients"
    elif slug == "basics":
        assert draft.context == "Nouveau contexte"
    elif slug == "readiness":
        assert draft.readiness.first().score == 2


def test_saved_is_said_only_after_the_save_button(as_owner, draft):
    url = step_url(draft, "basics")
    response = as_owner.post(url, current_data(draft, "basics", **{"v-authors": "A"}))
    assert "Saved." in page_after(as_owner, response)
    response = as_owner.post(
        url, current_data(draft, "basics", go="next", **{"v-authors": "B"})
    )
    assert "Saved." not in page_after(as_owner, response)


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


def test_a_half_done_step_is_kept(as_owner, concept, owner):
    draft = concept.draft
    data = current_data(draft, "basics", go="next", **{"v-context": ""})
    response = as_owner.post(step_url(draft, "basics"), data)
    assert response.url == step_url(draft, "listen")
    draft.refresh_from_db()
    assert draft.context == ""
    html = as_owner.get(response.url).content.decode()
    assert re.search(r'value="step:basics"\s+class="step-link step-started', html)


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
    html = as_owner.get(step_url(draft, "content")).content.decode()
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


def test_a_text_too_long_comes_back_whole_to_be_shortened(as_owner, draft):
    text = "Contexte. " * (MAX_TEXT_LENGTH // 10) + "La fin."
    data = current_data(draft, "basics", **{"v-context": text})
    response = as_owner.post(step_url(draft, "basics"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f">\n{text}</textarea>" in html
    textarea = re.search(r'<textarea[^>]*name="v-context"[^>]*>', html).group(0)
    assert "maxlength" not in textarea  # a browser would cut a pasted text silently
    assert "Ensure this value has at most 20000 characters (it has 20007)." in html


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


def test_a_position_error_is_shown_next_to_the_position_field(as_owner, draft):
    data = current_data(draft, "objectives", **{"objectives-0-ORDER": "abc"})
    html = as_owner.post(step_url(draft, "objectives"), data).content.decode()
    assert 'id="id_objectives-0-ORDER_error"' in html
    assert described_elements_missing(html) == []


@pytest.mark.parametrize("step", EDITABLE_STEPS, ids=lambda step: step.slug)
def test_every_description_a_field_names_is_on_the_page(as_owner, draft, step):
    html = as_owner.get(step_url(draft, step.slug)).content.decode()
    assert described_elements_missing(html) == []


def test_numbers_are_typed_in_text_inputs_that_keep_a_decimal_comma(as_owner, draft):
    html = as_owner.get(step_url(draft, "resources")).content.decode()
    for name in ("budget_lines-0-amount", "people-0-hours_per_week"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="text"' in tag
        assert 'inputmode="decimal"' in tag


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


def test_text_is_saved_without_surrounding_spaces(as_owner, draft):
    data = current_data(draft, "basics", **{"v-authors": "  Anne  "})
    as_owner.post(step_url(draft, "basics"), data)
    draft.refresh_from_db()
    assert draft.authors == "Anne"


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


def test_a_row_removed_in_another_tab_stops_the_save_without_a_server_error(
    as_owner, team, owner
):
    concept = make_concept(team, by=owner, rows=2)
    draft = concept.draft
    first_tab = current_data(draft, "objectives", **{"objectives-1-kpi": "Tab 1"})
    second_tab = current_data(draft, "objectives", **{"objectives-0-DELETE": "on"})
    assert as_owner.post(step_url(draft, "objectives"), second_tab).status_code == 302
    response = as_owner.post(step_url(draft, "objectives"), first_tab)
    assert response.status_code == 409  # see tests/test_editing_together.py
    assert list(draft.objectives.values_list("title", "kpi")) == [
        ("Objectif 1", "Abonnés")
    ]


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


def test_an_empty_post_saves_nothing_and_raises_nothing(as_owner, concept):
    before = snapshot(concept)
    for step in STEPS:
        response = as_owner.post(step_url(concept.draft, step.slug), {})
        assert response.status_code in (200, 302)
    assert snapshot(concept) == before


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


@pytest.mark.parametrize(
    "name, typed, stored",
    [
        ("budget_lines-0-amount", "1'200.50", Decimal("1200.50")),
        ("budget_lines-0-amount", "1’200.50", Decimal("1200.50")),
        ("budget_lines-0-amount", "1 200,5", Decimal("1200.50")),
        ("budget_lines-0-amount", "1\u00a0200,5", Decimal("1200.50")),
        ("budget_lines-0-amount", " 800 ", Decimal("800")),
        ("people-0-hours_per_week", "12,5", Decimal("12.5")),
    ],
)
def test_swiss_number_formats_are_understood(as_owner, draft, name, typed, stored):
    data = current_data(draft, "resources", **{name: typed})
    response = as_owner.post(step_url(draft, "resources"), data)
    assert response.status_code == 302
    if name.startswith("budget_lines"):
        assert BudgetLine.objects.get(version=draft).amount == stored
    else:
        assert Person.objects.get(version=draft).hours_per_week == stored


def test_amounts_are_shown_without_needless_decimals(as_owner, draft):
    BudgetLine.objects.filter(version=draft).update(amount=Decimal("1200"))
    html = as_owner.get(step_url(draft, "resources")).content.decode()
    assert 'name="budget_lines-0-amount" value="1200"' in html


# Read-only pages -----------------------------------------------------------------


def editable_controls(html: str) -> list[str]:
    """The form controls a user could change: not hidden, not disabled."""
    form = re.search(r'<form id="wizard-form".*?</form>', html, flags=re.DOTALL)
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form.group(0))
    return [
        tag
        for tag in tags
        if 'type="hidden"' not in tag and not re.search(r"\sdisabled\b", tag)
    ]


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_a_frozen_version_is_shown_read_only(as_owner, concept, owner, step):
    frozen = concept.draft
    versioning.freeze(frozen, by=owner, note="v1")
    response = as_owner.get(step_url(frozen, step.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This version is frozen" in html
    assert editable_controls(html) == []
    assert 'value="save"' not in html
    assert 'value="next"' not in html
    assert "-DELETE" not in html
    assert "<noscript>" not in html.split('id="wizard-form"')[1]
    for name in step.fields:
        assert f'name="v-{name}"' in html
    for other in STEPS:
        assert f'href="{step_url(frozen, other.slug)}"' in html


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_reviewers_and_viewers_read_the_draft_without_changing_it(
    client, concept, team, role, step
):
    client.force_login(team.memberships.get(role=role).user)
    draft = concept.draft
    response = client.get(step_url(draft, step.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your role lets you read this concept, not change it." in html
    assert editable_controls(html) == []
    assert 'value="save"' not in html
    assert "strategy:freeze" not in html
    assert reverse("strategy:freeze", args=[concept.pk, 1]) not in html


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_reviewers_and_viewers_cannot_post_a_step(client, concept, team, role):
    client.force_login(team.memberships.get(role=role).user)
    draft = concept.draft
    before = snapshot(concept)
    for step in STEPS:
        data = current_data(draft, step.slug, **{"v-title": "Piraté"})
        assert client.post(step_url(draft, step.slug), data).status_code == 404
    assert snapshot(concept) == before


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_reviewers_and_viewers_get_404_posting_to_a_frozen_version(
    client, concept, team, owner, role
):
    frozen = concept.draft
    versioning.freeze(frozen, by=owner, note="v1")
    client.force_login(team.memberships.get(role=role).user)
    before = snapshot(concept)
    data = current_data(frozen, "basics", **{"v-title": "Piraté"})
    assert client.post(step_url(frozen, "basics"), data).status_code == 404
    assert snapshot(concept) == before


def test_outsiders_get_404_for_every_step(client, concept, outsider, other_team):
    client.force_login(outsider)
    draft = concept.draft
    before = snapshot(concept)
    for step in STEPS:
        assert client.get(step_url(draft, step.slug)).status_code == 404
        data = current_data(draft, step.slug, **{"v-title": "Piraté"})
        assert client.post(step_url(draft, step.slug), data).status_code == 404
    assert snapshot(concept) == before


def test_anonymous_users_are_sent_to_log_in(client, concept):
    response = client.post(step_url(concept.draft, "basics"), {"v-title": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Freezing from the review step -----------------------------------------------------


def freeze_url(version) -> str:
    return reverse("strategy:freeze", args=[version.concept_id, version.number])


def test_the_review_lists_the_findings_with_links_to_where_to_fix_them(
    as_owner, team, owner
):
    concept = versioning.create_concept(
        team=team, title="Vide", organisation="HRPJ", language="fr", by=owner
    )
    draft = concept.draft
    findings = checks.check_version(draft)
    assert findings
    html = as_owner.get(step_url(draft, "review")).content.decode()
    for finding in findings:
        assert escape(finding.message) in html
        link = f"{step_url(draft, finding.step)}#{finding.anchor}"
        assert f'href="{link}"' in html


def test_every_finding_points_to_an_element_of_its_step_page(as_owner, concept):
    draft = concept.draft
    TargetGroup.objects.filter(version=draft).update(name="")
    Objective.objects.filter(version=draft).update(kpi="")
    pages = {}
    findings = checks.check_version(draft)
    assert findings
    for finding in findings:
        if finding.step not in pages:
            pages[finding.step] = as_owner.get(step_url(draft, finding.step))
        assert f'id="{finding.anchor}"' in pages[finding.step].content.decode()


def test_the_owner_freezes_the_draft_with_a_change_note(as_owner, concept):
    draft = concept.draft
    html = as_owner.get(step_url(draft, "review")).content.decode()
    assert f'action="{freeze_url(draft)}"' in html
    response = as_owner.post(freeze_url(draft), {"note": "Validé par la direction"})
    assert response.status_code == 302
    assert response.url == concept.get_absolute_url()
    draft.refresh_from_db()
    assert draft.is_frozen
    assert draft.change_note == "Validé par la direction"
    assert concept.draft.number == 2
    assert "Version 1 is frozen" in as_owner.get(response.url).content.decode()


def test_an_editor_may_freeze_too(client, concept, team):
    client.force_login(team.memberships.get(role=Role.EDITOR).user)
    response = client.post(freeze_url(concept.draft), {"note": "Prêt"})
    assert response.status_code == 302
    assert concept.versions.get(number=1).is_frozen


@pytest.mark.parametrize("note", ["", "   "])
def test_freezing_needs_a_change_note(as_owner, concept, note):
    draft = concept.draft
    response = as_owner.post(freeze_url(draft), {"note": note})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert 'name="note"' in html
    draft.refresh_from_db()
    assert not draft.is_frozen
    assert concept.versions.count() == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_reviewers_and_viewers_cannot_freeze(client, concept, team, role):
    client.force_login(team.memberships.get(role=role).user)
    assert client.post(freeze_url(concept.draft), {"note": "x"}).status_code == 404
    assert not concept.draft.is_frozen


def test_a_frozen_version_cannot_be_frozen_again(as_owner, concept, owner):
    frozen = concept.draft
    versioning.freeze(frozen, by=owner, note="v1")
    assert as_owner.post(freeze_url(frozen), {"note": "encore"}).status_code == 404
    frozen.refresh_from_db()
    assert frozen.change_note == "v1"
    assert concept.versions.count() == 2


def test_a_draft_frozen_by_someone_else_meanwhile_is_not_frozen_twice(
    as_owner, concept, owner, monkeypatch
):
    draft = concept.draft
    validate = wizard.FreezeForm.is_valid

    def freeze_then_validate(form):
        versioning.freeze(draft, by=owner, note="Par l'autre onglet")
        return validate(form)

    monkeypatch.setattr(wizard.FreezeForm, "is_valid", freeze_then_validate)
    response = as_owner.post(freeze_url(draft), {"note": "Par cet onglet"})
    assert response.status_code == 302
    assert "This draft is frozen already" in page_after(as_owner, response)
    assert concept.versions.count() == 2
    assert concept.versions.get(number=1).change_note == "Par l'autre onglet"


def test_freezing_is_a_post(as_owner, concept):
    assert as_owner.get(freeze_url(concept.draft)).status_code == 405


# Races and tabs ----------------------------------------------------------------


def test_a_version_frozen_between_showing_and_saving_says_so(as_owner, concept, owner):
    draft = concept.draft
    data = current_data(draft, "objectives", **{"objectives-0-title": "Trop tard"})
    versioning.freeze(draft, by=owner, note="Entre-temps")
    before = snapshot(concept)
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 302
    assert response.url == step_url(draft, "objectives")
    assert "This version was frozen meanwhile" in page_after(as_owner, response)
    assert snapshot(concept) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"objectives-0-title": "Trop tard"},
        {"objectives-0-target_groups": []},
        {"objectives-0-DELETE": "on"},
        {
            "objectives-TOTAL_FORMS": "2",
            "objectives-1-title": "Nouveau",
            "objectives-1-goal": "image",
            "objectives-1-kpi_kind": "reach",
        },
    ],
    ids=["row", "links", "removal", "new row"],
)
def test_a_version_frozen_while_saving_keeps_its_content(
    as_owner, concept, owner, monkeypatch, changes
):
    draft = concept.draft
    before = read_content(draft)
    validate = StepForms.is_valid

    def freeze_then_validate(step_forms):
        versioning.freeze(step_forms.version, by=owner, note="Entre-temps")
        return validate(step_forms)

    monkeypatch.setattr(StepForms, "is_valid", freeze_then_validate)
    data = current_data(draft, "objectives", **changes)
    response = as_owner.post(step_url(draft, "objectives"), data)
    assert response.status_code == 302
    assert "This version was frozen meanwhile" in page_after(as_owner, response)
    draft.refresh_from_db()
    assert draft.is_frozen
    assert read_content(draft) == before
    assert read_content(concept.draft) == before


def test_two_concepts_in_two_tabs_never_mix(as_owner, team, owner):
    first = make_concept(team, by=owner, title="Premier").draft
    second = make_concept(team, by=owner, title="Second").draft
    first_data = current_data(first, "objectives", **{"objectives-0-kpi": "Un"})
    second_data = current_data(second, "objectives", **{"objectives-0-kpi": "Deux"})
    first_basics = current_data(first, "basics", **{"v-authors": "Tab 1"})
    second_basics = current_data(second, "basics", **{"v-authors": "Tab 2"})
    assert as_owner.post(step_url(second, "objectives"), second_data).status_code == 302
    assert as_owner.post(step_url(first, "basics"), first_basics).status_code == 302
    assert as_owner.post(step_url(first, "objectives"), first_data).status_code == 302
    assert as_owner.post(step_url(second, "basics"), second_basics).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.authors, first.objectives.get().kpi) == ("Tab 1", "Un")
    assert (second.authors, second.objectives.get().kpi) == ("Tab 2", "Deux")
    assert (first.title, second.title) == ("Premier", "Second")


def test_a_post_for_one_concept_cannot_touch_another(as_owner, team, owner):
    first = make_concept(team, by=owner, title="Premier")
    second = make_concept(team, by=owner, title="Second")
    before = snapshot(second)
    data = current_data(second.draft, "objectives", **{"objectives-0-kpi": "Mélangé"})
    response = as_owner.post(step_url(first.draft, "objectives"), data)
    assert response.status_code == 200
    assert snapshot(second) == before
    assert first.draft.objectives.get().kpi == "Abonnés"


def test_two_steps_of_one_concept_in_two_tabs_keep_both_changes(as_owner, concept):
    draft = concept.draft
    basics = current_data(draft, "basics", **{"v-context": "Depuis l'onglet 1"})
    listen = current_data(draft, "listen", **{"v-listening_summary": "Onglet 2"})
    assert as_owner.post(step_url(draft, "listen"), listen).status_code == 302
    assert as_owner.post(step_url(draft, "basics"), basics).status_code == 302
    draft.refresh_from_db()
    assert (draft.context, draft.listening_summary) == ("Depuis l'onglet 1", "Onglet 2")


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


# Markdown preview -----------------------------------------------------------------


def test_markdown_preview_renders_safe_html(as_owner, team):
    text = (
        "**Important**\n\n- un\n- deux\n\n<script>alert(1)</script>\n\n"
        "[clic](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    response = as_owner.post(reverse("strategy:markdown_preview"), {"text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Important</strong>" in html
    assert "<li>un</li>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_markdown_preview_of_nothing_is_empty(as_owner, team):
    response = as_owner.post(reverse("strategy:markdown_preview"))
    assert response.status_code == 200
    assert response.content == b""


def test_markdown_preview_is_for_members_of_a_team(client, outsider):
    client.force_login(outsider)
    url = reverse("strategy:markdown_preview")
    assert client.post(url, {"text": "**x**"}).status_code == 404


def test_markdown_preview_of_a_text_longer_than_a_field_says_so(as_owner, team):
    text = "a" * (MAX_TEXT_LENGTH + 1)
    response = as_owner.post(reverse("strategy:markdown_preview"), {"text": text})
    assert response.status_code == 413
    assert response.content.decode() == (
        '<p class="text-danger">This text has 20,001 characters; a text holds at '
        "most 20,000. Shorten it to see its preview.</p>"
    )


def test_markdown_preview_needs_a_login_and_a_post(client, owner, team):
    url = reverse("strategy:markdown_preview")
    response = client.post(url, {"text": "**x**"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(owner)
    assert client.get(url, {"text": "**x**"}).status_code == 405


# Queries ------------------------------------------------------------------------

MAX_QUERIES_GET = 15
MAX_QUERIES_POST = 35  # the version's lock and a savepoint cost 3 of them


def every_row_changed(version, step) -> dict:
    """The step's data with a text of the version and of each row changed, links cut."""
    step_forms = StepForms(step, version)
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


def with_new_rows(version, step, count) -> dict:
    """The step's data with ``count`` new valid rows in every list, each linked."""
    step_forms = StepForms(step, version)
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


def count_queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code == (302 if method == "post" else 200)
    return len(captured)


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


def test_a_step_with_many_rows_can_be_saved(client, team, owner):
    draft = make_concept(team, by=owner, rows=100).draft
    client.force_login(owner)
    client.raise_request_exception = False
    response = client.post(step_url(draft, "listen"), current_data(draft, "listen"))
    assert response.status_code == 302


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


def test_random_junk_in_the_freeze_form_never_causes_a_server_error(
    as_owner, team, owner
):
    rng = random.Random("freeze")
    for _attempt in range(10):
        draft = make_concept(team, by=owner).draft
        data = {"note": rng.choice(JUNK), rng.choice(JUNK)[:100]: rng.choice(JUNK)}
        response = as_owner.post(freeze_url(draft), data)
        assert response.status_code in (200, 302)


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

"""The wizard's step pages: every step renders and opens where work continues, every
button saves then leads on, pages are read-only where they must be, tabs never mix,
and Markdown previews safely."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from strategy import versioning
from strategy.content import read_content
from strategy.limits import MAX_TEXT_LENGTH
from strategy.method import STEPS
from strategy.models import BudgetLine, Role
from strategy.stepforms import StepForms

from . import steps
from .factories import complete_draft, make_concept
from .steps import (
    EDITABLE_STEPS,
    STEP_IDS,
    current_data,
    described_elements_missing,
    page_after,
    snapshot,
    step_url,
)

# The fixtures of tests/steps.py that these tests use.
as_owner = steps.as_owner
draft = steps.draft


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
        shown = html
        if not row_list.fixed_by:  # rows show as summaries; "Edit" shows the fields
            assert f'name="{row_list.name}-0-SUMMARY"' in html
            key = row_list.rows(draft).first().key
            url = f"{step_url(draft, step.slug)}?open={row_list.name}-{key}"
            shown = as_owner.get(url).content.decode()
            assert f'name="{row_list.name}-0-SUMMARY"' not in shown
        for name in row_list.fields:
            if name != row_list.fixed_by:
                assert f'name="{row_list.name}-0-{name}"' in shown
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


def test_the_resources_step_shows_budget_totals_and_hours(as_owner, draft):
    BudgetLine.objects.filter(version=draft).update(period="monthly")
    html = as_owner.get(step_url(draft, "resources")).content.decode()
    assert "14&#x27;406.00" in html  # 1200.50 per month, twelve times (en-CH)
    assert "<span data-hours-total>16.5</span>" in html


@pytest.mark.parametrize("step", EDITABLE_STEPS, ids=lambda step: step.slug)
def test_every_description_a_field_names_is_on_the_page(as_owner, draft, step):
    html = as_owner.get(step_url(draft, step.slug)).content.decode()
    assert described_elements_missing(html) == []


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


def test_a_half_done_step_is_kept(as_owner, concept, owner):
    draft = concept.draft
    data = current_data(draft, "basics", go="next", **{"v-context": ""})
    response = as_owner.post(step_url(draft, "basics"), data)
    assert response.url == step_url(draft, "listen")
    draft.refresh_from_db()
    assert draft.context == ""
    html = as_owner.get(response.url).content.decode()
    assert re.search(r'value="step:basics"\s+class="step-link step-started', html)


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
    assert "You can read this version, not change it." in html
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
        '<p class="text-danger">This text has 20&#x27;001 characters; a text holds at '
        "most 20&#x27;000. Shorten it to see its preview.</p>"
    )


def test_markdown_preview_needs_a_login_and_a_post(client, owner, team):
    url = reverse("strategy:markdown_preview")
    response = client.post(url, {"text": "**x**"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(owner)
    assert client.get(url, {"text": "**x**"}).status_code == 405

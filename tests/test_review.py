"""The review step: its findings link to where each is fixed, and freezing from it
takes a change note, only from those who may, once."""

import random

import pytest
from django.urls import reverse
from django.utils.html import escape

from strategy import checks, review, versioning
from strategy.models import Objective, Role, TargetGroup

from . import steps
from .factories import make_concept
from .steps import JUNK, page_after, step_url

# The fixtures of tests/steps.py that these tests use.
as_owner = steps.as_owner


# Findings ------------------------------------------------------------------------


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
        opened = finding.anchor.removeprefix("row-")
        query = f"?open={opened}" if opened != finding.anchor else ""
        link = f"{step_url(draft, finding.step)}{query}#{finding.anchor}"
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


# Freezing from the review step -----------------------------------------------------


def freeze_url(version) -> str:
    return reverse("strategy:freeze", args=[version.concept_id, version.number])


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
    validate = review.FreezeForm.is_valid

    def freeze_then_validate(form):
        versioning.freeze(draft, by=owner, note="Par l'autre onglet")
        return validate(form)

    monkeypatch.setattr(review.FreezeForm, "is_valid", freeze_then_validate)
    response = as_owner.post(freeze_url(draft), {"note": "Par cet onglet"})
    assert response.status_code == 302
    assert "This draft is frozen already" in page_after(as_owner, response)
    assert concept.versions.count() == 2
    assert concept.versions.get(number=1).change_note == "Par l'autre onglet"


def test_freezing_is_a_post(as_owner, concept):
    assert as_owner.get(freeze_url(concept.draft)).status_code == 405


def test_random_junk_in_the_freeze_form_never_causes_a_server_error(
    as_owner, team, owner
):
    rng = random.Random("freeze")
    for _attempt in range(10):
        draft = make_concept(team, by=owner).draft
        data = {"note": rng.choice(JUNK), rng.choice(JUNK)[:100]: rng.choice(JUNK)}
        response = as_owner.post(freeze_url(draft), data)
        assert response.status_code in (200, 302)

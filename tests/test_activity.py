"""The activity log: every event of a concept's life is recorded once, with who."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from strategy import activity, approval, versioning
from strategy.interchange import export_concept, import_concept
from strategy.method import get_step
from strategy.models import Action, Activity

from .factories import make_team


def actions(concept):
    return list(
        concept.activities.order_by("at", "pk").values_list("action", flat=True)
    )


def test_creating_a_concept_is_recorded_with_its_author(concept, owner):
    entry = concept.activities.get()
    assert (entry.action, entry.actor, entry.actor_name, entry.version_number) == (
        Action.CREATED,
        owner,
        "Olivia Owner",
        1,
    )


def test_freezing_and_a_new_draft_from_a_version_are_recorded(concept, owner):
    versioning.freeze(concept.draft, by=owner, note="Jalon")
    versioning.start_draft_from(concept.versions.get(number=1), by=owner)
    assert actions(concept) == [Action.CREATED, Action.FROZEN, Action.NEW_DRAFT_FROM]
    restarted = concept.activities.get(action=Action.NEW_DRAFT_FROM)
    assert activity.describe(restarted) == "started draft v2 again from version 1"
    assert concept.activities.get(action=Action.FROZEN).comment == "Jalon"


def test_saving_a_step_again_soon_updates_the_entry_instead_of_adding_one(
    concept, owner, team
):
    draft = concept.draft
    objectives, pillars = get_step("objectives"), get_step("content")
    activity.record_step_saved(draft, objectives, by=owner)
    activity.record_step_saved(draft, objectives, by=owner)
    assert concept.activities.filter(action=Action.STEP_SAVED).count() == 1
    editor = team.memberships.get(role="editor").user
    activity.record_step_saved(draft, objectives, by=editor)
    activity.record_step_saved(draft, pillars, by=editor)
    assert concept.activities.filter(action=Action.STEP_SAVED).count() == 3
    # Much later, the same save is news again.
    Activity.objects.update(at=timezone.now() - datetime.timedelta(hours=2))
    activity.record_step_saved(draft, pillars, by=editor)
    assert concept.activities.filter(action=Action.STEP_SAVED).count() == 4
    latest = concept.activities.first()
    assert activity.describe(latest) == "saved the step “Content” of draft v1"


def test_an_import_is_recorded_with_the_history_the_file_tells(concept, owner, team):
    reviewer = team.memberships.get(role="reviewer").user
    draft = approval.submit(concept.draft, by=owner, note="Validée")
    approval.approve(draft, by=reviewer)
    versioning.freeze(concept.draft, by=owner, note="Jalon")
    copy = import_concept(export_concept(concept), team=make_team("Import"), by=owner)
    assert actions(copy) == [Action.APPROVED, Action.FROZEN, Action.IMPORTED]
    approved = copy.activities.get(action=Action.APPROVED)
    original = concept.versions.get(number=1)
    assert (approved.actor, approved.actor_name, approved.at, approved.comment) == (
        None,
        "reviewer",
        original.frozen_at,
        "Validée",
    )
    assert copy.activities.get(action=Action.IMPORTED).actor == owner


@pytest.mark.parametrize(
    ("name", "detail", "number"),
    [
        ("concept_export", "JSON", None),
        ("version_export", "JSON", 1),
        ("document_pdf", "PDF", 1),
    ],
)
def test_downloads_are_recorded_as_exports(
    client, concept, owner, name, detail, number
):
    client.force_login(owner)
    args = [concept.pk] if number is None else [concept.pk, number]
    assert client.get(reverse(f"strategy:{name}", args=args)).status_code == 200
    entry = concept.activities.get(action=Action.EXPORTED)
    assert (entry.detail, entry.version_number, entry.actor) == (detail, number, owner)


def test_a_failed_import_records_nothing(concept, owner):
    document = export_concept(concept)
    document["versions"][0]["status"] = "lost"
    with pytest.raises(Exception):  # noqa: B017 - the import refuses the document
        import_concept(document, team=concept.team, by=owner)
    assert not Activity.objects.filter(action=Action.IMPORTED).exists()

"""How far each step of a version is filled in, computed from the data."""

import pytest

from strategy import versioning
from strategy.method import STEPS
from strategy.models import Objective, Readiness
from strategy.progress import State, first_incomplete_step, version_progress

from .factories import complete_draft, make_concept

EMPTY, STARTED, COMPLETE = State.EMPTY, State.STARTED, State.COMPLETE


def states(version) -> dict[str, State]:
    return {item.step.slug: item.state for item in version_progress(version)}


@pytest.fixture
def new_draft(team, owner):
    concept = versioning.create_concept(
        team=team, title="LinkedIn", organisation="HRPJ", language="fr", by=owner
    )
    return concept.draft


def test_progress_lists_every_step_in_order_with_its_number(concept):
    progress = version_progress(concept.draft)
    assert [item.step for item in progress] == list(STEPS)
    assert [item.number for item in progress] == list(range(1, len(STEPS) + 1))


def test_a_new_concept_has_started_basics_and_nothing_else(new_draft):
    assert states(new_draft) == {
        "basics": STARTED,
        "listen": EMPTY,
        "objectives": EMPTY,
        "target_groups": EMPTY,
        "content": EMPTY,
        "resources": EMPTY,
        "integration": EMPTY,
        "implementation": EMPTY,
        "readiness": EMPTY,
        "review": EMPTY,
    }


def test_a_step_is_complete_when_its_required_fields_and_lists_are_filled(concept):
    assert states(concept.draft) == {
        "basics": COMPLETE,
        "listen": COMPLETE,
        "objectives": COMPLETE,
        "target_groups": COMPLETE,
        "content": STARTED,  # content pillars, but no dialogue guidelines yet
        "resources": COMPLETE,
        "integration": STARTED,  # departments, but neither culture nor process
        "implementation": COMPLETE,
        "readiness": EMPTY,
        "review": EMPTY,
    }


def test_an_optional_field_alone_starts_a_step(new_draft):
    new_draft.dialogue_praise = "Merci, toujours."
    new_draft.save()
    assert states(new_draft)["content"] == STARTED


def test_a_missing_required_field_keeps_a_step_started(concept):
    draft = concept.draft
    draft.context = ""
    draft.save()
    assert states(draft)["basics"] == STARTED


def test_a_missing_required_list_keeps_a_step_started(concept):
    draft = concept.draft
    draft.channels.all().delete()
    assert states(draft)["listen"] == STARTED
    draft.listening_summary = ""
    draft.opinion_leaders.all().delete()
    draft.interest_groups.all().delete()
    draft.save()
    assert states(draft)["listen"] == EMPTY


def test_a_list_emptied_again_makes_its_step_empty_again(concept):
    draft = concept.draft
    Objective.objects.filter(version=draft).delete()
    assert states(draft)["objectives"] == EMPTY


def test_readiness_is_complete_only_when_all_five_obstacles_are_rated(new_draft):
    ratings = list(new_draft.readiness.all())
    assert len(ratings) == 5
    for rated, rating in enumerate(ratings, start=1):
        rating.score = 3
        rating.save()
        expected = COMPLETE if rated == 5 else STARTED
        assert states(new_draft)["readiness"] == expected


def test_a_note_without_a_score_does_not_start_readiness(new_draft):
    new_draft.readiness.update(note="On en parle encore.")
    assert states(new_draft)["readiness"] == EMPTY


def test_review_is_complete_when_every_other_step_is_and_nothing_is_left_to_fix(
    concept,
):
    draft = complete_draft(concept.draft)
    assert set(states(draft).values()) == {COMPLETE}
    draft.sponsor_name = ""
    draft.save()
    assert states(draft)["resources"] == STARTED
    assert states(draft)["review"] == EMPTY
    draft.sponsor_name = "Dr Marc Favre"
    draft.save()
    assert states(draft)["review"] == COMPLETE
    draft.pillars.first().objectives.clear()
    assert states(draft)["review"] == STARTED
    Readiness.objects.filter(version=draft).first().delete()
    assert states(draft)["readiness"] == STARTED
    assert states(draft)["review"] == EMPTY


def test_a_frozen_version_shows_its_progress_too(concept, owner):
    draft = complete_draft(concept.draft)
    versioning.freeze(draft, by=owner, note="Validé")
    draft.refresh_from_db()
    assert draft.is_frozen
    assert set(states(draft).values()) == {COMPLETE}


def test_a_user_continues_at_the_first_step_that_is_not_complete(new_draft, concept):
    assert first_incomplete_step(new_draft).slug == "basics"
    assert first_incomplete_step(concept.draft).slug == "content"


def test_a_complete_concept_continues_at_the_review(concept):
    assert first_incomplete_step(complete_draft(concept.draft)).slug == "review"


@pytest.mark.parametrize("rows", [1, 60])
def test_progress_costs_one_query_whatever_the_size(
    team, owner, rows, django_assert_num_queries
):
    draft = make_concept(team, by=owner, rows=rows).draft
    with django_assert_num_queries(1):
        version_progress(draft)
    with django_assert_num_queries(1):
        first_incomplete_step(draft)

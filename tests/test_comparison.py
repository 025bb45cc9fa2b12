"""Comparing two versions: words, rows by key, links, fixed queries, fast answers."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy import versioning
from strategy.comparison import compare_versions
from strategy.comparison_text import format_text
from strategy.method import ROW_LISTS
from strategy.models import ContentPillar, Objective, TargetGroup
from strategy.worddiff import DELETE, INSERT, WordOp

from .factories import long_text, make_concept, sides


def frozen_and_draft(concept, owner):
    """Freeze the concept's draft; return version 1 (frozen) and the new draft."""
    draft = versioning.freeze(concept.draft, by=owner, note="v1")
    return concept.versions.get(number=1), draft


def step(comparison, slug):
    return next(change for change in comparison.steps if change.step.slug == slug)


def list_change(comparison, name):
    return next(
        change
        for step_change in comparison.steps
        for change in step_change.lists
        if change.row_list.name == name
    )


def test_changed_field_shows_a_word_diff(concept, owner):
    old, draft = frozen_and_draft(concept, owner)
    draft.context = "L'hôpital recrute vite et veut dialoguer."
    draft.save()
    comparison = compare_versions(old, draft)
    basics = step(comparison, "basics")
    assert not basics.is_unchanged
    (change,) = basics.fields
    assert (change.name, change.label) == ("context", "Context")
    assert change.new == "L'hôpital recrute vite et veut dialoguer."
    assert WordOp(INSERT, " vite") in change.words
    assert "[-**-]" in format_text(comparison)


def test_identical_versions_are_unchanged_everywhere(concept, owner):
    old, draft = frozen_and_draft(concept, owner)
    comparison = compare_versions(old, draft)
    assert comparison.is_unchanged
    assert all(s.is_unchanged and not s.fields for s in comparison.steps)
    assert [s.step.slug for s in comparison.steps][:2] == ["basics", "listen"]
    text = format_text(comparison)
    assert "No differences." in text
    assert "## Objectives: unchanged" in text


def test_rows_are_matched_by_key_and_a_reorder_is_only_a_move(team, owner):
    concept = make_concept(team, by=owner, rows=3)
    old, draft = frozen_and_draft(concept, owner)
    for position, key in enumerate(["ob2", "ob0", "ob1"]):
        Objective.objects.filter(version=draft, key=key).update(position=position)
    comparison = compare_versions(old, draft)
    objectives = list_change(comparison, "objectives")
    assert not (objectives.added or objectives.removed or objectives.changed)
    assert [row.key for row in objectives.moved] == ["ob2"]
    assert "↕ Objectif 2 (moved)" in format_text(comparison)


def test_rows_added_removed_and_changed(team, owner):
    concept = make_concept(team, by=owner, rows=3)
    old, draft = frozen_and_draft(concept, owner)
    draft.objectives.get(key="ob0").delete()
    objective = draft.objectives.get(key="ob2")
    objective.target = Decimal("300")
    objective.due = datetime.date(2028, 1, 31)
    objective.goal = Objective.Goal.EMPLOYER
    objective.title = "Objectif deux"
    objective.position = 0  # also moved to the front: still changed, not new
    objective.save()
    Objective.objects.create(version=draft, key="new", position=9, title="Nouveau")
    comparison = compare_versions(old, draft)
    objectives = list_change(comparison, "objectives")
    assert [row.key for row in objectives.added] == ["new"]
    assert [row.name for row in objectives.removed] == ["Objectif 0"]
    (changed,) = objectives.changed
    assert (changed.key, changed.name) == ("ob2", "Objectif deux")
    by_name = {change.name: change for change in changed.fields}
    assert set(by_name) == {"title", "target", "due", "goal"}
    assert (by_name["target"].old, by_name["target"].new) == (
        Decimal("250.5"),
        Decimal("300"),
    )
    assert by_name["due"].new == datetime.date(2028, 1, 31)
    text = format_text(comparison)
    assert "  + Nouveau" in text
    assert "  - Objectif 0" in text
    assert "  ~ Objectif deux" in text
    assert "Objectif [-2-]{+deux+}" in text
    assert "Aim: [-Dialogue with reference groups-]{+Positioning as an employer+}" in (
        text
    )


def test_platforms_compare_as_lists_and_show_their_names(concept, owner):
    old, draft = frozen_and_draft(concept, owner)
    draft.target_groups.filter(key="tg0").update(platforms=["linkedin", "tiktok"])
    comparison = compare_versions(old, draft)
    (changed,) = list_change(comparison, "target_groups").changed
    (platforms,) = changed.fields
    assert (platforms.old, platforms.new) == (["linkedin"], ["linkedin", "tiktok"])
    assert "LinkedIn{+, TikTok+}" in format_text(comparison)


def test_link_changes_are_compared_as_sets_of_named_rows(team, owner):
    concept = make_concept(team, by=owner, rows=3)
    old, draft = frozen_and_draft(concept, owner)
    pillar = draft.pillars.get(key="cp0")
    groups = {group.key: group for group in draft.target_groups.all()}
    pillar.target_groups.set([groups["tg1"], groups["tg2"]])
    # Renaming a target is shown in its own list, not in every link to it.
    TargetGroup.objects.filter(pk=groups["tg2"].pk).update(name="Apprentis")
    comparison = compare_versions(old, draft)
    (changed,) = list_change(comparison, "pillars").changed
    (link,) = changed.fields
    assert link.name == "target_groups"
    assert (link.old, link.new) == (["Groupe 0"], ["Groupe 1", "Apprentis"])
    assert link.words == [
        WordOp(DELETE, "Groupe 0"),
        WordOp(INSERT, "Groupe 1, Apprentis"),
    ]
    (renamed,) = list_change(comparison, "target_groups").changed
    assert renamed.key == "tg2"
    assert "Target groups: [-Groupe 0-]{+Groupe 1, Apprentis+}" in format_text(
        comparison
    )


def test_a_link_added_to_kept_ones(team, owner):
    concept = make_concept(team, by=owner, rows=2)
    old, draft = frozen_and_draft(concept, owner)
    pillar = draft.pillars.get(key="cp0")
    pillar.objectives.add(draft.objectives.get(key="ob1"))
    (changed,) = list_change(compare_versions(old, draft), "pillars").changed
    (link,) = changed.fields
    assert sides(link.words) == ("Objectif 0", "Objectif 0, Objectif 1")


def test_draft_against_frozen_either_way(concept, owner):
    old, draft = frozen_and_draft(concept, owner)
    draft.sponsor_name = "Dre Anne Rochat"
    draft.save()
    forward = compare_versions(old, draft)
    backward = compare_versions(draft, old)
    (forward_change,) = step(forward, "resources").fields
    (backward_change,) = step(backward, "resources").fields
    assert (forward_change.old, forward_change.new) == (
        "Dr Marc Favre",
        "Dre Anne Rochat",
    )
    assert (backward_change.old, backward_change.new) == (
        "Dre Anne Rochat",
        "Dr Marc Favre",
    )
    assert step(forward, "objectives").is_unchanged


def compared_queries(team, owner, rows):
    concept = make_concept(team, by=owner, title=f"Concept {rows}", rows=rows)
    old, draft = frozen_and_draft(concept, owner)
    draft.context = "Un autre contexte."
    draft.save()
    ContentPillar.objects.filter(version=draft, key="cp0").delete()
    with CaptureQueriesContext(connection) as queries:
        comparison = compare_versions(old, draft)
        format_text(comparison)
    return len(queries)


def test_query_count_does_not_grow_with_the_versions(team, owner):
    one_query_a_list_and_a_link = 2 * sum(
        1 + len(row_list.links) for row_list in ROW_LISTS
    )
    assert compared_queries(team, owner, 1) == one_query_a_list_and_a_link
    assert compared_queries(team, owner, 150) == one_query_a_list_and_a_link


def test_comparing_large_versions_is_fast(team, owner):
    concept = make_concept(team, by=owner, rows=150)
    draft = concept.draft
    draft.context = long_text(20_000)
    draft.listening_summary = long_text(5_000, seed=1)
    draft.save()
    old, draft = frozen_and_draft(concept, owner)
    draft.context = draft.context.replace("Phrase 700 ", "Phrase sept cents ")
    draft.save()
    Objective.objects.filter(version=draft, position__lt=50).update(kpi="Portée")
    draft.pillars.filter(key="cp3").delete()
    comparison = compare_versions(old, draft)
    text = format_text(comparison)
    assert len(list_change(comparison, "objectives").changed) == 50
    assert "{+sept cents+}" in text

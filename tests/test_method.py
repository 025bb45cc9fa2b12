"""The method's declaration holds together: every field and list belongs to one step,
lists link only to lists written before them, and every extra a step names exists."""

from collections import Counter

import pytest
from django.template.loader import get_template
from django.utils.module_loading import import_string

from strategy.method import (
    HISTORY_FIELDS,
    ROW_LISTS,
    STEPS,
    VERSION_FIELDS,
    WORKFLOW_FIELDS,
    get_list,
    get_step,
    link_targets,
    lists_in_dependency_order,
    step_of,
)
from strategy.models import ConceptVersion

EXTRAS = [(step, extra) for step in STEPS for extra in step.extras]


def repeated(names) -> list:
    return [name for name, count in Counter(names).items() if count > 1]


def test_every_field_and_every_list_is_edited_in_exactly_one_step():
    assert repeated(VERSION_FIELDS) == []
    assert repeated(row_list.name for row_list in ROW_LISTS) == []
    assert repeated(row_list.model for row_list in ROW_LISTS) == []
    assert repeated(step.slug for step in STEPS) == []


def test_content_and_bookkeeping_of_a_version_do_not_overlap():
    assert set(VERSION_FIELDS).isdisjoint(WORKFLOW_FIELDS)
    assert set(HISTORY_FIELDS) <= set(WORKFLOW_FIELDS)
    for name in (*VERSION_FIELDS, *WORKFLOW_FIELDS):
        assert ConceptVersion._meta.get_field(name).concrete, name


def test_each_list_is_named_by_its_relation_on_the_version():
    for row_list in ROW_LISTS:
        relation = ConceptVersion._meta.get_field(row_list.name)
        assert relation.one_to_many, row_list.name
        assert relation.related_model is row_list.model, row_list.name


def test_lists_come_in_dependency_order_after_the_lists_they_link_to():
    ordered = lists_in_dependency_order()
    assert sorted(rl.name for rl in ordered) == sorted(rl.name for rl in ROW_LISTS)
    for index, row_list in enumerate(ordered):
        for link, target in row_list.links.items():
            assert target in ordered[:index], (row_list.name, link)


def test_link_targets_are_exactly_the_lists_some_list_links_to():
    linked_models = {
        field.related_model
        for row_list in ROW_LISTS
        for field in row_list.model._meta.many_to_many
    }
    targets = link_targets()
    assert {row_list.model for row_list in targets} == linked_models
    assert list(targets) == [rl for rl in ROW_LISTS if rl in targets]  # method order


def test_a_fixed_list_is_fixed_by_a_field_with_choices():
    fixed = [row_list for row_list in ROW_LISTS if row_list.fixed_by]
    assert fixed
    for row_list in fixed:
        field = row_list.model._meta.get_field(row_list.fixed_by)
        assert field.choices, row_list.name
        assert row_list.fixed_by in row_list.fields


@pytest.mark.django_db
def test_every_filled_when_condition_is_a_valid_query_of_its_list():
    for row_list in ROW_LISTS:
        if row_list.filled_when is not None:
            assert row_list.model.objects.filter(row_list.filled_when).count() == 0


@pytest.mark.parametrize("step", STEPS, ids=[step.slug for step in STEPS])
def test_what_a_step_requires_is_one_of_its_fields_or_lists(step):
    own = {*step.fields, *(row_list.name for row_list in step.lists)}
    assert set(step.required) <= own
    assert repeated(step.required) == []


def test_every_step_but_the_review_edits_content_and_requires_something():
    *writing, review = STEPS
    assert review.slug == "review"
    assert not review.holds_content
    for step in writing:
        assert step.holds_content, step.slug
        assert step.required, step.slug


@pytest.mark.parametrize(
    "step, extra", EXTRAS, ids=[f"{step.slug}-{extra.name}" for step, extra in EXTRAS]
)
def test_every_extra_computes_with_a_function_and_shows_with_templates_that_exist(
    step, extra
):
    assert callable(import_string(extra.compute))
    assert extra.wizard or extra.document
    for template in (extra.wizard, extra.document):
        if template:
            get_template(template)
    lists = [row_list.name for row_list in step.lists]
    for where in (extra.after, extra.replaces):
        assert where is None or where in lists
    assert extra in step.extras_after(extra.after or "")


def test_the_extras_of_a_step_have_different_names():
    for step in STEPS:
        assert repeated(extra.name for extra in step.extras) == [], step.slug


def test_every_step_and_list_is_found_by_its_name():
    for step in STEPS:
        assert get_step(step.slug) is step
        for row_list in step.lists:
            assert get_list(row_list.name) is row_list
            assert step_of(row_list) is step


@pytest.mark.parametrize("lookup", [get_step, get_list])
@pytest.mark.parametrize("name", ["nowhere", "", "Basics", "objective"])
def test_an_unknown_name_raises_key_error(lookup, name):
    with pytest.raises(KeyError):
        lookup(name)


def test_every_declared_field_can_be_edited_in_a_form():
    for name in VERSION_FIELDS:
        assert ConceptVersion._meta.get_field(name).editable, name
    for row_list in ROW_LISTS:
        for name in row_list.fields:
            assert row_list.model._meta.get_field(name).editable, (row_list.name, name)

"""The versioning rules: one draft, frozen means frozen, complete copies."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from strategy import versioning
from strategy.method import (
    EVIDENCE_FIELDS,
    ROW_BOOKKEEPING_FIELDS,
    ROW_LISTS,
    VERSION_FIELDS,
    WORKFLOW_FIELDS,
)
from strategy.models import (
    ConceptVersion,
    FrozenVersionError,
    Objective,
    Readiness,
    Status,
    TargetGroup,
)

from .factories import listening_source, make_concept


def test_new_concept_has_one_draft_numbered_one_with_the_five_obstacles(concept):
    draft = concept.draft
    assert draft.number == 1
    assert draft.status == Status.DRAFT
    assert set(draft.readiness.values_list("obstacle", flat=True)) == set(
        Readiness.Obstacle.values
    )


def test_a_concept_cannot_have_two_drafts(concept):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConceptVersion.objects.create(
            concept=concept, number=2, title="x", organisation="y"
        )


def test_freeze_makes_version_n_and_opens_draft_n_plus_one(concept, owner):
    new_draft = versioning.freeze(
        concept.draft, by=owner, note="Validée par la direction"
    )
    frozen = concept.versions.get(number=1)
    assert frozen.status == Status.FROZEN
    assert frozen.change_note == "Validée par la direction"
    assert frozen.frozen_by == owner
    assert frozen.frozen_by_name == "Olivia Owner"
    assert frozen.frozen_at is not None
    assert new_draft.number == 2
    assert new_draft.status == Status.DRAFT
    assert new_draft.based_on == frozen
    assert concept.draft == new_draft


def test_only_the_draft_can_be_frozen(concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    with pytest.raises(versioning.VersioningError):
        versioning.freeze(concept.versions.get(number=1), by=owner, note="again")


@pytest.fixture
def frozen(concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    return concept.versions.get(number=1)


def test_frozen_version_rejects_save_and_delete(frozen):
    frozen.title = "Changed"
    with pytest.raises(FrozenVersionError):
        frozen.save()
    with pytest.raises(FrozenVersionError):
        frozen.delete()
    # A stale instance that still says "draft" is refused too: the database decides.
    stale = ConceptVersion.objects.get(pk=frozen.pk)
    stale.status = Status.DRAFT
    with pytest.raises(FrozenVersionError):
        stale.save()


def test_frozen_version_rejects_queryset_update_and_delete(frozen):
    versions = ConceptVersion.objects.filter(pk=frozen.pk)
    with pytest.raises(FrozenVersionError):
        versions.update(title="Changed")
    with pytest.raises(FrozenVersionError):
        versions.delete()
    assert ConceptVersion.objects.get(pk=frozen.pk).title == frozen.title


@pytest.mark.parametrize("row_list", ROW_LISTS, ids=lambda row_list: row_list.name)
def test_rows_of_a_frozen_version_cannot_change(frozen, row_list):
    rows = row_list.model.objects.filter(version=frozen)
    count = rows.count()
    row = rows.first()
    assert row is not None
    row.position = 99
    with pytest.raises(FrozenVersionError):
        row.save()
    with pytest.raises(FrozenVersionError):
        row.delete()
    with pytest.raises(FrozenVersionError):
        rows.update(position=99)
    with pytest.raises(FrozenVersionError):
        rows.delete()
    with pytest.raises(FrozenVersionError):
        row_list.model.objects.bulk_create([row_list.model(version=frozen, key="new")])
    with pytest.raises(FrozenVersionError):
        row_list.model.objects.bulk_update([row], ["position"])
    assert rows.count() == count


def test_links_of_a_frozen_version_cannot_change(frozen):
    objective = frozen.objectives.get()
    group = frozen.target_groups.get()
    draft_group = TargetGroup.objects.get(version=frozen.concept.draft, key=group.key)
    for change in (
        objective.target_groups.clear,
        lambda: group.objectives.remove(objective),
        lambda: objective.target_groups.add(draft_group),
    ):
        with pytest.raises(FrozenVersionError), transaction.atomic():
            change()
    assert list(objective.target_groups.all()) == [group]


def sample_value(field: models.Field, index: int):
    """A value for ``field`` that differs from its default, to prove it travels."""
    if isinstance(field, models.JSONField):
        return ["youtube", "blog"]
    if field.choices:
        return field.choices[-1][0]
    if isinstance(field, models.BooleanField):
        return not field.get_default()
    if isinstance(field, models.DecimalField):
        return Decimal("12.5") + index
    if isinstance(field, models.IntegerField):
        return 4
    if isinstance(field, models.DateField):
        return datetime.date(2027, 3, 4) + datetime.timedelta(days=index)
    if isinstance(field, models.CharField | models.TextField):
        return f"{field.name} {index}"[: field.max_length or 1000]
    raise AssertionError(f"No sample value for {field!r}: extend sample_value().")


def content_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in ROW_BOOKKEEPING_FIELDS
    ]


def test_the_declaration_covers_every_field_of_every_model():
    version_fields = {field.name for field in ConceptVersion._meta.concrete_fields}
    assert version_fields == {*VERSION_FIELDS, *EVIDENCE_FIELDS, *WORKFLOW_FIELDS}
    for row_list in ROW_LISTS:
        meta = row_list.model._meta
        names = {f.name for f in meta.concrete_fields} | {
            f.name for f in meta.many_to_many
        }
        assert names == set(ROW_BOOKKEEPING_FIELDS) | set(row_list.fields), (
            row_list.name
        )


def test_a_copy_keeps_every_field_of_every_row(team, owner):
    concept = make_concept(team, by=owner, rows=0)
    draft = concept.draft
    for index, name in enumerate(VERSION_FIELDS):
        setattr(draft, name, sample_value(ConceptVersion._meta.get_field(name), index))
    draft.listening_evidence = [listening_source()]
    draft.save()
    for row_list in ROW_LISTS:
        model = row_list.model
        rows = (
            list(row_list.rows(draft))
            if row_list.fixed_by
            else [
                model(version=draft, key=f"{row_list.name}-{index}", position=index)
                for index in range(2)
            ]
        )
        for index, row in enumerate(rows):
            for field in content_fields(model):
                if field.name != row_list.fixed_by:
                    setattr(row, field.name, sample_value(field, index))
            row.save()
    for row_list in ROW_LISTS:
        for link, target in row_list.links.items():
            for row in row_list.rows(draft):
                getattr(row, link).set(target.rows(draft)[:1])

    new_draft = versioning.freeze(draft, by=owner, note="v1")
    frozen = ConceptVersion.objects.get(pk=draft.pk)

    for name in (*VERSION_FIELDS, *EVIDENCE_FIELDS):
        assert getattr(new_draft, name) == getattr(frozen, name), name
    assert new_draft.listening_evidence
    for row_list in ROW_LISTS:
        fields = [
            "key",
            "position",
            *(f.attname for f in content_fields(row_list.model)),
        ]
        original = list(row_list.rows(frozen).values(*fields))
        copied = list(row_list.rows(new_draft).values(*fields))
        assert copied == original, row_list.name
        assert len(copied) >= 2
        for link in row_list.links:

            def keys(version, link=link, row_list=row_list):
                return [
                    sorted(getattr(row, link).values_list("key", flat=True))
                    for row in row_list.rows(version)
                ]

            assert keys(new_draft) == keys(frozen) and all(keys(frozen)), (
                row_list.name,
                link,
            )


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_copying_a_large_concept_costs_as_many_queries_as_a_small_one(team, owner):
    small = make_concept(team, by=owner, rows=1)
    large = make_concept(team, by=owner, rows=150)
    assert Objective.objects.filter(version=large.draft).count() == 150
    small_count = count_queries(
        lambda: versioning.freeze(small.draft, by=owner, note="")
    )
    large_count = count_queries(
        lambda: versioning.freeze(large.draft, by=owner, note="")
    )
    assert large_count == small_count
    assert large.draft.objectives.count() == 150


def test_new_draft_from_an_old_version_replaces_the_draft_only(concept, owner):
    versioning.freeze(concept.draft, by=owner, note="v1")
    draft = concept.draft
    draft.title = "Titre de la version 2"
    draft.save()
    versioning.freeze(draft, by=owner, note="v2")
    draft = concept.draft
    draft.title = "Travail en cours"
    draft.save()
    Objective.objects.filter(version=draft).delete()

    version_one = concept.versions.get(number=1)
    before = list(ConceptVersion.objects.frozen().values())
    new_draft = versioning.start_draft_from(version_one, by=owner)

    assert new_draft.number == 3
    assert new_draft.based_on == version_one
    assert new_draft.title == version_one.title
    assert new_draft.objectives.count() == version_one.objectives.count() == 1
    assert concept.versions.drafts().count() == 1
    assert list(ConceptVersion.objects.frozen().values()) == before


def test_new_draft_must_start_from_a_frozen_version(concept, owner):
    with pytest.raises(versioning.VersioningError):
        versioning.start_draft_from(concept.draft, by=owner)

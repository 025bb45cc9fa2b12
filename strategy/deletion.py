"""Deleting a concept for good, with a note of it in the team's log."""

from dataclasses import dataclass
from functools import partial

from django.db import models, transaction

from . import renders
from .models import Concept, ConceptVersion, DeletedConcept, Status, display_name


@dataclass(frozen=True)
class Loss:
    """What deleting a concept loses, as its confirmation names it."""

    title: str
    final: list[ConceptVersion]
    """The frozen and approved versions, newest first."""
    draft: ConceptVersion | None
    """The working draft, being written or in review; None when all are frozen."""

    @property
    def version_count(self) -> int:
        return len(self.final) + (self.draft is not None)


def what_is_lost(concept: Concept) -> Loss:
    """The concept's title and versions, for the page that asks to confirm."""
    versions = list(concept.versions.order_by("-number"))
    return Loss(
        title=str(concept),
        final=[version for version in versions if version.is_frozen],
        draft=next((version for version in versions if not version.is_frozen), None),
    )


@transaction.atomic
def delete_concept(concept: Concept, *, by) -> DeletedConcept:
    """Delete the concept with all its versions, their rows and links, its activity
    log and its stored PDFs; return the entry the team's log keeps of it.

    Frozen and approved versions go too: this is the one path around the frozen-
    version guards, which refuse every other deletion. A draft in review goes with
    the rest: the owner decides. The PDFs are removed once the deletion is committed.
    Costs the same number of queries whatever the concept holds. Raises
    ``Concept.DoesNotExist`` when the concept is gone already.
    """
    # The versions first, in the order freezing, approving and saving lock them
    # (no deadlock); then the concept, which keeps new versions out until the end.
    versions = ConceptVersion.objects.filter(concept_id=concept.pk).order_by()
    list(versions.select_for_update().values_list("pk"))
    concept = Concept.objects.with_summary().select_for_update().get(pk=concept.pk)
    statuses = list(versions.values_list("status", flat=True))
    person = by if by is not None and by.is_authenticated else None
    entry = DeletedConcept.objects.create(
        team_id=concept.team_id,
        title=concept.title or "",
        version_count=len(statuses),
        approved_count=statuses.count(Status.APPROVED),
        actor=person,
        actor_name=display_name(person),
    )
    for rows in _everything_under(Concept, "pk", concept.pk):
        # The guards live in the models' and querysets' delete(); a raw delete
        # passes them by on purpose, and sends no signals: the concept goes whole.
        rows._raw_delete(rows.db)
    transaction.on_commit(partial(renders.remove_stored, concept.pk))
    return entry


def _everything_under(model, lookup: str, concept_id: int) -> list[models.QuerySet]:
    """The rows of ``model`` that belong to the concept (``lookup`` leads from
    ``model`` to it) and of every table that hangs off them, dependents first.

    Found from the models' relations, so a list or a link added later goes too.
    """
    found = []
    for field in model._meta.many_to_many:
        links = field.remote_field.through._base_manager
        link_lookup = f"{field.m2m_field_name()}__{lookup}"
        found.append(links.filter(**{link_lookup: concept_id}))
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.related_model is model:
            continue  # links go from their forward side; versions with each other
        if relation.on_delete not in (models.CASCADE, models.PROTECT):
            raise NotImplementedError(
                f"{relation}: decide what deleting a concept does to it."
            )
        found += _everything_under(
            relation.related_model, f"{relation.field.name}__{lookup}", concept_id
        )
    found.append(model._base_manager.filter(**{lookup: concept_id}))
    # Links first (a link may point into a list found before its own), in order.
    return sorted(found, key=lambda rows: not rows.model._meta.auto_created)

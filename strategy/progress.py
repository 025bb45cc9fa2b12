"""How far each step of a version is filled in: empty, started or complete.

Computed from the data in one query, compiled once (``prepared``), so the progress
bar costs the same whatever the size of the concept.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .checks import check_version
from .method import ROW_LISTS, STEPS, VERSION_FIELDS, RowList, Step
from .models import ConceptVersion
from .prepared import per_version


class State(models.TextChoices):
    EMPTY = "empty", _("Not started")
    STARTED = "started", _("Started")
    COMPLETE = "complete", _("Complete")


@dataclass(frozen=True)
class StepProgress:
    step: Step
    state: State
    number: int


def _rows_needed(row_list: RowList) -> int:
    """How many filled rows make the list complete."""
    if row_list.fixed_by is None:
        return 1
    return len(row_list.model._meta.get_field(row_list.fixed_by).choices)


@per_version
def _filled_counts(version_id: int):
    """The version's fields and, per list, the number of filled rows: one query."""
    counts = {}
    for row_list in ROW_LISTS:
        rows = row_list.model.objects.filter(version=OuterRef("pk"))
        if row_list.filled_when is not None:
            rows = rows.filter(row_list.filled_when)
        counted = rows.values("version").annotate(count=Count("pk")).values("count")
        counts[f"count_{row_list.name}"] = Coalesce(Subquery(counted), 0)
    return (
        ConceptVersion.objects.filter(pk=version_id)
        .annotate(**counts)
        .values(*VERSION_FIELDS, *counts)
    )


def _state(step: Step, data: dict) -> State:
    def filled(item: str) -> bool:
        if item in data:
            return bool(data[item])
        row_list = next(rl for rl in step.lists if rl.name == item)
        return data[f"count_{item}"] >= _rows_needed(row_list)

    if step.required and all(filled(item) for item in step.required):
        return State.COMPLETE
    started = any(data[name] for name in step.fields) or any(
        data[f"count_{row_list.name}"] for row_list in step.lists
    )
    return State.STARTED if started else State.EMPTY


def version_progress(
    version: ConceptVersion, *, findings: list | None = None
) -> list[StepProgress]:
    """Every step with its state.

    The review starts once every other step is complete, and is complete when the
    strategy check finds nothing more to fix; pass its ``findings`` when they are at
    hand, not to check twice.
    """
    (data,) = _filled_counts(version.pk)
    result = []
    for number, step in enumerate(STEPS, start=1):
        if step.fields or step.lists:
            state = _state(step, data)
        elif any(item.state != State.COMPLETE for item in result):
            state = State.EMPTY
        elif check_version(version) if findings is None else findings:
            state = State.STARTED
        else:
            state = State.COMPLETE
        result.append(StepProgress(step, state, number))
    return result


def first_incomplete_step(version: ConceptVersion) -> Step:
    """Where a user opening the concept continues; the review once all is done."""
    for item in version_progress(version):
        if item.state != State.COMPLETE:
            return item.step
    return STEPS[-1]

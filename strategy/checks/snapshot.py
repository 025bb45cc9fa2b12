"""What the strategy check reads of a version: a fixed number of queries, whatever
its size."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from ..models import (
    BudgetLine,
    CadenceEntry,
    ConceptVersion,
    ContentPillar,
    ListeningChannel,
    MeasurementItem,
    Objective,
    Person,
    Readiness,
    TargetGroup,
)
from ..prepared import per_version
from .findings import Row


@dataclass
class Snapshot:
    """What the checks read of a version, each list fetched in one query.

    Rows are dicts in the list's order; ``index`` is the row's place in it.
    """

    totals: Row
    objectives: list[Row]
    target_groups: list[Row]
    pillars: list[Row]
    channels: list[Row]
    cadence: list[Row]
    readiness: list[Row]


def _listed(queryset, *fields: str):
    return queryset.order_by("position", "pk").values("key", *fields)


def _indexed(rows: list[Row]) -> list[Row]:
    for index, row in enumerate(rows):
        row["index"] = index
    return rows


OUTER = OuterRef("pk")


@per_version
def _totals(version_id: int):
    return (
        ConceptVersion.objects.filter(pk=version_id)
        .annotate(
            has_staff_hours=Exists(
                Person.objects.filter(version=OUTER, hours_per_week__gt=0)
            ),
            has_budget=Exists(BudgetLine.objects.filter(version=OUTER, amount__gt=0)),
        )
        .values("sponsor_name", "has_staff_hours", "has_budget")
    )


@per_version
def _objectives(version_id: int):
    return _listed(
        Objective.objects.filter(version=version_id).annotate(
            has_target_group=Exists(TargetGroup.objects.filter(objectives=OUTER)),
            is_measured=Exists(MeasurementItem.objects.filter(objectives=OUTER)),
        ),
        "title",
        "kpi",
        "target",
        "due",
        "has_target_group",
        "is_measured",
    )


@per_version
def _target_groups(version_id: int):
    return _listed(
        TargetGroup.objects.filter(version=version_id).annotate(
            is_served=Exists(ContentPillar.objects.filter(target_groups=OUTER))
        ),
        "name",
        "is_served",
    )


@per_version
def _pillars(version_id: int):
    return _listed(
        ContentPillar.objects.filter(version=version_id).annotate(
            serves_objective=Exists(Objective.objects.filter(pillars=OUTER))
        ),
        "name",
        "platforms",
        "serves_objective",
    )


@per_version
def _channels(version_id: int):
    return _listed(
        ListeningChannel.objects.filter(version=version_id),
        "platform",
        "platform_other",
    )


@per_version
def _cadence(version_id: int):
    return _listed(
        CadenceEntry.objects.filter(version=version_id), "platform", "platform_other"
    )


@per_version
def _readiness(version_id: int):
    return _listed(
        Readiness.objects.filter(version=version_id),
        "obstacle",
        "score",
        "countermeasure",
    )


def snapshot(version: ConceptVersion) -> Snapshot:
    """Read the version in a fixed number of queries, whatever its size; each is
    compiled once per process (``prepared``)."""
    (totals,) = _totals(version.pk)
    return Snapshot(
        totals=totals,
        objectives=_indexed(_objectives(version.pk)),
        target_groups=_indexed(_target_groups(version.pk)),
        pillars=_indexed(_pillars(version.pk)),
        channels=_indexed(_channels(version.pk)),
        cadence=_indexed(_cadence(version.pk)),
        readiness=_indexed(_readiness(version.pk)),
    )

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


def rows_of(queryset, *fields: str) -> list[Row]:
    rows = list(queryset.order_by("position", "pk").values("key", *fields))
    for index, row in enumerate(rows):
        row["index"] = index
    return rows


def snapshot(version: ConceptVersion) -> Snapshot:
    """Read the version in a fixed number of queries, whatever its size."""
    outer = OuterRef("pk")
    totals = (
        ConceptVersion.objects.filter(pk=version.pk)
        .annotate(
            has_staff_hours=Exists(
                Person.objects.filter(version=outer, hours_per_week__gt=0)
            ),
            has_budget=Exists(BudgetLine.objects.filter(version=outer, amount__gt=0)),
        )
        .values("sponsor_name", "has_staff_hours", "has_budget")
        .get()
    )
    return Snapshot(
        totals=totals,
        objectives=rows_of(
            Objective.objects.filter(version=version).annotate(
                has_target_group=Exists(TargetGroup.objects.filter(objectives=outer)),
                is_measured=Exists(MeasurementItem.objects.filter(objectives=outer)),
            ),
            "title",
            "kpi",
            "target",
            "due",
            "has_target_group",
            "is_measured",
        ),
        target_groups=rows_of(
            TargetGroup.objects.filter(version=version).annotate(
                is_served=Exists(ContentPillar.objects.filter(target_groups=outer))
            ),
            "name",
            "is_served",
        ),
        pillars=rows_of(
            ContentPillar.objects.filter(version=version).annotate(
                serves_objective=Exists(Objective.objects.filter(pillars=outer))
            ),
            "name",
            "platforms",
            "serves_objective",
        ),
        channels=rows_of(
            ListeningChannel.objects.filter(version=version),
            "platform",
            "platform_other",
        ),
        cadence=rows_of(
            CadenceEntry.objects.filter(version=version), "platform", "platform_other"
        ),
        readiness=rows_of(
            Readiness.objects.filter(version=version),
            "obstacle",
            "score",
            "countermeasure",
        ),
    )

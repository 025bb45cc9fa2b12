"""The strategy check: what is missing or inconsistent in a version of a concept.

The wizard's review step, the document and the admin all show its findings. Each
finding names the step that fixes it and the HTML id of what to fix on that step's
page: ``field-<field>`` for a field of the version, ``list-<list>`` for a list as a
whole, ``row-<list>-<key>`` for one row.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .method import (
    BUDGET_LINES,
    CHANNELS,
    MEASUREMENTS,
    OBJECTIVES,
    PEOPLE,
    PILLARS,
    READINESS,
    STEPS,
    TARGET_GROUPS,
    RowList,
)
from .models import (
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
from .platforms import Platform

Row = dict[str, Any]

BLOCKING_SCORES = (1, 2)
"""Readiness scores that call for a countermeasure: 1 is blocking, 2 nearly so."""

NAMES_SHOWN = 3
"""How many rows a message names before it only counts the others."""


@dataclass(frozen=True)
class Finding:
    """One thing to fix, and where to fix it."""

    step: str
    """Slug of the step that fixes it (from ``strategy.method.STEPS``)."""
    anchor: str
    """HTML id of what to fix on that step's page."""
    message: str
    """Plain-language and translated; names the row concerned."""
    code: str
    """Stable machine name of the check, e.g. ``objective_without_kpi``."""


@dataclass(frozen=True)
class _Entry:
    """A finding with what orders it: its place in the method, then in its list."""

    finding: Finding
    sort_key: tuple[int, int, int, int]


def _place(name: str) -> tuple[str, int, int]:
    """The step holding a field or list, the step's index and the item's index.

    A step's page shows its fields first, then its lists, as the declaration orders
    them.
    """
    for step_index, step in enumerate(STEPS):
        items = [*step.fields, *(row_list.name for row_list in step.lists)]
        if name in items:
            return step.slug, step_index, items.index(name)
    raise KeyError(name)


def _on_field(name: str, message: str, code: str) -> _Entry:
    slug, step_index, item_index = _place(name)
    return _Entry(
        Finding(slug, f"field-{name}", message, code), (step_index, item_index, 0, 0)
    )


def _on_list(row_list: RowList, message: str, code: str, *, order: int = 0) -> _Entry:
    """A finding about a list as a whole; ``order`` sorts several on the same list."""
    slug, step_index, item_index = _place(row_list.name)
    return _Entry(
        Finding(slug, f"list-{row_list.name}", message, code),
        (step_index, item_index, 0, order),
    )


def _on_row(row_list: RowList, row: Row, message: str, code: str) -> _Entry:
    slug, step_index, item_index = _place(row_list.name)
    return _Entry(
        Finding(slug, f"row-{row_list.name}-{row['key']}", message, code),
        (step_index, item_index, 1, row["index"]),
    )


def _quoted(name: str) -> str:
    return _("“%(name)s”") % {"name": name}


def _names(names: list[str]) -> str:
    """Names for a sentence, the first few spelled out and the others counted."""
    shown = ", ".join(names[:NAMES_SHOWN])
    others = len(names) - NAMES_SHOWN
    if others <= 0:
        return shown
    return ngettext(
        "%(names)s and %(count)s other", "%(names)s and %(count)s others", others
    ) % {"names": shown, "count": others}


@dataclass
class _Snapshot:
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


def _rows(queryset, *fields: str) -> list[Row]:
    rows = list(queryset.order_by("position", "pk").values("key", *fields))
    for index, row in enumerate(rows):
        row["index"] = index
    return rows


def _snapshot(version: ConceptVersion) -> _Snapshot:
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
    return _Snapshot(
        totals=totals,
        objectives=_rows(
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
        target_groups=_rows(
            TargetGroup.objects.filter(version=version).annotate(
                is_served=Exists(ContentPillar.objects.filter(target_groups=outer))
            ),
            "name",
            "is_served",
        ),
        pillars=_rows(
            ContentPillar.objects.filter(version=version).annotate(
                serves_objective=Exists(Objective.objects.filter(pillars=outer))
            ),
            "name",
            "platforms",
            "serves_objective",
        ),
        channels=_rows(
            ListeningChannel.objects.filter(version=version),
            "platform",
            "platform_other",
        ),
        cadence=_rows(
            CadenceEntry.objects.filter(version=version), "platform", "platform_other"
        ),
        readiness=_rows(
            Readiness.objects.filter(version=version),
            "obstacle",
            "score",
            "countermeasure",
        ),
    )


# The checks, in no particular order: check_version sorts their findings. ----------


def _objectives(data: _Snapshot) -> Iterator[_Entry]:
    if not data.objectives:
        yield _on_list(
            OBJECTIVES,
            _(
                "The concept has no objectives yet. Say what you want to achieve "
                "and how you will measure it."
            ),
            "no_objectives",
        )
    for row in data.objectives:
        name = {"objective": row["title"]}
        if not row["kpi"].strip():
            yield _on_row(
                OBJECTIVES,
                row,
                _(
                    "Objective “%(objective)s” has no KPI. Say what you will count, "
                    "for example followers or comments."
                )
                % name,
                "objective_without_kpi",
            )
        if row["target"] is None:
            yield _on_row(
                OBJECTIVES,
                row,
                _(
                    "Objective “%(objective)s” has no target. Give the value you "
                    "want to reach."
                )
                % name,
                "objective_without_target",
            )
        if row["due"] is None:
            yield _on_row(
                OBJECTIVES,
                row,
                _(
                    "Objective “%(objective)s” has no due date. Say by when the "
                    "target should be reached."
                )
                % name,
                "objective_without_due_date",
            )
        if not row["has_target_group"]:
            yield _on_row(
                OBJECTIVES,
                row,
                _(
                    "Objective “%(objective)s” serves no target group. Tick the "
                    "groups it is meant for."
                )
                % name,
                "objective_without_target_group",
            )


def _target_groups(data: _Snapshot) -> Iterator[_Entry]:
    if not data.target_groups:
        yield _on_list(
            TARGET_GROUPS,
            _(
                "The concept has no target groups yet. Name the people you want "
                "to reach."
            ),
            "no_target_groups",
        )
    for row in data.target_groups:
        # The link is ticked on the pillar, so the content step is where it is fixed.
        if not row["is_served"]:
            yield _on_list(
                PILLARS,
                _(
                    "No content pillar serves the target group “%(target_group)s”. "
                    "Tick it on a pillar, or add a pillar for it."
                )
                % {"target_group": row["name"]},
                "target_group_without_pillar",
                order=row["index"],
            )


def _pillars(data: _Snapshot) -> Iterator[_Entry]:
    for row in data.pillars:
        if not row["serves_objective"]:
            yield _on_row(
                PILLARS,
                row,
                _(
                    "Content pillar “%(pillar)s” serves no objective. Tick the "
                    "objectives it serves, or drop it."
                )
                % {"pillar": row["name"]},
                "pillar_without_objective",
            )


def _platforms_not_listened(data: _Snapshot) -> Iterator[_Entry]:
    """Platforms the content uses where listening recorded nothing.

    "Other" platforms are compared by the name typed for them, ignoring case. A
    pillar cannot name its "other" platform, and a publishing rhythm may leave it
    blank: those are not checked, since there is nothing to compare.
    """
    listened = {
        (row["platform"], _other_name(row))
        for row in data.channels
        if row["platform"] != Platform.OTHER or _other_name(row)
    }
    labels = dict(Platform.choices)
    # Each platform once, in the order the content first uses it, with its label
    # and where the content uses it (each place once).
    used: dict[tuple[str, str], tuple[str, dict[str, None]]] = {}

    def use(platform: str, other_name: str, label: str, place: str) -> None:
        used.setdefault((platform, other_name), (label, {}))[1][place] = None

    for row in data.pillars:
        for platform in row["platforms"] or ():
            if platform != Platform.OTHER:
                label = str(labels.get(platform, platform))
                use(platform, "", label, _quoted(row["name"]))
    rhythm = str(CadenceEntry._meta.verbose_name)
    for row in data.cadence:
        platform, other_name = row["platform"], _other_name(row)
        if platform != Platform.OTHER:
            use(platform, "", str(labels.get(platform, platform)), rhythm)
        elif other_name:
            use(platform, other_name, row["platform_other"].strip(), rhythm)
    for order, (platform_key, (label, places)) in enumerate(used.items()):
        if platform_key in listened:
            continue
        yield _on_list(
            CHANNELS,
            _(
                "%(platform)s is planned for content (%(used_by)s), but listening "
                "recorded nothing there. Observe it and add it as a listening "
                "channel, or plan the content elsewhere."
            )
            % {"platform": label, "used_by": _names(list(places))},
            "platform_not_listened",
            order=order,
        )


def _other_name(row: Row) -> str:
    """The typed name of an "other" platform, for comparing; blank for the others."""
    if row["platform"] != Platform.OTHER:
        return ""
    return row["platform_other"].strip().casefold()


def _resources(data: _Snapshot) -> Iterator[_Entry]:
    if not data.totals["sponsor_name"].strip():
        yield _on_field(
            "sponsor_name",
            _(
                "No management sponsor is named. Name the member of management who "
                "backs the engagement."
            ),
            "no_sponsor",
        )
    if not data.totals["has_budget"]:
        yield _on_list(
            BUDGET_LINES,
            _(
                "The budget is zero. Add what content, dialogue and tools will cost: "
                "the platforms are free, keeping them alive is not."
            ),
            "no_budget",
        )
    if not data.totals["has_staff_hours"]:
        yield _on_list(
            PEOPLE,
            _(
                "No one has hours for social media yet. Add the people who work on "
                "it and their hours per week."
            ),
            "no_staff_hours",
        )


def _measurement(data: _Snapshot) -> Iterator[_Entry]:
    for row in data.objectives:
        if not row["is_measured"]:
            yield _on_list(
                MEASUREMENTS,
                _(
                    "Objective “%(objective)s” is not in the measurement plan. Say "
                    "who reports on it, how often and to whom."
                )
                % {"objective": row["title"]},
                "objective_not_measured",
                order=row["index"],
            )


def _readiness(data: _Snapshot) -> Iterator[_Entry]:
    labels = dict(Readiness.Obstacle.choices)
    for row in data.readiness:
        obstacle = str(labels.get(row["obstacle"], row["obstacle"]))
        if row["score"] is None:
            yield _on_row(
                READINESS,
                row,
                _(
                    "Obstacle “%(obstacle)s” is not rated yet. Rate it from 1 "
                    "(blocking) to 5 (solved)."
                )
                % {"obstacle": obstacle},
                "obstacle_not_rated",
            )
        elif row["score"] in BLOCKING_SCORES and not row["countermeasure"].strip():
            yield _on_row(
                READINESS,
                row,
                _(
                    "Obstacle “%(obstacle)s” is rated %(score)s out of 5 but has no "
                    "countermeasure. Say what you will do about it."
                )
                % {"obstacle": obstacle, "score": row["score"]},
                "obstacle_without_countermeasure",
            )


CHECKS: tuple[Callable[[_Snapshot], Iterable[_Entry]], ...] = (
    _objectives,
    _target_groups,
    _pillars,
    _platforms_not_listened,
    _resources,
    _measurement,
    _readiness,
)


def check_version(version: ConceptVersion) -> list[Finding]:
    """List what is missing or inconsistent in ``version``, draft or frozen.

    Findings come in the method's order: by step, then by what they concern on the
    step's page (its fields, then its lists), then by row position. The number of
    queries does not depend on the number of rows.
    """
    data = _snapshot(version)
    entries = [entry for check in CHECKS for entry in check(data)]
    entries.sort(key=lambda entry: entry.sort_key)
    return [entry.finding for entry in entries]

"""The strategy check's rules: each reads the snapshot and yields what it finds."""

from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext as _

from ..method import (
    BUDGET_LINES,
    CHANNELS,
    MEASUREMENTS,
    OBJECTIVES,
    PEOPLE,
    PILLARS,
    READINESS,
    TARGET_GROUPS,
)
from ..models import CadenceEntry, Readiness
from ..platforms import Platform
from .findings import Entry, Row, names_in_sentence, on_field, on_list, on_row, quoted
from .snapshot import Snapshot

BLOCKING_SCORES = (1, 2)
"""Readiness scores that call for a countermeasure: 1 is blocking, 2 nearly so."""


# The checks, in no particular order: check_version sorts their findings. ----------


def objectives(data: Snapshot) -> Iterator[Entry]:
    if not data.objectives:
        yield on_list(
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
            yield on_row(
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
            yield on_row(
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
            yield on_row(
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
            yield on_row(
                OBJECTIVES,
                row,
                _(
                    "Objective “%(objective)s” serves no target group. Tick the "
                    "groups it is meant for."
                )
                % name,
                "objective_without_target_group",
            )


def target_groups(data: Snapshot) -> Iterator[Entry]:
    if not data.target_groups:
        yield on_list(
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
            yield on_list(
                PILLARS,
                _(
                    "No content pillar serves the target group “%(target_group)s”. "
                    "Tick it on a pillar, or add a pillar for it."
                )
                % {"target_group": row["name"]},
                "target_group_without_pillar",
                order=row["index"],
            )


def pillars(data: Snapshot) -> Iterator[Entry]:
    for row in data.pillars:
        if not row["serves_objective"]:
            yield on_row(
                PILLARS,
                row,
                _(
                    "Content pillar “%(pillar)s” serves no objective. Tick the "
                    "objectives it serves, or drop it."
                )
                % {"pillar": row["name"]},
                "pillar_without_objective",
            )


def platforms_not_listened(data: Snapshot) -> Iterator[Entry]:
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
                use(platform, "", label, quoted(row["name"]))
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
        yield on_list(
            CHANNELS,
            _(
                "%(platform)s is planned for content (%(used_by)s), but listening "
                "recorded nothing there. Observe it and add it as a listening "
                "channel, or plan the content elsewhere."
            )
            % {"platform": label, "used_by": names_in_sentence(list(places))},
            "platform_not_listened",
            order=order,
        )


def _other_name(row: Row) -> str:
    """The typed name of an "other" platform, for comparing; blank for the others."""
    if row["platform"] != Platform.OTHER:
        return ""
    return row["platform_other"].strip().casefold()


def resources(data: Snapshot) -> Iterator[Entry]:
    if not data.totals["sponsor_name"].strip():
        yield on_field(
            "sponsor_name",
            _(
                "No management sponsor is named. Name the member of management who "
                "backs the engagement."
            ),
            "no_sponsor",
        )
    if not data.totals["has_budget"]:
        yield on_list(
            BUDGET_LINES,
            _(
                "The budget is zero. Add what content, dialogue and tools will cost: "
                "the platforms are free, keeping them alive is not."
            ),
            "no_budget",
        )
    if not data.totals["has_staff_hours"]:
        yield on_list(
            PEOPLE,
            _(
                "No one has hours for social media yet. Add the people who work on "
                "it and their hours per week."
            ),
            "no_staff_hours",
        )


def measurement(data: Snapshot) -> Iterator[Entry]:
    for row in data.objectives:
        if not row["is_measured"]:
            yield on_list(
                MEASUREMENTS,
                _(
                    "Objective “%(objective)s” is not in the measurement plan. Say "
                    "who reports on it, how often and to whom."
                )
                % {"objective": row["title"]},
                "objective_not_measured",
                order=row["index"],
            )


def readiness(data: Snapshot) -> Iterator[Entry]:
    labels = dict(Readiness.Obstacle.choices)
    for row in data.readiness:
        obstacle = str(labels.get(row["obstacle"], row["obstacle"]))
        if row["score"] is None:
            yield on_row(
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
            yield on_row(
                READINESS,
                row,
                _(
                    "Obstacle “%(obstacle)s” is rated %(score)s out of 5 but has no "
                    "countermeasure. Say what you will do about it."
                )
                % {"obstacle": obstacle, "score": row["score"]},
                "obstacle_without_countermeasure",
            )


CHECKS: tuple[Callable[[Snapshot], Iterable[Entry]], ...] = (
    objectives,
    target_groups,
    pillars,
    platforms_not_listened,
    resources,
    measurement,
    readiness,
)

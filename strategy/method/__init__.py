"""The method, declared once: its steps, their fields and lists, what "complete" means.

The wizard, the progress bar, the strategy check, the document's chapters, the JSON
format, the copy of a version and the admin all read this declaration; none of them
lists a concept's fields by hand. The lists are declared in ``lists``, the steps in
``steps``; this module derives what the rest of the app asks of them.
"""

from .lists import (
    BUDGET_LINES,
    CADENCE,
    CHANNELS,
    FIRST_STEPS,
    INTEREST_GROUPS,
    MEASUREMENTS,
    OBJECTIVES,
    OPINION_LEADERS,
    PEOPLE,
    PILLARS,
    PROCESSES,
    READINESS,
    TARGET_GROUPS,
    TOOLS,
)
from .parts import Extra, RowList, Step
from .steps import PARTS, STEPS

ROW_LISTS: tuple[RowList, ...] = tuple(
    row_list for step in STEPS for row_list in step.lists
)

VERSION_FIELDS: tuple[str, ...] = tuple(name for step in STEPS for name in step.fields)
"""The version's own content fields, in the method's order."""

EVIDENCE_FIELDS: tuple[str, ...] = tuple(
    name for step in STEPS for name in step.evidence
)
"""The version's fields that analyses fill: content, but never a form's."""

WORKFLOW_FIELDS: tuple[str, ...] = (
    "id",
    "concept",
    "number",
    "status",
    "based_on",
    "change_note",
    "frozen_at",
    "frozen_by",
    "frozen_by_name",
    "submitted_at",
    "submitted_by",
    "submitted_by_name",
    "created_at",
    "updated_at",
    "updated_by",
)
"""The version's bookkeeping: set by the versioning rules, never copied as content."""

HISTORY_FIELDS: tuple[str, ...] = (
    "number",
    "status",
    "based_on",
    "change_note",
    "frozen_at",
    "frozen_by_name",
)
"""The bookkeeping a version's file keeps: its place in the concept's history."""

ROW_BOOKKEEPING_FIELDS: tuple[str, ...] = ("id", "version", "key", "position")


def lists_in_dependency_order() -> tuple[RowList, ...]:
    """The lists ordered so that every list comes after the lists it links to."""
    ordered: list[RowList] = []

    def visit(row_list: RowList) -> None:
        if row_list in ordered:
            return
        for target in row_list.links.values():
            if target is not row_list:
                visit(target)
        ordered.append(row_list)

    for row_list in ROW_LISTS:
        visit(row_list)
    return tuple(ordered)


def link_targets() -> tuple[RowList, ...]:
    """The lists that other lists link to, in the method's order."""
    targets = {target for row_list in ROW_LISTS for target in row_list.links.values()}
    return tuple(row_list for row_list in ROW_LISTS if row_list in targets)


def get_step(slug: str) -> Step:
    for step in STEPS:
        if step.slug == slug:
            return step
    raise KeyError(slug)


def step_of(row_list: RowList) -> Step:
    """The step where a list is edited."""
    return next(step for step in STEPS if row_list in step.lists)


def get_list(name: str) -> RowList:
    for row_list in ROW_LISTS:
        if row_list.name == name:
            return row_list
    raise KeyError(name)


__all__ = [
    "BUDGET_LINES",
    "CADENCE",
    "CHANNELS",
    "EVIDENCE_FIELDS",
    "FIRST_STEPS",
    "HISTORY_FIELDS",
    "INTEREST_GROUPS",
    "MEASUREMENTS",
    "OBJECTIVES",
    "OPINION_LEADERS",
    "PARTS",
    "PEOPLE",
    "PILLARS",
    "PROCESSES",
    "READINESS",
    "ROW_BOOKKEEPING_FIELDS",
    "ROW_LISTS",
    "STEPS",
    "TARGET_GROUPS",
    "TOOLS",
    "VERSION_FIELDS",
    "WORKFLOW_FIELDS",
    "Extra",
    "RowList",
    "Step",
    "get_list",
    "get_step",
    "link_targets",
    "lists_in_dependency_order",
    "step_of",
]

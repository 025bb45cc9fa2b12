"""A finding of the strategy check: what to fix, where, and in which order it shows."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..method import STEPS, RowList

Row = dict[str, Any]

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
class Entry:
    """A finding with what orders it: its place in the method, then in its list."""

    finding: Finding
    sort_key: tuple[int, int, int, int]


def place(name: str) -> tuple[str, int, int]:
    """The step holding a field or list, the step's index and the item's index.

    A step's page shows its fields first, then its lists, as the declaration orders
    them.
    """
    for step_index, step in enumerate(STEPS):
        items = [*step.fields, *(row_list.name for row_list in step.lists)]
        if name in items:
            return step.slug, step_index, items.index(name)
    raise KeyError(name)


def on_field(name: str, message: str, code: str) -> Entry:
    slug, step_index, item_index = place(name)
    return Entry(
        Finding(slug, f"field-{name}", message, code), (step_index, item_index, 0, 0)
    )


def on_list(row_list: RowList, message: str, code: str, *, order: int = 0) -> Entry:
    """A finding about a list as a whole; ``order`` sorts several on the same list."""
    slug, step_index, item_index = place(row_list.name)
    return Entry(
        Finding(slug, f"list-{row_list.name}", message, code),
        (step_index, item_index, 0, order),
    )


def on_row(row_list: RowList, row: Row, message: str, code: str) -> Entry:
    slug, step_index, item_index = place(row_list.name)
    return Entry(
        Finding(slug, f"row-{row_list.name}-{row['key']}", message, code),
        (step_index, item_index, 1, row["index"]),
    )


def quoted(name: str) -> str:
    return _("“%(name)s”") % {"name": name}


def names_in_sentence(names: list[str]) -> str:
    """Names for a sentence, the first few spelled out and the others counted."""
    shown = ", ".join(names[:NAMES_SHOWN])
    others = len(names) - NAMES_SHOWN
    if others <= 0:
        return shown
    return ngettext(
        "%(names)s and %(count)s other", "%(names)s and %(count)s others", others
    ) % {"names": shown, "count": others}

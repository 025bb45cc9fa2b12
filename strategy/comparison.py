"""Compare two versions of a concept, step by step: texts word by word, rows by key.

The comparison reads both versions with ``read_content`` (a fixed number of queries,
whatever their size) and walks the method's declaration, so a field or list added
there is compared without touching this module.

Rows are matched by their stable ``key``, never by position. A row whose content is
the same but whose place in its list differs is reported as *moved*, not as
*changed*; since a list's order carries meaning (priorities), a moved row keeps its
list from counting as unchanged. Links are compared as sets of target keys, so
renaming a target row shows once, in the target's list, and not in every row that
points to it; they are shown by the target rows' names.
"""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import capfirst

from .content import Content, Row, read_content
from .display import display_value
from .method import STEPS, RowList, Step, link_targets
from .models import ConceptVersion
from .platforms import Platform
from .worddiff import DELETE, EQUAL, INSERT, WordOp, merged, word_diff


@dataclass
class FieldChange:
    """A field whose value differs; ``words`` show the difference as readable text."""

    name: str
    label: str
    old: Any
    new: Any
    words: list[WordOp]

    @property
    def is_unchanged(self) -> bool:
        return self.old == self.new


@dataclass
class RowChange:
    """A row of a list, by its key; ``fields`` hold what differs (or all it holds)."""

    key: str
    name: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ListChange:
    """One list of a step: its rows added, removed, changed and moved."""

    row_list: RowList
    added: list[RowChange] = field(default_factory=list)
    removed: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    moved: list[RowChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(capfirst(self.row_list.verbose_name))

    @property
    def is_unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


PartChange = FieldChange | ListChange


@dataclass
class StepChange:
    """A step of the method: its changed fields, and each of its lists."""

    step: Step
    fields: list[FieldChange]
    lists: list[ListChange]

    @property
    def parts(self) -> list[PartChange]:
        return [*self.fields, *self.lists]

    @property
    def is_unchanged(self) -> bool:
        return not self.fields and all(part.is_unchanged for part in self.lists)


@dataclass
class Comparison:
    """Two versions compared, step by step in the method's order."""

    old: ConceptVersion
    new: ConceptVersion
    steps: list[StepChange]

    @property
    def is_unchanged(self) -> bool:
        return all(step.is_unchanged for step in self.steps)


def compare_versions(old: ConceptVersion, new: ConceptVersion) -> Comparison:
    """What changed from ``old`` to ``new``, in a number of queries that stays fixed."""
    steps = compare_contents(read_content(old), read_content(new))
    return Comparison(old, new, steps)


def compare_contents(
    old: Content,
    new: Content,
    *,
    steps: Iterable[Step] = STEPS,
    names: dict[str, dict[Any, str]] | None = None,
) -> list[StepChange]:
    """What changed from ``old`` to ``new`` in ``steps``; no query.

    Links name their targets by key, or by any id ``names`` knows: ``names`` gives,
    for each list that rows link to, its rows' names. By default they are taken from
    the two contents, which must then hold those lists.
    """
    if names is None:
        names = {
            row_list.name: {
                **_row_names(row_list, old.lists.get(row_list.name, [])),
                **_row_names(row_list, new.lists.get(row_list.name, [])),
            }
            for row_list in link_targets()
        }
    version_meta = ConceptVersion._meta
    changes = []
    for step in steps:
        if not step.fields and not step.lists:
            continue
        fields = [
            change
            for name in step.fields
            if (
                change := _field_change(
                    version_meta.get_field(name), old.fields[name], new.fields[name]
                )
            )
        ]
        lists = [
            _list_change(
                row_list,
                old.lists.get(row_list.name, []),
                new.lists.get(row_list.name, []),
                names,
            )
            for row_list in step.lists
        ]
        changes.append(StepChange(step, fields, lists))
    return changes


def _row_names(row_list: RowList, rows: list[Row]) -> dict[str, str]:
    """Each row's name for people to read: its first value field, shown."""
    first = row_list.model._meta.get_field(row_list.value_fields[0])
    return {
        row["key"]: display_value(first, row.get(first.name)) or row["key"]
        for row in rows
    }


def _field_change(model_field: models.Field, old: Any, new: Any) -> FieldChange | None:
    if _normalised(old) == _normalised(new):
        return None
    if _is_free_text(model_field):
        words = word_diff(old or "", new or "")
    elif isinstance(model_field, models.JSONField):
        words = _item_words(old or [], new or [], dict(Platform.choices))
    else:
        words = _replacement(
            display_value(model_field, old), display_value(model_field, new)
        )
    return FieldChange(
        model_field.name, str(capfirst(model_field.verbose_name)), old, new, words
    )


def _link_change(
    model_field: models.Field, old: list[str], new: list[str], names: dict[str, str]
) -> FieldChange | None:
    if set(old) == set(new):
        return None
    return FieldChange(
        model_field.name,
        str(capfirst(model_field.verbose_name)),
        [names.get(key, key) for key in old],
        [names.get(key, key) for key in new],
        _item_words(old, new, names),
    )


def _item_words(old: list[str], new: list[str], names: dict[str, str]) -> list[WordOp]:
    """Two lists of items, kept, removed and added, shown by name, comma-separated."""
    old_items, new_items = set(old), set(new)
    groups = (
        (EQUAL, [item for item in new if item in old_items]),
        (DELETE, [item for item in old if item not in new_items]),
        (INSERT, [item for item in new if item not in old_items]),
    )
    # Kept names first, then removed, then added; each name carries the separator
    # before it when its side already has a name, so both sides read back exactly.
    words, counts = [], {EQUAL: 0, DELETE: 0, INSERT: 0}
    for op, items in groups:
        for item in items:
            before = counts[EQUAL] + (counts[op] if op != EQUAL else 0)
            name = str(names.get(item, item))
            words.append(WordOp(op, (", " if before else "") + name))
            counts[op] += 1
    return merged(words)


def _list_change(
    row_list: RowList,
    old_rows: list[Row],
    new_rows: list[Row],
    names: dict[str, dict[str, str]],
) -> ListChange:
    meta = row_list.model._meta
    old_by_key = {row["key"]: row for row in old_rows}
    new_by_key = {row["key"]: row for row in new_rows}
    old_names = _row_names(row_list, old_rows)
    new_names = _row_names(row_list, new_rows)
    change = ListChange(row_list)

    def row_fields(old: Row, new: Row) -> list[FieldChange]:
        changes = []
        for name in row_list.fields:
            model_field = meta.get_field(name)
            if name in row_list.links:
                target_names = names[row_list.links[name].name]
                found = _link_change(
                    model_field, old.get(name, []), new.get(name, []), target_names
                )
            else:
                found = _field_change(model_field, old.get(name), new.get(name))
            if found:
                changes.append(found)
        return changes

    for row in new_rows:
        key = row["key"]
        if key not in old_by_key:
            change.added.append(RowChange(key, new_names[key], row_fields({}, row)))
        elif fields := row_fields(old_by_key[key], row):
            change.changed.append(RowChange(key, new_names[key], fields))
    change.removed = [
        RowChange(row["key"], old_names[row["key"]], row_fields(row, {}))
        for row in old_rows
        if row["key"] not in new_by_key
    ]
    old_order = [row["key"] for row in old_rows if row["key"] in new_by_key]
    new_order = [row["key"] for row in new_rows if row["key"] in old_by_key]
    if old_order != new_order:
        # Keys are unique, so the matching blocks are the longest runs kept in
        # order; whatever lies outside them was moved.
        matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
        in_place = {
            key
            for block in matcher.get_matching_blocks()
            for key in new_order[block.b : block.b + block.size]
        }
        change.moved = [
            RowChange(key, new_names[key]) for key in new_order if key not in in_place
        ]
    return change


def _normalised(value: Any) -> Any:
    """Empty is empty: a blank text, no value and an empty list are the same."""
    return None if value in (None, "", []) else value


def _is_free_text(model_field: models.Field) -> bool:
    return isinstance(model_field, models.CharField | models.TextField) and not (
        model_field.choices
    )


def _replacement(old: str, new: str) -> list[WordOp]:
    """A value replaced as a whole: numbers, dates and choices are not split."""
    return [op for op in (WordOp(DELETE, old), WordOp(INSERT, new)) if op.text]

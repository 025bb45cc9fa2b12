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

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .content import Content, Row, read_content
from .method import STEPS, RowList, Step
from .models import ConceptVersion
from .platforms import Platform, platform_labels

EQUAL: Literal["equal"] = "equal"
INSERT: Literal["insert"] = "insert"
DELETE: Literal["delete"] = "delete"


@dataclass(frozen=True, slots=True)
class WordOp:
    """A run of text that is kept (equal), added (insert) or taken out (delete)."""

    op: Literal["equal", "insert", "delete"]
    text: str


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
            for row_list in _link_targets()
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


def _link_targets() -> set[RowList]:
    return {
        target
        for step in STEPS
        for row_list in step.lists
        for target in row_list.links.values()
    }


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
    return _merged(words)


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


def display_value(model_field: models.Field, value: Any) -> str:
    """A value as people read it in the active language: choices by their label."""
    if _normalised(value) is None:
        return ""
    if isinstance(model_field, models.JSONField):
        return platform_labels(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral() else model_field.decimal_places
        return formats.number_format(value, decimal_pos=places, use_l10n=True)
    return str(value)


def _replacement(old: str, new: str) -> list[WordOp]:
    """A value replaced as a whole: numbers, dates and choices are not split."""
    return [op for op in (WordOp(DELETE, old), WordOp(INSERT, new)) if op.text]


# Sentences (or lines) with the spaces after them; then words, spaces, and single
# punctuation marks. Both split a text into pieces that join back to it exactly.
_SENTENCES = re.compile(r"[^\n.!?]*(?:[.!?]+|\n)\s*|[^\n.!?]+$")
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
# Above this many pairs of word tokens, difflib's exhaustive matching gets slow; the
# automatic junk heuristic keeps such rare, very large rewrites fast instead.
_EXHAUSTIVE_LIMIT = 250_000


def word_diff(old: str, new: str) -> list[WordOp]:
    """The word-level difference from ``old`` to ``new``.

    Joining the texts of the "equal" and "delete" operations gives ``old`` back, of
    "equal" and "insert" gives ``new``; a replaced word is a deletion then an
    insertion. Long texts are first matched sentence by sentence and only the
    sentences that differ are compared word by word, which keeps two long texts
    with a few changes fast.
    """
    if old == new:
        return [WordOp(EQUAL, old)] if old else []
    ops: list[WordOp] = []
    old_sentences, new_sentences = _SENTENCES.findall(old), _SENTENCES.findall(new)
    matcher = difflib.SequenceMatcher(
        None, old_sentences, new_sentences, autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = "".join(old_sentences[i1:i2])
        new_part = "".join(new_sentences[j1:j2])
        if tag == "equal":
            ops.append(WordOp(EQUAL, old_part))
        elif tag == "replace":
            ops.extend(_word_ops(old_part, new_part))
        else:
            ops.append(
                WordOp(DELETE if tag == "delete" else INSERT, old_part or new_part)
            )
    return _joined_changes(_merged(ops))


def _word_ops(old: str, new: str) -> list[WordOp]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(
        None,
        old_words,
        new_words,
        autojunk=len(old_words) * len(new_words) > _EXHAUSTIVE_LIMIT,
    )
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp(EQUAL, "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp(DELETE, "".join(old_words[i1:i2])))
        if j2 > j1:
            ops.append(WordOp(INSERT, "".join(new_words[j1:j2])))
    return ops


def _joined_changes(ops: list[WordOp]) -> list[WordOp]:
    """Changes apart only by spaces as one change: "[-Dr Marc-]{+Dre Anne+}"."""
    joined: list[WordOp] = []
    region: list[WordOp] = []  # changes, and the spaces between them
    space: WordOp | None = None  # spaces after the region, if a change follows

    def flush() -> None:
        old = "".join(op.text for op in region if op.op != INSERT)
        new = "".join(op.text for op in region if op.op != DELETE)
        spaced = any(op.op == EQUAL for op in region)
        if spaced and not old.isspace() and not new.isspace():
            joined.extend([WordOp(DELETE, old), WordOp(INSERT, new)])
        else:
            joined.extend(region)
        region.clear()

    for op in ops:
        if op.op != EQUAL:
            if space:
                region.append(space)
                space = None
            region.append(op)
        elif region and space is None and op.text.isspace():
            space = op
        else:
            flush()
            joined.extend([space] if space else [])
            space = None
            joined.append(op)
    flush()
    joined.extend([space] if space else [])
    return _merged(joined)


def _merged(ops: list[WordOp]) -> list[WordOp]:
    """Neighbouring runs of the same kind joined into one; empty runs dropped."""
    merged: list[WordOp] = []
    for op in ops:
        if not op.text:
            continue
        if merged and merged[-1].op == op.op:
            merged[-1] = WordOp(op.op, merged[-1].text + op.text)
        else:
            merged.append(op)
    return merged


# How much unchanged text the text output keeps on each side of a change.
_CONTEXT = 40


def format_text(comparison: Comparison) -> str:
    """The comparison as text: ``[-deleted-]{+inserted+}``, unchanged ones collapsed."""
    old, new = comparison.old, comparison.new
    lines = [
        _("Version %(old)s (%(old_status)s) → version %(new)s (%(new_status)s)")
        % {
            "old": old.number,
            "old_status": old.get_status_display(),
            "new": new.number,
            "new_status": new.get_status_display(),
        }
    ]
    if comparison.is_unchanged:
        lines.append(_("No differences."))
    for step_change in comparison.steps:
        title = str(step_change.step.title)
        lines.append("")
        if step_change.is_unchanged:
            lines.append(_("## %(step)s: unchanged") % {"step": title})
            continue
        lines.append(f"## {title}")
        for change in step_change.fields:
            lines.append(_field_line(change, indent=""))
        for list_change in step_change.lists:
            lines.extend(_list_lines(list_change))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _list_lines(change: ListChange) -> list[str]:
    if change.is_unchanged:
        return [_("%(list)s: unchanged") % {"list": change.label}]
    lines = [f"{change.label}:"]
    lines += [f"  + {row.name}" for row in change.added]
    lines += [f"  - {row.name}" for row in change.removed]
    for row in change.changed:
        lines.append(f"  ~ {row.name}")
        lines += [
            _field_line(field_change, indent="    ") for field_change in row.fields
        ]
    lines += ["  ↕ " + _("%(row)s (moved)") % {"row": row.name} for row in change.moved]
    return lines


def _field_line(change: FieldChange, *, indent: str) -> str:
    text = f"{indent}{change.label}: {markup(change.words)}"
    return text.replace("\n", "\n" + indent + "  ")


def markup(words: list[WordOp], *, context: int | None = _CONTEXT) -> str:
    """Words as ``[-deleted-]{+inserted+}`` text; long unchanged runs shortened."""
    parts = []
    for index, word in enumerate(words):
        if word.op == DELETE:
            parts.append(f"[-{word.text}-]")
        elif word.op == INSERT:
            parts.append(f"{{+{word.text}+}}")
        elif context is None or len(word.text) <= 2 * context + 3:
            parts.append(word.text)
        else:
            # Keep the context next to the changes on either side, on their line.
            head = word.text[:context].split("\n")[0] if index > 0 else ""
            tail = (
                word.text[-context:].split("\n")[-1] if index < len(words) - 1 else ""
            )
            parts.append(f"{head}…{tail}")
    return "".join(parts)

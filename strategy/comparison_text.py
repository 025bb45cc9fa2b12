"""A comparison of two versions as plain text, for the ``diff_versions`` command:
``[-deleted-]{+inserted+}``, long unchanged runs shortened."""

from django.utils.translation import gettext as _

from .comparison import Comparison, FieldChange, ListChange
from .worddiff import DELETE, INSERT, WordOp

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

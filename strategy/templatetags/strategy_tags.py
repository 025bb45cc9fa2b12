"""Template filters of the strategy app."""

import re

from django import template
from django.utils.translation import gettext_lazy as _

from .. import figures, formats
from ..rendering import render_markdown

register = template.Library()

BYLINES = {
    "approved": (_("Approved by %(name)s on %(when)s"), _("Approved on %(when)s")),
    "frozen": (_("Frozen by %(name)s on %(when)s"), _("Frozen on %(when)s")),
    "submitted": (
        _("Submitted for review by %(name)s on %(when)s"),
        _("Submitted for review on %(when)s"),
    ),
    "changed": (
        _("Last changed by %(name)s on %(when)s"),
        _("Last changed on %(when)s"),
    ),
}
"""What happened to a version, with and without the name of who did it."""


def _when(at, precision: str) -> str:
    """``precision`` "day": "30 June 2027"; "moment": the day and the time."""
    if not at:
        return "—"
    return formats.datetime(at) if precision == "moment" else formats.date(at, "long")


@register.simple_tag
def byline(action, name, when, precision="day"):
    """ "Approved by Anne Rochat on 12 May 2026", or without a name when none is known
    (an imported file, a deleted account)."""
    with_name, without_name = BYLINES[action]
    when = _when(when, precision)
    if name:
        return with_name % {"name": name, "when": when}
    return without_name % {"when": when}


@register.simple_tag
def version_byline(version, precision="day"):
    """The last thing that happened to ``version``, who did it and when."""
    if version.is_approved:
        return byline("approved", version.frozen_by_name, version.frozen_at, precision)
    if version.is_frozen:
        return byline("frozen", version.frozen_by_name, version.frozen_at, precision)
    if version.is_in_review:
        return byline(
            "submitted", version.submitted_by_name, version.submitted_at, precision
        )
    return byline(
        "changed", version.last_changed_by_name, version.updated_at, precision
    )


@register.filter
def keep_ranges(text):
    """Keep "2026–2028" on one line: a word joiner after a dash between digits."""
    return re.sub(r"(?<=\d)([–-])(?=\d)", "\\1\u2060", text)


@register.filter
def as_number(value):
    """A number as the active locale writes it (``formats.number``)."""
    return formats.number(value)


@register.filter
def as_amount(value, currency=""):
    """An amount with two decimals, its currency where given (``formats.amount``)."""
    return formats.amount(value, currency)


@register.filter
def as_date(value, length="medium"):
    return formats.date(value, length)


@register.filter
def as_datetime(value):
    return formats.datetime(value)


@register.filter
def as_time(value):
    return formats.time(value)


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user Markdown through the one sanitizing renderer."""
    return render_markdown(text)


@register.simple_tag
def budget_chart(totals):
    """The bar chart of a currency's budget, per category, in the active language."""
    return figures.budget_chart(
        totals, per_year_label=_("Per year"), one_off_label=_("One-off")
    )


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: templates cannot index a dict by a variable."""
    return mapping.get(key)


# Unchanged text longer than this is folded in a comparison, keeping some context
# on each side of the changes around it.
FOLD_ABOVE = 400
FOLD_CONTEXT = 150


@register.filter
def folded(words):
    """A word diff's runs, long unchanged ones split as (shown, hidden, shown) text.

    Each item is ``(op, text, hidden)``: ``hidden`` is the part of an unchanged run
    the page folds away, between the context kept before and after it.
    """
    items = []
    last = len(words) - 1
    for index, word in enumerate(words):
        if word.op != "equal" or len(word.text) <= FOLD_ABOVE:
            items.append((word.op, word.text, "", ""))
            continue
        text = word.text
        head_end = _word_boundary(text, FOLD_CONTEXT, backwards=True) if index else 0
        tail_start = (
            _word_boundary(text, len(text) - FOLD_CONTEXT)
            if index < last
            else len(text)
        )
        items.append(
            ("equal", text[:head_end], text[head_end:tail_start], text[tail_start:])
        )
    return items


def _word_boundary(text: str, position: int, *, backwards: bool = False) -> int:
    """The nearest place at or around ``position`` that does not cut a word."""
    if backwards:
        found = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position))
        return found + 1 if found > 0 else position
    candidates = [
        i for i in (text.find(" ", position), text.find("\n", position)) if i >= 0
    ]
    return min(candidates) + 1 if candidates else position

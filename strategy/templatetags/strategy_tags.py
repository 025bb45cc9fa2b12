"""Template filters of the strategy app."""

from django import template

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user Markdown through the one sanitizing renderer."""
    return render_markdown(text)


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

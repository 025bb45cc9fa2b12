"""Markdown that would make Python-Markdown take quadratic time, made cheap first.

Python-Markdown rescans the rest of a paragraph for every "[" it cannot match, the rest
of the document for every "<" that opens no tag, and the rest of a block for every
heading, rule or setext underline in it; a text nested a few thousand lists deep
exhausts the stack. A pasted or hostile text of 20,000 characters could block a worker
for minutes (``tests/test_defusing.py`` renders each known pattern).

Real writing comes nowhere near the budgets below, so its HTML never changes. A text
beyond them shows its characters as typed: the costly ones are swapped for inert
placeholders that Markdown passes through untouched, and restored in the HTML
(``restore``). Defusing never adds escapes, which would cost time themselves.
"""

import re

SCAN_BUDGET = 300_000
"""Characters the parser may rescan for the brackets of one paragraph, or for the "<"
of one text: a few tens of milliseconds. Matched links and closed tags cost their own
length only."""

INLINE_BUDGET = 5_000_000
"""Markers of one kind (``[``, ``*``, ``_``, backticks, ``\\``, ``&``) in one
paragraph times its length: each match rewrites the paragraph once. A paragraph of
3,000 characters with a hundred bold words costs 300,000."""

MAX_MARKER_LINES = 16
"""Headings, rules and underlines in one block before they read as text."""

MAX_NESTING = 10
"""List or quote markers at the start of one line before they read as text."""

MAX_ANGLE_BRACKETS = 100
""""<" in one text: open tags nest, and the parser's work grows with their square."""

PLACEHOLDERS = {
    "[": ("\ue000", "["),
    "<": ("\ue001", "&lt;"),
    "`": ("\ue002", "`"),
    "*": ("\ue003", "*"),
    "_": ("\ue004", "_"),
    "\\": ("\ue005", "\\"),
    "&": ("\ue006", "&amp;"),
}
"""For each character set aside: the private-use character nobody types that stands in
for it (Markdown leaves it alone), and what the HTML shows in its place."""

PLAIN_LINE = "\ue007"
"""Starts a line that must read as text, not as a heading, a rule or a list."""

_SHOWN = {placeholder: shown for placeholder, shown in PLACEHOLDERS.values()}
_SHOWN[PLAIN_LINE] = ""
_INLINE_MARKERS = "[*_`\\&"

_BLOCK_SEPARATOR = re.compile(r"(\n[ \t]*\n)")
_INLINE_UNIT = re.compile(r"\n(?=[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]|\|))")
"""Where a block's next list item or table row starts: each is parsed on its own."""
_MARKER_LINE = re.compile(
    r"[ \t]*(?:>[ \t]*)*"
    r"(?:#|=+[ \t]*$|-+[ \t]*$|([*_-])(?:[ \t]*\1){2,}[ \t]*$|\[[^\]\n]*\]:)"
)
_NESTED_MARKERS = re.compile(
    r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)" + f"{{{MAX_NESTING + 1},}}",
    re.MULTILINE,
)


def defuse(text: str) -> str:
    """The Markdown to render instead of ``text``; its HTML goes through ``restore``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for placeholder in _SHOWN:
        text = text.replace(placeholder, "\ufffd")
    text = _NESTED_MARKERS.sub(PLAIN_LINE + r"\g<0>", text)
    if (
        text.count("<") > MAX_ANGLE_BRACKETS
        or _rescan_cost(text, "<", ">") > SCAN_BUDGET
    ):
        text = _set_aside(text, "<")
    parts = _BLOCK_SEPARATOR.split(text)
    return "".join(
        part if index % 2 else _defuse_block(part) for index, part in enumerate(parts)
    )


def restore(html: str) -> str:
    """The HTML with the characters ``defuse`` set aside, as the user typed them."""
    for placeholder, shown in _SHOWN.items():
        if placeholder in html:
            html = html.replace(placeholder, shown)
    return html


def _set_aside(text: str, character: str) -> str:
    return text.replace(character, PLACEHOLDERS[character][0])


def _defuse_block(block: str) -> str:
    lines = block.split("\n")
    if sum(1 for line in lines if _MARKER_LINE.match(line)) > MAX_MARKER_LINES:
        block = "\n".join(
            PLAIN_LINE + line if _MARKER_LINE.match(line) else line for line in lines
        )
    return "\n".join(_defuse_inline(unit) for unit in _INLINE_UNIT.split(block))


def _defuse_inline(unit: str) -> str:
    """A paragraph, list item or table row, its costly markers set aside."""
    if _rescan_cost(unit, "[", "]", then=("(", ")")) > SCAN_BUDGET:
        unit = _set_aside(unit, "[")
    # The tables extension compares every "|" of a row with every code span in it.
    if unit.count("`") * unit.count("|") > SCAN_BUDGET:
        unit = _set_aside(unit, "`")
    for marker in _INLINE_MARKERS:
        if unit.count(marker) * len(unit) > INLINE_BUDGET:
            unit = _set_aside(unit, marker)
    return unit


def _rescan_cost(text: str, opening: str, closing: str, *, then=None) -> int:
    """How many characters the parser reads looking for what closes each ``opening``.

    Each ``opening`` costs the distance to its match, or to the end when unmatched; a
    pair ``then`` opened right after the match (a link's "(url)") costs the same way.
    """
    if opening not in text:
        return 0
    pairs = {opening: closing, **dict([then] if then else [])}
    partners = _partners(text, pairs)
    cost = 0
    for start, end in partners.items():
        if text[start] != opening:
            continue
        cost += (end if end is not None else len(text)) - start
        if end is not None and then and text.startswith(then[0], end + 1):
            after = partners[end + 1]
            cost += (after if after is not None else len(text)) - end
    return cost


def _partners(text: str, pairs: dict[str, str]) -> dict[int, int | None]:
    """Where each opening symbol of ``pairs`` is closed, by nesting; None if never."""
    partners: dict[int, int | None] = {}
    open_at: dict[str, list[int]] = {opening: [] for opening in pairs}
    opening_of = {closing: opening for opening, closing in pairs.items()}
    symbols = re.escape("".join(pairs) + "".join(pairs.values()))
    for match in re.finditer(f"[{symbols}]", text):
        symbol, position = match.group(), match.start()
        if symbol in open_at:
            open_at[symbol].append(position)
            partners[position] = None
        elif open_at[opening_of[symbol]]:
            partners[open_at[opening_of[symbol]].pop()] = position
    return partners

"""Texts that make Python-Markdown take quadratic time or exhaust the stack.

Found by timing every piece of Markdown syntax repeated to 8,000 and 32,000
characters, alone and inside a list item or a quote (issue 9). Each builds a text of
``length`` characters; ``tests/test_defusing.py`` and ``bench/markdown.py`` render them.
"""


def repeat(unit: str):
    return lambda length: (unit * (length // len(unit) + 1))[:length]


PATTERNS = {
    "setext headings": repeat("a\n=\n"),
    "setext headings in a quote": repeat("> a\n=\n"),
    "hash headings": repeat("# a\n"),
    "rules": repeat("***\n"),
    "spaced rules": repeat("- - -\n"),
    "list items and rules": repeat("- a\n---\n"),
    "lines of one dash": repeat("-\n"),
    "reference definitions": repeat("[a]: x\n"),
    "unclosed autolinks": repeat("<http://"),
    "unclosed tags": repeat("<a "),
    "unclosed attributes": repeat("<a b='"),
    "CDATA openers": repeat("<![CDATA["),
    "open tags then comments": lambda length: (
        "<b>" * (length // 13) + "<!-- c -->" * (length // 13)
    ),
    "brackets": repeat("["),
    "image openers": repeat("!["),
    "link openers": repeat("[a]("),
    "links to unclosed parentheses": repeat("[a](()"),
    "links to unclosed angle brackets": repeat("[a](<"),
    "nested brackets": lambda length: "[" * (length // 2) + "a" + "]" * (length // 2),
    "brackets and backticks": repeat("`["),
    "lists nested on one line": lambda length: "- " * (length // 2 - 1) + "a",
    "quotes nested on one line": lambda length: ">" * (length - 2) + " a",
    "table row of code spans": lambda length: (
        "| a | b |\n|---|---|\n|" + "`a`|" * ((length - 20) // 4)
    ),
    "emphasis": repeat("*a* "),
    "escaped brackets": repeat("\\["),
}

CONTEXTS = {
    "alone": lambda text: text,
    "in a list item": lambda text: "- " + text,
    "in a quote": lambda text: "\n".join("> " + line for line in text.split("\n")),
}

"""The one Markdown renderer: user text becomes HTML only through here."""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


MAX_BRACKETS_PER_PARAGRAPH = 100


def _defuse_brackets(text: str) -> str:
    """Show brackets as typed in a paragraph that has very many of them.

    Python-Markdown takes time growing with the square of the number of "[" in a
    paragraph (its issue 798): a pasted string of brackets would block a worker for
    minutes. No real paragraph holds a hundred links.
    """
    paragraphs = re.split(r"(\n\s*\n)", text)
    return "".join(
        part.replace("[", "\\[")
        if part.count("[") > MAX_BRACKETS_PER_PARAGRAPH
        else part
        for part in paragraphs
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitized HTML: raw HTML, scripts and unsafe links never pass."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(
        _defuse_brackets(text), extensions=["tables", "sane_lists"]
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)

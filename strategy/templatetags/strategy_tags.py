"""Template filters of the strategy app."""

from django import template

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user Markdown through the one sanitizing renderer."""
    return render_markdown(text)

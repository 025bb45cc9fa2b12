"""The written strategy: a version rendered as HTML, then as PDF with WeasyPrint.

The chapters follow the method's declaration; the document speaks the concept's
language, not the reader's. ``renders`` makes PDFs ahead and stores them.
"""

import base64
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import checks, figures, formats
from .display import display_value
from .fetcher import STATIC_BASE_URL, fetch_static_only
from .method import PARTS, STEPS, Extra, RowList, Step
from .models import ConceptVersion
from .platforms import Platform
from .rendering import render_markdown
from .summary import management_summary, objective_line

TEMPLATE = "strategy/document/document.html"
DESIGN_FILES = (
    "templates/strategy/document/*.html",
    "static/css/document.css",
    "strategy/charts.py",
    "strategy/figures.py",
    "strategy/formats.py",
    "strategy/listening/shown.py",
    "strategy/locale/*/LC_MESSAGES/django.mo",
)
"""What a stored PDF also depends on: a change to any of them renders PDFs anew
(``renders.design_fingerprint``)."""


ACCESSIBLE = "pdf/ua-1"
ARCHIVE = "pdf/a-3b"
VARIANTS = {ACCESSIBLE: "", ARCHIVE: "-pdfa"}


@dataclass
class Table:
    """A list of the version. A list with long texts reads as blocks: each row's name
    as a heading, its short values as key figures, its texts below; a list of short
    values is a table, with the totals its list declares (``RowList.summed``)."""

    title: str
    name: str
    headers: list[str]
    rows: list[dict[str, Any]]
    numeric: list[bool]
    blocks: bool = False
    footer: list[str] | None = None


@dataclass
class Part:
    """A part of a chapter after its texts: a list's table, or an extra the method
    declares (its template shows the context's value under ``extra.name``)."""

    table: Table | None = None
    extra: Extra | None = None


@dataclass
class Chapter:
    step: Step
    number: int
    anchor: str
    fields: list[tuple[str, Any]]
    parts: list[Part]

    @property
    def part(self) -> str:
        """The title of the method's part this chapter opens, or ""."""
        return str(PARTS[self.step.part]) if self.step.part else ""


def _value(instance, field: models.Field, links: dict | None = None):
    """A field's value as the document prints it: texts as their Markdown's HTML,
    links by the names of the rows they point to."""
    if field.many_to_many:
        return ", ".join(links.get((instance.pk, field.name), []))
    value = getattr(instance, field.name)
    if isinstance(field, models.TextField):
        return render_markdown(value)
    return display_value(field, value)


def _link_names(row_list: RowList, version) -> dict:
    """For each row and link, the names of the rows it points to: one query a link."""
    names: dict = {}
    for link in row_list.links:
        rows = row_list.rows(version).prefetch_related(link)
        for row in rows:
            names[(row.pk, link)] = [str(item) for item in getattr(row, link).all()]
    return names


def _table(row_list: RowList, version) -> Table:
    """A list as a table: short fields as columns, long texts as notes per row."""
    meta = row_list.model._meta
    fields = [meta.get_field(name) for name in row_list.fields]
    columns = [f for f in fields if not isinstance(f, models.TextField)]
    texts = [f for f in fields if isinstance(f, models.TextField)]
    links = _link_names(row_list, version)
    rows = []
    objects = list(row_list.rows(version))
    for row in objects:
        cells = [_value(row, field, links) for field in columns]
        notes = [
            (field.verbose_name, _value(row, field))
            for field in texts
            if getattr(row, field.name)
        ]
        rows.append({"cells": cells, "notes": notes})
    # A column nobody filled in (say, "other platform") only takes room; the first
    # column names the row and always stays.
    shown = [0] + [
        index
        for index in range(1, len(columns))
        if any(row["cells"][index] for row in rows)
    ]
    for row in rows:
        row["cells"] = [row["cells"][index] for index in shown]
    numeric = [
        isinstance(columns[index], models.DecimalField | models.IntegerField)
        and not columns[index].choices
        for index in shown
    ]
    headline, said = HEADLINES.get(row_list.name, (None, ()))
    for row, instance in zip(rows, objects, strict=True):
        row["facts"] = [
            (str(columns[index].verbose_name), cell, is_number)
            for index, cell, is_number in zip(
                shown[1:], row["cells"][1:], numeric[1:], strict=True
            )
            if cell and columns[index].name not in said
        ]
        row["headline"] = headline(instance) if headline else ""
    footer = None
    if row_list.summed and rows:
        footer = [_("Total")] + [
            formats.number(
                sum(getattr(row, columns[index].name) or 0 for row in objects)
            )
            if columns[index].name in row_list.summed
            else ""
            for index in shown[1:]
        ]
    return Table(
        title=str(meta.verbose_name_plural),
        name=row_list.name,
        headers=[str(columns[index].verbose_name) for index in shown],
        rows=rows,
        numeric=numeric,
        blocks=bool(texts),
        footer=footer,
    )


HEADLINES = {
    "objectives": (objective_line, ("kpi", "baseline", "target", "unit", "due")),
}
"""A sentence that says what a row of these lists is about, under its name, and
the fields it says, which its key figures then leave out."""

COVER_FIELDS = ("title", "organisation", "language", "authors")
"""The version's fields that the cover shows, not a chapter."""


def _parts(step: Step, version: ConceptVersion) -> list[Part]:
    """Each list's table, or the extra shown instead, followed by the extras after
    it; then the extras that end the step."""
    shown = [extra for extra in step.extras if extra.document]
    parts = []
    for row_list in step.lists:
        instead = [extra for extra in shown if extra.replaces == row_list.name]
        parts += [Part(extra=extra) for extra in instead] or [
            Part(table=_table(row_list, version))
        ]
        parts += [Part(extra=e) for e in shown if e.after == row_list.name]
    parts += [Part(extra=e) for e in shown if not e.after and not e.replaces]
    return parts


def _chapters(version: ConceptVersion) -> list[Chapter]:
    meta = ConceptVersion._meta
    chapters = []
    for step in STEPS:
        if not step.holds_content:
            continue
        fields = [
            (meta.get_field(name).verbose_name, _value(version, meta.get_field(name)))
            for name in step.fields
            if name not in COVER_FIELDS
        ]
        chapters.append(
            Chapter(
                step,
                len(chapters) + 1,
                f"chapter-{step.slug}",
                fields,
                _parts(step, version),
            )
        )
    return chapters


def readiness(version: ConceptVersion) -> dict:
    """The five obstacles as rated, and their chart."""
    ratings = [
        (rating.get_obstacle_display(), rating.score, rating)
        for rating in version.readiness.all()
    ]
    return {
        "ratings": ratings,
        "chart": figures.readiness_chart(
            [(label, score) for label, score, _rating in ratings],
            unrated_label=_("not rated"),
        ),
    }


def platform_matrix(version: ConceptVersion) -> dict:
    """Target groups × the platforms where they are reached."""
    groups = list(version.target_groups.all())
    used = [
        code for code in Platform.values if any(code in g.platforms for g in groups)
    ]
    labels = dict(Platform.choices)
    return {
        "platforms": [labels[code] for code in used],
        "rows": [(g.name, [code in g.platforms for code in used]) for g in groups],
    }


def document_context(version: ConceptVersion) -> dict:
    """Everything the template needs, computed in the document's own language."""
    findings = checks.check_version(version)
    extras = {
        extra.name: extra.value(version)
        for step in STEPS
        for extra in step.extras
        if extra.document or extra.name in SUMMARISED_EXTRAS
    }
    summary = management_summary(
        version,
        findings=findings,
        budget=extras["budget"],
        total_hours=extras["total_hours"],
    )
    return {
        "version": version,
        "concept": version.concept,
        "is_draft": not version.is_frozen,
        "date": timezone.localdate(version.frozen_at or version.updated_at),
        "locale": formats.locale_tag(),
        "summary_title": _("Management summary"),
        "summary": summary,
        "chapters": _chapters(version),
        "findings": findings,
        **extras,
    }


SUMMARISED_EXTRAS = ("budget", "total_hours")
"""The extras the management summary counts with, shown in a chapter or not."""


def render_html(version: ConceptVersion) -> str:
    """The document as HTML, exactly as WeasyPrint receives it."""
    with formats.in_locale_of(version):
        return render_to_string(TEMPLATE, document_context(version))


def standalone_html(version: ConceptVersion) -> str:
    """The document as one HTML file that looks like the PDF when opened from disk:
    its style sheet inlined, its fonts inside it as ``data:`` URLs, its icon left
    out; it links to nothing."""
    html = render_html(version)
    css = _static_path("css/document.css").read_text(encoding="utf-8")

    def embedded(match: re.Match) -> str:
        path = _static_path(posixpath.normpath(posixpath.join("css", match[1])))
        media_type = mimetypes.guess_type(path.name)[0] or "font/otf"
        data = base64.b64encode(path.read_bytes()).decode()
        return f'url("data:{media_type};base64,{data}")'

    css = re.sub(r'url\("([^")]+)"\)', embedded, css)
    html = re.sub(r'<link rel="icon"[^>]*>\n?', "", html)
    return re.sub(
        r'<link rel="stylesheet" href="[^"]*document\.css">',
        lambda _match: f"<style>\n{css}</style>",
        html,
    )


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found)


def render_pdf(version: ConceptVersion, *, variant: str = ACCESSIBLE) -> bytes:
    """Render the PDF; ``variant`` is the accessible PDF/UA-1 or the archival PDF/A."""
    from weasyprint import HTML

    html = render_html(version)
    return HTML(
        string=html, base_url=STATIC_BASE_URL, url_fetcher=fetch_static_only
    ).write_pdf(pdf_variant=variant, pdf_tags=True, custom_metadata=True)


def filename(version: ConceptVersion, *, variant: str = ACCESSIBLE) -> str:
    return f"concept-{version.concept_id}-v{version.number}{VARIANTS[variant]}.pdf"

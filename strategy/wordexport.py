"""The written strategy as a Word document, from the same context as the PDF.

Word's built-in styles carry the structure (Title, Heading 1 to 3, lists, Table
Grid), so the navigation pane, the table of contents and a reader's own styles work.
The charts are left out: their numbers are in the tables next to them. Rendering
takes a fraction of a second, so, unlike the PDF, nothing is stored.
"""

import datetime as dt
import io

from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import document, formats
from .models import ConceptVersion
from .rendering import render_markdown
from .templatetags.strategy_tags import keep_ranges, version_byline
from .wordhtml import add_html, add_text, mark_header_row, new_table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'
"""Headings 1 to 3, as links, without page numbers in web view, with outline levels."""
PAGE = (Cm(21), Cm(29.7))
MARGIN = Cm(2.5)
DRAFT_COLOR = RGBColor(0xB0, 0x1E, 0x2E)
MUTED_COLOR = RGBColor(0x59, 0x59, 0x59)
WIDE = 6
"""A table with more columns than this is set in small print to fit the page."""


def render_docx(version: ConceptVersion) -> bytes:
    """The version's document as a Word file, in the concept's language and formats."""
    with formats.in_locale_of(version):
        context = document.document_context(version)
        word = Document()
        _set_up(word, context)
        _cover(word, context)
        _contents(word)
        _summary(word, context)
        for chapter in context["chapters"]:
            _chapter(word, chapter, context)
        _open_points(word, context)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def filename(version: ConceptVersion) -> str:
    return f"concept-{version.concept_id}-v{version.number}.docx"


# The frame: page, properties, header and footer ------------------------------------


def _set_up(word, context) -> None:
    """A4 pages, the document's language, its properties, its header and footer."""
    section = word.sections[0]
    section.page_width, section.page_height = PAGE
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    for lang in word.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), context["locale"])
    _properties(word, context)
    _header_and_footer(section, context)
    # python-docx's template carries the thumbnail of an empty page: a file
    # browser would show it for this document.
    relations = word.part.package.rels
    for key, relation in list(relations.items()):
        if relation.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del relations[key]


def _properties(word, context) -> None:
    """Title, author, subject and keywords as the PDF's metadata has them."""
    version = context["version"]
    kind = _("Social media strategy")
    properties = word.core_properties
    properties.title = f"{version.title} – {version.organisation}"
    properties.author = version.organisation
    properties.last_modified_by = properties.author
    properties.subject = f"{kind} · {version.organisation}"
    properties.keywords = f"{kind}, {_('DRAFT')}" if context["is_draft"] else kind
    properties.content_status = (
        _("DRAFT") if context["is_draft"] else str(version.get_status_display())
    )
    properties.language = context["locale"]
    properties.version = str(version.number)
    properties.comments = ""
    properties.revision = 1
    moment = (version.frozen_at or version.updated_at).astimezone(dt.UTC)
    properties.created = properties.modified = moment


def _header_and_footer(section, context) -> None:
    """The running title and version after the cover, the draft mark on every page,
    the page number of all pages at the bottom."""
    version = context["version"]
    section.different_first_page_header_footer = True
    header = section.header
    running = header.paragraphs[0]
    add_text(running, f"{version.organisation} · {version.title}")
    numbered = header.add_paragraph()
    numbered.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_text(
        numbered,
        _("Version %(number)s") % {"number": version.number}
        + f" · {version.get_status_display()}",
    )
    for paragraph in (running, numbered):
        for run in paragraph.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = MUTED_COLOR
    if context["is_draft"]:
        _draft_mark(section.first_page_header.paragraphs[0])
        _draft_mark(header.add_paragraph())
    for footer in (section.footer, section.first_page_footer):
        _page_numbers(footer.paragraphs[0])


def _draft_mark(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = add_text(paragraph, _("DRAFT"), bold=True)
    run.font.size = Pt(16)
    run.font.color.rgb = DRAFT_COLOR


def _page_numbers(paragraph) -> None:
    """ "Page 3 of 20", both numbers fields that Word fills in."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_text(paragraph, f"{_('Page')} ")
    _simple_field(paragraph, "PAGE")
    add_text(paragraph, f" {_('of')} ")
    _simple_field(paragraph, "NUMPAGES")


def _simple_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# The cover, the contents and the summary -------------------------------------------


def _cover(word, context) -> None:
    version, concept = context["version"], context["concept"]
    add_text(word.add_paragraph(), version.organisation, bold=True)
    add_text(word.add_paragraph(style="Subtitle"), _("Social media strategy"))
    add_text(word.add_paragraph(style="Title"), keep_ranges(version.title))
    facts = [
        (_("Version"), f"{version.number} · {version.get_status_display()}"),
        (_("Date"), formats.date(context["date"], "long")),
    ]
    if version.authors:
        facts.append((_("Authors"), version.authors))
    facts.append((_("Team"), concept.team.name))
    if version.is_frozen or version.is_in_review:
        if version.is_approved:
            label = _("Approval")
        elif version.is_frozen:
            label = _("Frozen")
        else:
            label = _("Review")
        facts.append((label, version_byline(version)))
    if version.change_note:
        facts.append((_("Change note"), version.change_note))
    table = word.add_table(rows=len(facts), cols=2)  # no style: no borders
    for (label, value), row in zip(facts, table.rows, strict=True):
        label_cell, value_cell = row.cells
        add_text(label_cell.paragraphs[0], label, bold=True)
        add_text(value_cell.paragraphs[0], str(value))


def _contents(word) -> None:
    """The table of contents as Word's own field, filled in when Word updates it."""
    title = word.add_paragraph(style="TOC Heading")
    title.paragraph_format.page_break_before = True
    add_text(title, _("Contents"))
    paragraph = word.add_paragraph()
    _field_character(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = TOC_FIELD
    paragraph.add_run()._r.append(instruction)
    _field_character(paragraph, "separate")
    add_text(
        paragraph,
        _("Right-click here and choose “Update Field” to show the table of contents."),
    ).italic = True
    _field_character(paragraph, "end")


def _field_character(paragraph, kind: str) -> None:
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(character)


def _summary(word, context) -> None:
    """The summary's sections and their points, where the document has a summary."""
    summary = context.get("summary")
    if not summary:
        return
    _heading(word, context["summary_title"], 1)
    for section in summary:
        _heading(word, section.title, 2)
        for item in section.items:
            add_text(word.add_paragraph(style="List Bullet"), str(item))


# The chapters ----------------------------------------------------------------------


def _heading(word, text, level: int, *, new_page: bool = True) -> None:
    """A heading; a chapter's (level 1) starts a page."""
    paragraph = word.add_paragraph(style=f"Heading {level}")
    add_text(paragraph, str(text))
    if level == 1 and new_page:
        paragraph.paragraph_format.page_break_before = True


def _chapter(word, chapter: document.Chapter, context) -> None:
    """The chapter's fields, then its lists' tables and its extras, as in the PDF."""
    if chapter.part:
        opening = word.add_paragraph(style="Subtitle")
        opening.paragraph_format.page_break_before = True
        add_text(opening, chapter.part)
        _heading(word, f"{chapter.number}. {chapter.step.title}", 1, new_page=False)
    else:
        _heading(word, f"{chapter.number}. {chapter.step.title}", 1)
    add_text(word.add_paragraph(), str(chapter.step.why)).italic = True
    for label, value in chapter.fields:
        if value:
            _heading(word, capfirst(label), 2)
            _add_value(word, value)
    for part in chapter.parts:
        if part.table is not None:
            _table(word, part.table)
        else:
            EXTRAS[part.extra.name](word, context[part.extra.name])


def _add_value(container, value) -> None:
    """A value as the template prints it: rendered Markdown as such, else as text."""
    if isinstance(value, SafeData):
        add_html(container, value)
    else:
        add_text(container.add_paragraph(), str(value))


def _table(word, table: document.Table) -> None:
    """A list as a table, with a repeated header row and the list's totals; a row's
    headline and long texts are under its name, in its first cell.

    The PDF sets a list with long texts as blocks; Word users rework the document,
    and a table is what they sort, resize and copy.
    """
    _heading(word, capfirst(table.title), 2)
    if not table.rows:
        word.add_paragraph(_("Nothing recorded yet."))
        return
    footer = [table.footer] if table.footer else []
    grid = new_table(word, 1 + len(table.rows) + len(footer), len(table.headers))
    header, *body = grid.rows
    body, totals = body[: len(table.rows)], body[len(table.rows) :]
    _fill_row(header, [capfirst(name) for name in table.headers], table.numeric)
    mark_header_row(header)
    for values, word_row in zip(footer, totals, strict=True):
        _fill_row(word_row, values, table.numeric, bold=True)
    for row, word_row in zip(table.rows, body, strict=True):
        cells = word_row.cells
        _fill_row(word_row, row["cells"], table.numeric, cells=cells)
        if row.get("headline"):
            add_text(cells[0].add_paragraph(), row["headline"]).italic = True
        for label, text in row["notes"]:
            note = add_text(cells[0].add_paragraph(), capfirst(label), bold=True)
            note.font.size = Pt(9)
            add_html(cells[0], text)
    _fit(grid)


def _fit(grid) -> None:
    """Small print for a table too wide for the page at the text's size."""
    if len(grid.columns) <= WIDE:
        return
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


def _fill_row(row, values, numeric=(), *, cells=None, bold=False) -> None:
    """Each value in its cell; numeric columns right-aligned."""
    cells = cells or row.cells
    for index, (value, cell) in enumerate(zip(values, cells, strict=False)):
        paragraph = cell.paragraphs[0]
        if isinstance(value, SafeData):
            add_html(cell, value)
        else:
            add_text(paragraph, str(value), bold=bold)
        if index < len(numeric) and numeric[index]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# The extras, each from its value in the context ------------------------------------


def _budget(word, budget) -> None:
    """Per currency, the budget by category and its total."""
    numeric = (False, True, True)
    for totals in budget.currencies:
        _heading(
            word,
            _("Budget by category (%(currency)s)") % {"currency": totals.currency},
            3,
        )
        grid = new_table(word, len(totals.rows) + 2, 3)
        rows = grid.rows
        _fill_row(rows[0], [_("Category"), _("Per year"), _("One-off")], numeric)
        mark_header_row(rows[0])
        lines = [*totals.rows, (_("Total"), totals.total)]
        for line, ((label, amounts), row) in enumerate(
            zip(lines, rows[1:], strict=True)
        ):
            values = [
                label,
                formats.amount(amounts.per_year),
                formats.amount(amounts.one_off),
            ]
            _fill_row(row, values, numeric, bold=line == len(lines) - 1)
        first_year = formats.amount(totals.total.first_year, totals.currency)
        word.add_paragraph(
            _("Grand total for the first year (per year and one-off): %(amount)s")
            % {"amount": first_year}
        )


def _readiness(word, readiness) -> None:
    """Each obstacle's score, note and countermeasure."""
    _heading(word, _("Readiness for the five obstacles"), 2)
    headers = [_("Obstacle"), _("Score"), _("Note"), _("Countermeasure")]
    grid = new_table(word, len(readiness["ratings"]) + 1, len(headers))
    rows = grid.rows
    _fill_row(rows[0], headers)
    mark_header_row(rows[0])
    for (label, score, rating), row in zip(readiness["ratings"], rows[1:], strict=True):
        cells = row.cells
        add_text(cells[0].paragraphs[0], str(label), bold=True)
        add_text(cells[1].paragraphs[0], f"{score}/5" if score else "–")
        add_html(cells[2], render_markdown(rating.note))
        add_html(cells[3], render_markdown(rating.countermeasure))


def _platform_matrix(word, matrix) -> None:
    """Which target group is reached on which platform."""
    if not (matrix["rows"] and matrix["platforms"]):
        return
    _heading(word, _("Target groups and platforms"), 3)
    headers = [_("Target group"), *matrix["platforms"]]
    grid = new_table(word, len(matrix["rows"]) + 1, len(headers))
    rows = grid.rows
    _fill_row(rows[0], headers)
    mark_header_row(rows[0])
    for (name, marks), row in zip(matrix["rows"], rows[1:], strict=True):
        cells = row.cells
        add_text(cells[0].paragraphs[0], name, bold=True)
        for mark, cell in zip(marks, cells[1:], strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if mark:
                add_text(cell.paragraphs[0], "●")
    _fit(grid)


def _listening(word, sources) -> None:
    """Each export's source, period and figures; the charts are the PDF's."""
    if not sources:
        return
    _heading(word, _("Listening evidence"), 2)
    for source in sources:
        _heading(word, source.file, 3)
        word.add_paragraph(
            _("Source: %(tool)s, %(period)s.")
            % {"tool": source.tool, "period": source.period}
        )
        if source.is_monitoring:
            headers = [_("Platform"), _("Mentions"), _("Per month"), _("Tone")]
            lines = [
                (c.platform, c.mentions, c.per_month, c.tone) for c in source.channels
            ]
        else:
            headers = [_("Platform"), _("Posts")]
            lines = [(c.platform, c.mentions) for c in source.channels]
        headers += [_("Reach"), _("Engagement")]
        numeric = [False, *(True for _header in headers[1:])]
        if source.is_monitoring:
            numeric[3] = False
        grid = new_table(word, len(lines) + 1, len(headers))
        _fill_row(grid.rows[0], headers, numeric)
        mark_header_row(grid.rows[0])
        for channel, line, row in zip(
            source.channels, lines, grid.rows[1:], strict=True
        ):
            _fill_row(row, [*line, channel.reach, channel.engagement], numeric)
        if source.topics:
            word.add_paragraph(f"{_('Main topics:')} {source.topics}")
        if source.voices:
            headers = [_("Voices with most reach"), _("Where they speak"), _("Reach")]
            grid = new_table(word, len(source.voices) + 1, len(headers))
            _fill_row(grid.rows[0], headers, (False, False, True))
            mark_header_row(grid.rows[0])
            for voice, row in zip(source.voices, grid.rows[1:], strict=True):
                _fill_row(
                    row,
                    [voice["name"], voice["platforms"], voice["reach"]],
                    (False, False, True),
                )


EXTRAS = {
    "listening": _listening,
    "budget": _budget,
    "readiness": _readiness,
    "platform_matrix": _platform_matrix,
}
"""How each extra the method shows in the document reads in Word, by the extra's
name; its value is the context's under the same name."""


def _open_points(word, context) -> None:
    """What the strategy check still finds, as the PDF's last chapter."""
    _heading(word, f"{len(context['chapters']) + 1}. {_('Open points')}", 1)
    findings = context["findings"]
    if not findings:
        word.add_paragraph(
            _(
                "The strategy check found no gaps: the concept is complete and "
                "consistent."
            )
        )
        return
    word.add_paragraph(_("The strategy check found these points still to settle:"))
    for finding in findings:
        add_text(word.add_paragraph(style="List Bullet"), str(finding.message))

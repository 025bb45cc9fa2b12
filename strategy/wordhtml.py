"""Sanitized HTML, as ``rendering.render_markdown`` writes it, as Word paragraphs.

Only the tags ``rendering.ALLOWED_TAGS`` lets through arrive here; any other tag is
read as its text. Paragraphs, lists, quotes and tables take Word's built-in styles,
so a document keeps its look when someone changes the styles in Word.
"""

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

MONOSPACE = "Courier New"
LINK_COLOR = RGBColor(0x0B, 0x5C, 0xAD)
TABLE_STYLE = "Table Grid"
LIST_STYLES = {
    "ul": ("List Bullet", "List Bullet 2", "List Bullet 3"),
    "ol": ("List Number", "List Number 2", "List Number 3"),
}
CONTINUE_STYLES = ("List Continue", "List Continue 2", "List Continue 3")
"""A list item's second paragraph: indented like the item, without a new bullet."""
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre"}
BLOCKS |= {"table", "hr"}
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
LINK_SCHEMES = ("http://", "https://", "mailto:")

# XML 1.0 cannot hold most control characters; python-docx refuses a text that has
# one, and a pasted text may.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SPACES = re.compile(r"\s+")


def xml_text(text: str) -> str:
    """``text`` without the characters a Word file cannot hold."""
    return NOT_XML.sub("", text)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.text() for child in self.children
        )


class _TreeBuilder(HTMLParser):
    """The HTML as a tree of ``Node``; a stray end tag is ignored."""

    VOID = {"br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.open[-1].children.append(node)
        if tag not in self.VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, 0, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@dataclass(frozen=True)
class Format:
    """How the runs of an inline element look."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    superscript: bool = False
    subscript: bool = False
    code: bool = False
    link: bool = False


PLAIN = Format()
INLINE_FORMATS = {
    "strong": {"bold": True},
    "b": {"bold": True},
    "em": {"italic": True},
    "i": {"italic": True},
    "del": {"strike": True},
    "sup": {"superscript": True},
    "sub": {"subscript": True},
    "code": {"code": True},
}


def add_html(container, html: str) -> None:
    """Write sanitized HTML into ``container``, the document or a table's cell.

    In the document, the text's own headings are Word headings from level 4 on, below
    the chapters, fields and parts; in a cell they are bold paragraphs.
    """
    _Writer(container).blocks(parse(html))


def add_text(paragraph: Paragraph, text, *, bold: bool = False) -> Run:
    """A run of plain text; the characters Word cannot hold are left out."""
    run = paragraph.add_run(xml_text(str(text)))
    if bold:
        run.bold = True
    return run


def mark_header_row(row: _Row) -> None:
    """Repeat the row at the top of every page the table runs onto, in bold."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def new_table(container, rows: int, columns: int) -> Table:
    """A table in the one style every table of the document has."""
    table = container.add_table(rows=rows, cols=columns)
    table.style = container.part.document.styles[TABLE_STYLE]
    return table


class _Writer:
    def __init__(self, container):
        self.container = container
        self.in_cell = isinstance(container, _Cell)
        # A new cell holds one empty paragraph: the cell's first block takes it.
        self.unused = (
            container.paragraphs[0]
            if self.in_cell
            and len(container.paragraphs) == 1
            and not container.paragraphs[0].runs
            else None
        )

    def paragraph(self, style: str | None = None) -> Paragraph:
        if self.unused is not None:
            paragraph, self.unused = self.unused, None
            if style:
                paragraph.style = style
            return paragraph
        return self.container.add_paragraph(style=style)

    def blocks(self, node: Node, *, style: str | None = None, depth: int = 0) -> None:
        """The children of ``node``; inline content between blocks is a paragraph."""
        loose: list[Node | str] = []
        for child in [*node.children, None]:
            if child is None or (isinstance(child, Node) and child.tag in BLOCKS):
                if _has_text(loose):
                    self.inline(self.paragraph(style), loose)
                loose = []
                if child is not None:
                    self.block(child, style=style, depth=depth)
            else:
                loose.append(child)

    def block(self, node: Node, *, style: str | None, depth: int) -> None:
        tag = node.tag
        if tag == "p":
            self.inline(self.paragraph(style), node.children)
        elif tag[0] == "h" and tag[1:].isdigit():
            if self.in_cell:
                self.inline(self.paragraph(), node.children, Format(bold=True))
            else:
                level = min(int(tag[1:]) + 3, 9)
                self.inline(self.paragraph(f"Heading {level}"), node.children)
        elif tag in LIST_STYLES:
            self.list(node, depth)
        elif tag == "blockquote":
            self.blocks(node, style="Quote", depth=depth)
        elif tag == "pre":
            run = add_text(self.paragraph(style), node.text().rstrip("\n"))
            run.font.name = MONOSPACE
        elif tag == "table":
            self.table(node)
        elif tag == "hr":
            _bottom_border(self.paragraph())

    def list(self, node: Node, depth: int) -> None:
        level = min(depth, 2)
        style = LIST_STYLES[node.tag][level]
        numbering = self.restarted_numbering(style) if node.tag == "ol" else None
        for item in node.children:
            if not isinstance(item, Node):
                continue
            first = self.list_item(item, style, depth)
            if numbering is not None and first is not None:
                _number(first, numbering)

    def list_item(self, item: Node, style: str, depth: int) -> Paragraph | None:
        """The item's paragraphs: the first with the bullet or number, the others
        indented under it; a nested list one level deeper. Returns the first."""
        first: Paragraph | None = None
        loose: list[Node | str] = []

        def next_paragraph() -> Paragraph:
            nonlocal first
            if first is None:
                first = self.paragraph(style)
                return first
            return self.paragraph(CONTINUE_STYLES[min(depth, 2)])

        for child in [*item.children, None]:
            if child is None or (isinstance(child, Node) and child.tag in BLOCKS):
                if _has_text(loose):
                    self.inline(next_paragraph(), loose)
                loose = []
                if child is None:
                    continue
                if child.tag in LIST_STYLES:
                    self.list(child, depth + 1)
                elif child.tag == "p":
                    self.inline(next_paragraph(), child.children)
                else:
                    self.block(child, style=None, depth=depth)
            else:
                loose.append(child)
        return first

    def restarted_numbering(self, style: str) -> int:
        """A numbering of ``style`` of its own, from 1: Word's list styles share one
        numbering, so each list would go on counting from the list before it."""
        part = self.container.part
        style_id = part.document.styles[style].element.pPr.numPr.numId.val
        numbering = part.numbering_part.element
        (abstract,) = numbering.xpath(
            f'./w:num[@w:numId="{style_id}"]/w:abstractNumId/@w:val'
        )
        num = numbering.add_num(int(abstract))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, node: Node) -> None:
        rows = _rows(node)
        if not rows:
            return
        columns = max(len(cells) for _header, cells in rows)
        table = new_table(self.container, len(rows), columns)
        for (is_header, cells), row in zip(rows, table.rows, strict=True):
            for cell_node, cell in zip(cells, row.cells, strict=False):
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, cell_node.children)
                align = ALIGNMENTS.get(cell_node.attrs.get("align") or "")
                if align is not None:
                    paragraph.alignment = align
            if is_header:
                mark_header_row(row)

    def inline(self, paragraph: Paragraph, nodes, fmt: Format = PLAIN) -> None:
        _Inline(paragraph).write(nodes, fmt)


class _Inline:
    """Runs into one paragraph, spaces collapsed as a browser does."""

    def __init__(self, paragraph: Paragraph):
        self.paragraph = paragraph
        self.after_space = True  # a paragraph's leading spaces do not show
        self.link = None

    def write(self, nodes, fmt: Format) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.text(node, fmt)
            elif node.tag == "br":
                self.run("", fmt).add_break()
                self.after_space = True
            elif node.tag == "a" and self.link is None and _is_link(node):
                self.hyperlink(node, fmt)
            else:
                self.write(
                    node.children, replace(fmt, **INLINE_FORMATS.get(node.tag, {}))
                )

    def text(self, text: str, fmt: Format) -> None:
        text = SPACES.sub(" ", text)
        if self.after_space:
            text = text.lstrip(" ")
        if text:
            self.run(text, fmt)
            self.after_space = text.endswith(" ")

    def hyperlink(self, node: Node, fmt: Format) -> None:
        part = self.paragraph.part
        relation = part.relate_to(
            node.attrs["href"], RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        )
        self.link = OxmlElement("w:hyperlink")
        self.link.set(qn("r:id"), relation)
        self.paragraph._p.append(self.link)
        self.write(node.children, replace(fmt, link=True))
        self.link = None

    def run(self, text: str, fmt: Format) -> Run:
        if self.link is None:
            run = add_text(self.paragraph, text)
        else:
            element = OxmlElement("w:r")
            self.link.append(element)
            run = Run(element, self.paragraph)
            run.text = xml_text(text)
        run.bold = fmt.bold or None
        run.italic = fmt.italic or None
        if fmt.strike:
            run.font.strike = True
        if fmt.superscript:
            run.font.superscript = True
        if fmt.subscript:
            run.font.subscript = True
        if fmt.code:
            run.font.name = MONOSPACE
        if fmt.link:
            run.font.color.rgb = LINK_COLOR
            run.font.underline = True
        return run


def _is_link(node: Node) -> bool:
    return (node.attrs.get("href") or "").lower().startswith(LINK_SCHEMES)


def _has_text(nodes) -> bool:
    return any(
        node.strip()
        if isinstance(node, str)
        else node.tag == "br" or node.text().strip()
        for node in nodes
    )


def _rows(table: Node) -> list[tuple[bool, list[Node]]]:
    """Each row of an HTML table: whether it is a header row, and its cells."""
    rows = []

    def walk(node: Node, in_head: bool) -> None:
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "tr":
                cells = [c for c in child.children if isinstance(c, Node)]
                cells = [c for c in cells if c.tag in {"td", "th"}]
                if cells:
                    header = in_head or all(c.tag == "th" for c in cells)
                    rows.append(((header and not rows[-1:]) or header, cells))
            else:
                walk(child, in_head or child.tag == "thead")

    walk(table, False)
    return rows


def _number(paragraph: Paragraph, num_id) -> None:
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def _bottom_border(paragraph: Paragraph) -> None:
    """A horizontal rule: the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1")):
        bottom.set(qn(f"w:{name}"), value)
    bottom.set(qn("w:color"), "auto")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)

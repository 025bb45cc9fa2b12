"""Sanitized Markdown HTML as Word paragraphs, lists, tables and runs."""

import docx
from docx.oxml.ns import qn

from strategy.rendering import render_markdown
from strategy.wordhtml import add_html, new_table


def written(markdown: str):
    word = docx.Document()
    add_html(word, render_markdown(markdown))
    return word


def styled(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs]


def numbering(paragraph) -> str | None:
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return None
    return properties.numPr.numId.val


def test_paragraphs_keep_their_text_with_spaces_as_a_browser_shows_them():
    word = written("Une  première\nphrase.\n\nUn second paragraphe.")
    assert styled(word) == [
        ("Normal", "Une première phrase."),
        ("Normal", "Un second paragraphe."),
    ]


def test_bold_italic_and_code_are_runs_of_their_own():
    (paragraph,) = written("Du **gras**, de l’*italique* et `du code`.").paragraphs
    runs = {run.text: run for run in paragraph.runs}
    assert runs["gras"].bold and not runs["Du "].bold
    assert runs["italique"].italic
    assert runs["du code"].font.name == "Courier New"


def test_lists_take_words_list_styles_nested_one_level_deeper():
    word = written("- un\n- deux\n    - deux a\n- trois\n\n1. premier\n2. second")
    assert styled(word) == [
        ("List Bullet", "un"),
        ("List Bullet", "deux"),
        ("List Bullet 2", "deux a"),
        ("List Bullet", "trois"),
        ("List Number", "premier"),
        ("List Number", "second"),
    ]


def test_each_numbered_list_counts_from_one():
    word = written("1. a\n2. b\n\nEntre deux.\n\n1. c\n2. d")
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    first, second = (
        {numbering(p) for p in numbered[:2]},
        {numbering(p) for p in numbered[2:]},
    )
    assert len(first) == len(second) == 1
    assert first != second
    numbers = word.part.numbering_part.element
    (start,) = numbers.xpath(
        f'./w:num[@w:numId="{second.pop()}"]//w:startOverride/@w:val'
    )
    assert start == "1"


def test_a_loose_list_items_second_paragraph_continues_under_it():
    word = written("- premier point\n\n    sa suite\n\n- second point")
    assert styled(word) == [
        ("List Bullet", "premier point"),
        ("List Continue", "sa suite"),
        ("List Bullet", "second point"),
    ]


def test_a_markdown_table_is_a_word_table_with_a_repeated_header():
    word = written(
        "| Canal | Posts |\n| --- | ---: |\n| LinkedIn | 3 |\n| Instagram | 5 |"
    )
    (table,) = word.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Canal", "Posts"],
        ["LinkedIn", "3"],
        ["Instagram", "5"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr is None
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_links_are_hyperlinks_and_unsafe_ones_are_text():
    word = written("Voir [le site](https://example.ch/) ou [ceci](/relatif).")
    (paragraph,) = word.paragraphs
    (link,) = paragraph._p.findall(qn("w:hyperlink"))
    target = word.part.rels[link.get(qn("r:id"))].target_ref
    assert target == "https://example.ch/"
    assert paragraph.text == "Voir le site ou ceci."


def test_quotes_headings_and_code_blocks():
    word = written("> Une citation\n\n# Titre du texte\n\n    code  aligné\n")
    assert styled(word) == [
        ("Quote", "Une citation"),
        ("Heading 4", "Titre du texte"),
        ("Normal", "code  aligné"),
    ]


def test_in_a_cell_the_text_starts_in_its_first_paragraph():
    word = docx.Document()
    cell = new_table(word, 1, 1).rows[0].cells[0]
    add_html(cell, render_markdown("# Titre\n\nTexte."))
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Normal", "Titre"),
        ("Normal", "Texte."),
    ]
    assert cell.paragraphs[0].runs[0].bold

"""The written strategy as a Word file: the demo concept's .docx read back with
python-docx, its download, its command and its place in the admin."""

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace

import docx
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from strategy import document, formats, versioning, wordexport
from strategy.demo import DEMO_FILE
from strategy.method import STEPS
from strategy.models import Action, Activity, BudgetLine, Role

from .factories import (
    make_demo_concept,
    make_german_demo_concept,
    make_team,
    make_user,
)
from .test_admin import admin_url, change_url, staff_member

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The module's fixtures render the demo once in the test database: marking every test
# makes sure that database is set up even when a run selects only tests without "db".
pytestmark = pytest.mark.django_db


@dataclass
class Word:
    """A rendered .docx and what python-docx reads in it."""

    data: bytes

    @cached_property
    def document(self):
        return docx.Document(io.BytesIO(self.data))

    def texts(self, style: str) -> list[str]:
        return [p.text for p in self.document.paragraphs if p.style.name == style]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.document.paragraphs)

    @property
    def headers(self) -> str:
        """The text of every page header: the cover's and the other pages'."""
        return "\n".join(
            paragraph.text
            for section in self.document.sections
            for header in (section.header, section.first_page_header)
            for paragraph in header.paragraphs
        )

    @property
    def properties(self):
        return self.document.core_properties


def cells(row) -> list[str]:
    return [cell.text for cell in row.cells]


def is_repeated_header(row) -> bool:
    properties = row._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def headings(language: str) -> list[str]:
    """The PDF's chapter headings in ``language``, in the method's order."""
    with translation.override(language):
        titles = [str(step.title) for step in STEPS if step.holds_content]
        titles.append(gettext("Open points"))
    return [f"{number}. {title}" for number, title in enumerate(titles, 1)]


def amount(value: Decimal) -> str:
    """An amount as Babel's CLDR writes it in fr-CH, the demo's locale: 171'200,00."""
    return f"{value:,.2f}".replace(",", "'").replace(".", ",")


@dataclass
class ListTable:
    title: str
    headers: list[str]
    first_cells: list[str]
    numeric: list[bool]
    footer: list[str] | None


def list_tables(version) -> list[ListTable]:
    """The tables of the version's lists, as the PDF's context has them."""
    with formats.in_locale_of(version):
        context = document.document_context(version)
        return [
            ListTable(
                capfirst(part.table.title),
                [capfirst(header) for header in part.table.headers],
                [str(row["cells"][0]) for row in part.table.rows],
                part.table.numeric,
                part.table.footer,
            )
            for chapter in context["chapters"]
            for part in chapter.parts
            if part.table is not None and part.table.rows
        ]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo rendered once for the module; the database is left as found.

    Its draft (3) and a frozen version (2) in French, and the German demo's draft.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        author = make_user("author", first_name="Anne", last_name="Autrice")
        team = make_team("Communication", members=[(author, Role.OWNER)])
        concept = make_demo_concept(team, author)
        german = make_german_demo_concept(team, author)
        versions = {version.number: version for version in concept.versions.all()}
        rendered = {
            "data": json.loads(DEMO_FILE.read_bytes())["versions"][-1],
            "team": team.name,
            "draft": Word(wordexport.render_docx(versions[3])),
            "frozen": Word(wordexport.render_docx(versions[2])),
            "german": Word(wordexport.render_docx(german.draft)),
            "tables": list_tables(versions[3]),
        }
        assert not versions[3].is_frozen and versions[2].is_frozen
        transaction.set_rollback(True)
    return rendered


# The demo concept's document ---------------------------------------------------------


def test_the_document_opens_with_its_cover(demo):
    data, draft = demo["data"], demo["draft"]
    assert [t.replace("\u2060", "") for t in draft.texts("Title")] == [data["title"]]
    cover = [cells(row) for row in draft.document.tables[0].rows]
    assert ["Version", "3 · Brouillon"] in cover
    assert ["Auteurs", data["authors"]] in cover
    assert ["Équipe", demo["team"]] in cover


def test_every_chapter_of_the_pdf_is_a_heading_1(demo):
    found = demo["draft"].texts("Heading 1")
    assert [text for text in found if text[:1].isdigit()] == headings("fr")


def test_a_table_of_contents_field_follows_the_cover(demo):
    draft = demo["draft"]
    assert draft.texts("TOC Heading") == ["Table des matières"]
    body = draft.document.element.body
    instructions = [text.text for text in body.iter(qn("w:instrText"))]
    assert instructions == ['TOC \\o "1-3" \\h \\z \\u']


def test_every_list_is_a_word_table_with_its_repeated_header_row(demo):
    expected = demo["tables"]
    assert len(expected) > 10
    tables = demo["draft"].document.tables
    position = 0
    for table in expected:
        while position < len(tables) and cells(tables[position].rows[0]) != (
            table.headers
        ):
            position += 1
        assert position < len(tables), f"no Word table for {table.title}"
        found = tables[position]
        assert is_repeated_header(found.rows[0])
        footer = [table.footer] if table.footer else []
        assert len(found.rows) == 1 + len(table.first_cells) + len(footer)
        for row, first in zip(found.rows[1:], table.first_cells, strict=False):
            assert row.cells[0].paragraphs[0].text == first
        if footer:
            assert cells(found.rows[-1]) == table.footer
        for index, is_numeric in enumerate(table.numeric):
            alignment = found.rows[1].cells[index].paragraphs[0].alignment
            assert (alignment == WD_ALIGN_PARAGRAPH.RIGHT) is is_numeric
        position += 1
    titles = demo["draft"].texts("Heading 2")
    assert all(table.title in titles for table in expected)


def test_a_rows_long_texts_are_notes_in_its_first_cell(demo):
    objective = demo["data"]["objectives"][0]
    (table,) = [
        table
        for table in demo["draft"].document.tables
        if table.rows[1].cells[0].paragraphs[0].text == objective["title"]
    ]
    first_cell = table.rows[1].cells[0].text
    assert objective["description"].split()[0] in first_cell
    assert "Description" in first_cell


def test_budget_totals_end_with_their_total_row(demo):
    per_year, one_off = Decimal(0), Decimal(0)
    for line in demo["data"]["budget_lines"]:
        value = Decimal(line["amount"])
        if line["period"] == "once":
            one_off += value
        else:
            per_year += value * (12 if line["period"] == "monthly" else 1)
    (totals,) = [
        table
        for table in demo["draft"].document.tables
        if cells(table.rows[0]) == ["Catégorie", "Par an", "Unique"]
    ]
    total = totals.rows[-1]
    assert cells(total) == ["Total", amount(per_year), amount(one_off)]
    assert all(run.bold for cell in total.cells for run in cell.paragraphs[0].runs)
    with translation.override("fr"):
        labels = {code: str(label) for code, label in BudgetLine.Category.choices}
    used = {labels[line["category"]] for line in demo["data"]["budget_lines"]}
    assert {cells(row)[0] for row in totals.rows[1:-1]} == used
    assert "Budget par catégorie (CHF)" in demo["draft"].texts("Heading 3")
    with (
        translation.override("fr"),
        formats.in_locale_of(type("Version", (), {"language": "fr", "region": "CH"})),
    ):
        grand = formats.amount(per_year + one_off, "CHF")
    paragraphs = [p.text for p in demo["draft"].document.paragraphs]
    assert (
        f"Total général de la première année (annuel et unique)\u00a0: {grand}"
        in paragraphs
    )


def test_the_people_table_ends_with_the_hours_total(demo):
    hours = sum(Decimal(person["hours_per_week"]) for person in demo["data"]["people"])
    (people,) = [
        table
        for table in demo["draft"].document.tables
        if table.rows[1].cells[0].paragraphs[0].text
        == demo["data"]["people"][0]["role"]
    ]
    total = cells(people.rows[-1])
    assert total[0] == "Total"
    assert f"{hours.normalize():f}".replace(".", ",") in total


def test_extras_readiness_and_platforms_are_there(demo):
    draft = demo["draft"]
    assert "Maturité face aux cinq obstacles" in draft.texts("Heading 2")
    assert "Groupes-cibles et plateformes" in draft.texts("Heading 3")
    headers = [cells(table.rows[0]) for table in draft.document.tables]
    assert ["Obstacle", "Évaluation", "Remarque", "Contre-mesure"] in headers
    assert any(header[0] == "Groupe-cible" for header in headers)


def test_the_last_chapter_lists_the_open_points(demo):
    text = demo["draft"].text
    assert text.index("Points ouverts") > text.index("Maturité face aux cinq")


def test_markdown_texts_become_word_paragraphs_and_lists(demo):
    draft = demo["draft"]
    assert "Hôpital régional du Pied-du-Jura (HRPJ)" in draft.text
    bullets = draft.texts("List Bullet")
    assert any(text.startswith("La Venoge : soins aigus") for text in bullets)
    bold = [
        run.text
        for paragraph in draft.document.paragraphs
        for run in paragraph.runs
        if run.bold
    ]
    assert "Hôpital régional du Pied-du-Jura (HRPJ)" in bold


def test_the_draft_is_marked_and_a_frozen_version_is_not(demo):
    draft, frozen = demo["draft"], demo["frozen"]
    assert "BROUILLON" in draft.headers
    assert draft.properties.content_status == "BROUILLON"
    assert "BROUILLON" in draft.properties.keywords
    assert "BROUILLON" not in frozen.headers
    assert "BROUILLON" not in frozen.properties.content_status
    assert "BROUILLON" not in frozen.properties.keywords
    assert "Version 2 · Figée" in frozen.headers


def test_properties_are_the_pdfs_metadata(demo):
    data, properties = demo["data"], demo["draft"].properties
    assert properties.title == f"{data['title']} – {data['organisation']}"
    assert properties.author == data["organisation"]
    assert properties.subject == f"Stratégie médias sociaux · {data['organisation']}"
    assert properties.language == "fr-CH"
    assert properties.version == "3"


def test_a_german_concept_has_a_german_document(demo):
    german = demo["german"]
    found = german.texts("Heading 1")
    assert [text for text in found if text[:1].isdigit()] == headings("de")
    assert found[-1].endswith("Offene Punkte")
    assert german.properties.language == "de-CH"


def test_every_extra_of_the_document_has_its_word_form():
    shown = {extra.name for step in STEPS for extra in step.extras if extra.document}
    assert shown <= set(wordexport.EXTRAS)


def test_a_summary_follows_the_table_of_contents_when_there_is_one(
    concept, monkeypatch
):
    context = document.document_context

    def with_summary(version):
        return {
            **context(version),
            "summary_title": "En bref",
            "summary": [
                SimpleNamespace(title="Objectifs", items=["Recruter", "Informer"]),
            ],
        }

    monkeypatch.setattr(document, "document_context", with_summary)
    word = Word(wordexport.render_docx(concept.draft))
    body = [(p.style.name, p.text) for p in word.document.paragraphs]
    start = body.index(("Heading 1", "En bref"))
    assert body[start + 1 : start + 4] == [
        ("Heading 2", "Objectifs"),
        ("List Bullet", "Recruter"),
        ("List Bullet", "Informer"),
    ]
    after = [text for style, text in body[start + 4 :] if style == "Heading 1"]
    assert after[0] == headings("fr")[0]
    assert [text for style, text in body[:start] if style == "Heading 1"] == []


def test_text_word_cannot_hold_is_left_out(concept):
    draft = concept.draft
    draft.context = "Avant\x0b\x01après."
    draft.save()
    assert "Avant après." in Word(wordexport.render_docx(draft)).text


# The download -----------------------------------------------------------------------


def docx_url(concept, number=1):
    return reverse("strategy:document_docx", args=[concept.pk, number])


@pytest.mark.parametrize("role", list(Role))
def test_every_member_downloads_the_word_file(client, concept, team, role):
    client.force_login(team.memberships.get(role=role).user)
    response = client.get(docx_url(concept))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="concept-{concept.pk}-v1.docx"'
    )
    assert Word(response.content).texts("Title") == [concept.draft.title]


def test_the_download_is_in_the_activity_log(client, concept, owner):
    client.force_login(owner)
    client.get(docx_url(concept))
    entry = Activity.objects.filter(concept=concept).first()
    assert (entry.action, entry.detail, entry.version_number) == (
        Action.EXPORTED,
        "Word",
        1,
    )
    assert entry.actor == owner


def test_non_members_and_other_teams_get_404(client, concept, outsider, other_team):
    client.force_login(outsider)
    assert client.get(docx_url(concept)).status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get(docx_url(concept)).status_code == 404
    client.force_login(concept.team.memberships.first().user)
    assert client.get(docx_url(concept, number=9)).status_code == 404


def test_the_version_and_concept_pages_offer_the_word_file(client, concept, owner):
    client.force_login(owner)
    for page in (
        reverse("strategy:version_detail", args=[concept.pk, 1]),
        reverse("strategy:concept_detail", args=[concept.pk]),
    ):
        assert docx_url(concept) in client.get(page).content.decode()


# The admin ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_staff_of_the_team_download_the_word_file_in_the_admin(
    client, concept, team, role
):
    client.force_login(staff_member(team, role))
    version = concept.draft
    url = admin_url(version, "docx", version.pk)
    assert url in client.get(change_url(version)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "BROUILLON" in Word(response.content).headers


def test_staff_of_another_team_get_404_in_the_admin(client, concept, other_team):
    client.force_login(staff_member(other_team, Role.OWNER))
    version = concept.draft
    assert client.get(admin_url(version, "docx", version.pk)).status_code == 404


# The render_docx command --------------------------------------------------------------


def test_command_writes_the_word_file(concept, tmp_path):
    output = tmp_path / "out.docx"
    call_command(
        "render_docx", str(concept.pk), "-o", str(output), stderr=io.StringIO()
    )
    assert Word(output.read_bytes()).texts("Title") == [concept.draft.title]


def test_command_renders_the_draft_by_default(concept, owner, tmp_path, monkeypatch):
    versioning.freeze(concept.draft, by=owner, note="v1")
    monkeypatch.chdir(tmp_path)
    call_command("render_docx", str(concept.pk), stderr=io.StringIO())
    call_command("render_docx", str(concept.pk), "--version", "1", stderr=io.StringIO())
    assert (
        "BROUILLON"
        in Word((tmp_path / f"concept-{concept.pk}-v2.docx").read_bytes()).headers
    )
    assert (
        "BROUILLON"
        not in Word((tmp_path / f"concept-{concept.pk}-v1.docx").read_bytes()).headers
    )


def test_command_refuses_what_does_not_exist(concept):
    with pytest.raises(CommandError):
        call_command("render_docx", str(concept.pk + 1))
    with pytest.raises(CommandError):
        call_command("render_docx", str(concept.pk), "--version", "9")


def test_the_cover_keeps_year_ranges_on_one_line(concept):
    draft = concept.draft
    draft.title = "Stratégie 2026–2028"
    draft.save()
    word = docx.Document(io.BytesIO(wordexport.render_docx(draft)))
    (title,) = [p for p in word.paragraphs if p.style.name == "Title"]
    assert title.text == "Stratégie 2026–\u20602028"  # a word joiner holds the range

"""The written strategy: the demo concept's PDF read back as text, and its rules."""

import html
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from html.parser import HTMLParser

import pypdf
import pytest
import weasyprint
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from weasyprint.formatting_structure import boxes

from strategy import document, renders, versioning
from strategy import formats as strategy_formats
from strategy.budget import budget_totals
from strategy.demo import DEMO_FILE, DEMO_TEAM_SLUG
from strategy.interchange import import_concept
from strategy.method import PARTS, STEPS
from strategy.models import (
    BudgetLine,
    Concept,
    ConceptVersion,
    DocumentKind,
    Readiness,
)
from strategy.rendering import render_markdown

from .factories import make_concept, make_large_concept

FAKE_PDF = b"%PDF-1.7 not rendered"
FRENCH_PAGE = re.compile(r"Page (\d+) sur (\d+)")
TOC_LINE = re.compile(r"^\s*(\d+)\.\s+(\S.*?)\s{2,}(\d+)\s*$")

# The module's fixtures render the demo once in the test database: marking every test
# makes sure that database is set up even when a run selects only tests without "db".
pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """Text without any whitespace, so that line breaks and spaces do not count."""
    return "".join(text.split())


def plain(markdown: str, words: int = 6) -> str:
    """The first words of a Markdown text as a reader sees them."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", render_markdown(markdown)))
    return " ".join(text.split()[:words])


@dataclass
class Pdf:
    """A rendered PDF and what pypdf reads in it."""

    data: bytes

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    def lines(self, index: int) -> list[str]:
        return [line.strip() for line in self.pages[index].splitlines()]

    @property
    def catalog(self):
        return self.reader.trailer["/Root"]

    @property
    def xmp(self) -> bytes:
        return self.reader.xmp_metadata.stream.get_data()


def headings() -> list[str]:
    """The chapter headings in the active language, in the method's order."""
    titles = [
        str(step.title)
        for step in STEPS
        if (step.fields or step.lists) and step.slug != "readiness"
    ]
    titles += [gettext("Readiness"), gettext("Open points")]
    return [f"{number}. {title}" for number, title in enumerate(titles, 1)]


@contextmanager
def keeping_layouts():
    """Collect the laid-out document of every rendering, to inspect its boxes."""
    layouts = []
    render = weasyprint.HTML.render

    def keep_layout(self, *args, **kwargs):
        layouts.append(render(self, *args, **kwargs))
        return layouts[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "render", keep_layout)
        yield layouts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo concept rendered once for the module; the database is left as found.

    Its draft (3) and a frozen version (2) in French, version 2 as PDF/A, and the
    draft of a copy of the demo whose versions are all in English.
    """
    data = json.loads(DEMO_FILE.read_bytes())
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        concept = Concept.objects.get(
            team__slug=DEMO_TEAM_SLUG, versions__number=3, versions__language="fr"
        )
        versions = {version.number: version for version in concept.versions.all()}
        english = json.loads(DEMO_FILE.read_bytes())
        for version in english["versions"]:
            version["language"] = "en"
        english_draft = import_concept(english, team=concept.team).draft
        german_draft = Concept.objects.get(
            team__slug=DEMO_TEAM_SLUG, versions__number=3, versions__language="de"
        ).draft
        with translation.override("fr"):
            dates = {
                number: formats.date_format(
                    timezone.localdate(version.frozen_at or version.updated_at),
                    "DATE_FORMAT",
                )
                for number, version in versions.items()
            }
            statuses = {n: str(v.get_status_display()) for n, v in versions.items()}
        with keeping_layouts() as layouts:
            draft = Pdf(document.render_pdf(versions[3]))
        rendered = {
            "data": {version["number"]: version for version in data["versions"]},
            "team": concept.team.name,
            "dates": dates,
            "statuses": statuses,
            "draft": draft,
            "draft_layout": layouts[0],
            "frozen": Pdf(document.render_pdf(versions[2])),
            "archive": Pdf(document.render_pdf(versions[2], variant=document.ARCHIVE)),
            "english": Pdf(document.render_pdf(english_draft)),
            "german": Pdf(document.render_pdf(german_draft)),
        }
        transaction.set_rollback(True)
    assert versions[2].is_frozen and not versions[3].is_frozen
    return rendered


@pytest.fixture
def draft(demo):
    return demo["draft"]


@pytest.fixture
def fr():
    with translation.override("fr"):
        yield


# The demo concept ---------------------------------------------------------------


def test_cover_names_the_concept_its_version_and_its_people(demo, draft, fr):
    data = demo["data"][3]
    cover = draft.pages[0]
    lines = draft.lines(0)
    assert lines[0] == data["organisation"]
    assert "stratégie médias sociaux" in [line.casefold() for line in lines]
    for text in (data["title"], data["authors"], demo["team"], demo["dates"][3]):
        assert squash(text) in squash(cover)
    # A line of the cover's own, besides the footer's "Version 3 · Brouillon Page…".
    assert "Version 3 · Brouillon" in lines
    assert demo["statuses"][3] == "Brouillon"


def test_cover_of_a_frozen_version_dates_it_from_its_freezing(demo):
    frozen = demo["frozen"]
    data = demo["data"][2]
    cover = squash(frozen.pages[0])
    assert f"Version 2 · {demo['statuses'][2]}" in frozen.lines(0)
    for text in (demo["dates"][2], data["frozen_by"], data["change_note"]):
        assert squash(text) in cover


def test_chapters_follow_the_method_in_order(draft, fr):
    found = []
    for heading in headings():
        pages = [i for i in range(len(draft.pages)) if heading in draft.lines(i)]
        # The table of contents (page 2), then the chapter's own first page.
        assert len(pages) == 2, heading
        assert pages[0] == 1, heading
        found.append(pages[1])
    assert found == sorted(found)
    assert found[0] > 2  # after the management summary
    # The method's three parts start a page; the chapters within a part flow.
    parts = [gettext(str(title)) for title in PARTS.values()]
    opening = {
        index
        for index, step in enumerate(step for step in STEPS if step.holds_content)
        if step.part
    }
    for index, page in enumerate(found[:-1]):
        top = draft.lines(page)[:4]
        if index in opening:
            shown = {squash(line).casefold() for line in top}
            assert shown & {squash(part).casefold() for part in parts}, top
    assert len(set(found)) < len(found)  # some chapters share a page


def test_the_management_summary_says_what_the_board_approves(demo, draft, fr):
    data = demo["data"][3]
    pages = [
        i for i, text in enumerate(draft.pages) if "Synthèse pour la direction" in text
    ]
    assert pages[0] == 1  # in the table of contents
    start = pages[1]
    first_chapter = next(
        i for i in range(start, len(draft.pages)) if "1. Cadre" in draft.lines(i)
    )
    assert first_chapter - start <= 2  # at most two pages
    summary = squash(" ".join(draft.pages[start:first_chapter]))
    for objective in data["objectives"]:
        assert squash(objective["title"]) in summary
    for heading in (
        "Ce que veut la stratégie",
        "Pour qui",
        "Avec quoi",
        "Maturité face aux cinq obstacles",
        "Ce qui se passe d’abord",
        data["sponsor_name"],
    ):
        assert squash(heading) in summary
    recruit = next(o for o in data["objectives"] if o["baseline"] and o["due"])
    baseline = strategy_formats.number(Decimal(recruit["baseline"]))
    assert squash(f"de {baseline} à") in summary
    assert "premièreannée" in summary


def test_the_budget_has_its_grand_total(demo, draft, fr):
    text = squash(" ".join(draft.pages))
    lines = [
        {**line, "amount": Decimal(line["amount"])}
        for line in demo["data"][3]["budget_lines"]
    ]
    totals = budget_totals(lines)
    (chf,) = [t for t in totals if t.currency == "CHF"]
    grand = chf.total.per_year + chf.total.one_off
    with translation.override("fr"):
        expected = strategy_formats.amount(grand, "CHF")
    assert (
        squash(f"Total général de la première année (annuel et unique) : {expected}")
        in text
    )


def test_no_short_word_is_hyphenated_and_no_number_is_broken(demo):
    for pdf in (demo["draft"], demo["english"], demo["german"]):
        text = "\n".join(pdf.pages)
        broken = re.findall(r"(\w+)[-\u2010\u00ad]\n(\w+)", text)
        short = [f"{a}-{b}" for a, b in broken if len(a + b) <= 8 and not a.isdigit()]
        assert short == []
        # "45'" / "000"; a chart's axis ("0" / "100") is no broken number
        assert not re.search(r"\d[',.\u202f\u00a0]\n\d{3}\b", text)


def test_the_demos_objectives_take_at_most_two_pages(draft, fr):
    objectives, groups = headings()[2], headings()[3]
    first = next(i for i in range(2, len(draft.pages)) if objectives in draft.lines(i))
    end = next(i for i in range(first, len(draft.pages)) if groups in draft.lines(i))
    assert end - first <= 1  # the next chapter starts on the second page at most


def test_the_people_table_totals_the_hours_under_their_column(demo, draft, fr):
    hours = sum(
        Decimal(str(person["hours_per_week"])) for person in demo["data"][3]["people"]
    )
    with translation.override("fr"):
        total = strategy_formats.number(hours)
    pages = [text for text in draft.pages if "Heures par semaine" in text]
    assert any(re.search(rf"Total\s+{re.escape(total)}\b", page) for page in pages)


def test_the_cover_keeps_year_ranges_on_one_line(draft):
    assert any("2026–" in line and "2028" in line for line in draft.lines(0))


def test_every_part_of_the_concept_appears_in_the_methods_order(demo, draft, fr):
    data = demo["data"][3]
    obstacles = dict(Readiness.Obstacle.choices)
    parts = [
        plain(data["context"]),
        plain(data["listening_summary"]),
        plain(data["channels"][0]["main_topics"]),
        data["opinion_leaders"][0]["name"],
        data["interest_groups"][0]["name"],
        data["objectives"][0]["title"],
        data["target_groups"][0]["name"],
        plain(data["dialogue_questions"]),
        data["dialogue_response_time"],
        data["pillars"][0]["name"],
        data["sponsor_name"],
        plain(data["training"]),
        data["budget_lines"][0]["item"],
        data["people"][0]["role"],
        data["tools"][0]["name"],
        plain(data["integration_culture"]),
        data["feedback_decider"],
        data["processes"][0]["contact"],
        plain(data["who_answers"]),
        data["cadence"][0]["rhythm"],
        data["measurements"][0]["kpi"],
        data["first_steps"][0]["action"],
    ]
    for rating in data["readiness"]:
        parts += [str(obstacles[rating["obstacle"]]), plain(rating["note"])]
    parts.append("Le contrôle de la stratégie a relevé ces points")

    # Table cells are hyphenated: compare without hyphens.
    def loose(text):
        return re.sub("[-\u2010\u00ad]", "", squash(text))

    text = loose("".join(draft.pages[2:]))
    position = 0
    for part in parts:
        found = text.find(loose(part), position)
        assert found >= 0, f"missing or out of order: {part!r}"
        position = found + 1


def test_table_of_contents_gives_the_page_of_each_chapter(draft, fr):
    toc = draft.reader.pages[1].extract_text(extraction_mode="layout")
    entries = [m.groups() for m in map(TOC_LINE.match, toc.splitlines()) if m]
    assert [f"{number}. {title}" for number, title, _page in entries] == headings()
    for number, title, page in entries:
        assert f"{number}. {title}" in draft.lines(int(page) - 1)


def test_every_page_has_its_number_of_all_pages_and_the_version(draft):
    count = len(draft.pages)
    assert count > 10
    for index, text in enumerate(draft.pages):
        assert FRENCH_PAGE.findall(text) == [(str(index + 1), str(count))]
        assert "Version 3 · Brouillon" in text


def test_the_draft_is_marked_on_every_page_a_frozen_version_on_none(demo):
    assert all("BROUILLON" in text for text in demo["draft"].pages)
    assert not any("BROUILLON" in text for text in demo["frozen"].pages)


def test_pages_after_the_cover_have_a_running_header(demo, draft):
    data = demo["data"][3]
    header = squash(f"{data['organisation']} · {data['title']}")
    assert header not in squash(draft.pages[0])
    for text in draft.pages[1:]:
        assert header in squash(text)


def test_bookmarks_lead_to_every_chapter(draft, fr):
    chapters = [item for item in draft.reader.outline if not isinstance(item, list)]
    assert [item.title for item in chapters] == [
        gettext("Management summary"),
        *headings(),
    ]
    for item in chapters:
        page = draft.reader.get_destination_page_number(item)
        assert item.title in draft.lines(page)


def test_metadata_language_and_tags(demo, draft):
    data = demo["data"][3]
    metadata = draft.reader.metadata
    assert metadata.title == f"{data['title']} – {data['organisation']}"
    assert metadata.author == data["organisation"]  # the organisation is the author
    assert draft.catalog["/Lang"] == "fr-CH"
    assert bool(draft.catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in draft.catalog
    assert b"pdfuaid:part" in draft.xmp


def fonts(resources, found):
    """Add the fonts of a page's resources to ``found``, with those of its forms."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        found[str(font["/BaseFont"])] = font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts(xobject.get("/Resources"), found)


def test_only_inter_is_used_and_it_is_embedded(draft):
    used = {}
    for page in draft.reader.pages:
        fonts(page.get("/Resources"), used)
    names = {name.lstrip("/").split("+")[-1] for name in used}
    assert names and all(name.startswith("Inter") for name in names), names
    assert {"Inter", "Inter-Bold"} <= names
    for font in used.values():
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)


def amount(value: Decimal, decimals: int) -> str:
    """A number as Babel's CLDR writes it in fr-CH, the demo's locale: 171'200,00."""
    return f"{value:,.{decimals}f}".replace(",", "'").replace(".", ",")


def test_budget_table_and_figure_show_the_lines_totals(demo, draft, fr):
    per_year = {code: Decimal(0) for code in BudgetLine.Category.values}
    one_off = dict(per_year)
    for line in demo["data"][3]["budget_lines"]:
        value = Decimal(line["amount"])
        if line["period"] == "once":
            one_off[line["category"]] += value
        else:
            times = 12 if line["period"] == "monthly" else 1
            per_year[line["category"]] += value * times
    used = [code for code in per_year if per_year[code] or one_off[code]]
    labels = dict(BudgetLine.Category.choices)
    text = squash("".join(draft.pages))
    total = (
        f"Total{amount(sum(per_year.values()), 2)}{amount(sum(one_off.values()), 2)}"
    )
    assert squash(total) in text
    table = "".join(
        f"{labels[c]}{amount(per_year[c], 2)}{amount(one_off[c], 2)}" for c in used
    )
    assert squash(table) in text
    figure = "".join(
        f"{labels[c]}{amount(per_year[c], 0)}{amount(one_off[c], 0)}" for c in used
    )
    assert squash(figure) in text


def test_readiness_figure_shows_each_obstacles_score(demo, draft, fr):
    obstacles = dict(Readiness.Obstacle.choices)
    ratings = demo["data"][3]["readiness"]
    figure = "".join(f"{obstacles[r['obstacle']]}{r['score']}/5" for r in ratings)
    assert squash(figure) in squash("".join(draft.pages))


def test_no_table_runs_past_the_right_margin(demo):
    assert tables_past_the_margin(demo["draft_layout"]) == []


def test_a_concept_in_english_has_an_english_document(demo):
    english = demo["english"]
    count = len(english.pages)
    with translation.override("en"):
        expected = headings()
    assert english.catalog["/Lang"] == "en-CH"
    assert "Contents" in english.lines(1)
    assert "social media strategy" in [line.casefold() for line in english.lines(0)]
    assert f"Page 1 of {count}" in english.pages[0]
    assert all("DRAFT" in text for text in english.pages)
    outline = [
        item.title for item in english.reader.outline if not isinstance(item, list)
    ]
    assert outline == ["Management summary", *expected]


def test_archive_variant_is_pdfa_of_the_same_document(demo):
    archive, frozen = demo["archive"], demo["frozen"]
    assert b"pdfaid:part" in archive.xmp
    assert b"pdfaid:part" not in frozen.xmp
    assert archive.pages == frozen.pages


# Markdown safety ----------------------------------------------------------------

HOSTILE = (
    "Texte **gras**.\n\n<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n"
    '<iframe src="https://example.com/"></iframe>\n\n'
    '<a href="javascript:alert(2)" onclick="alert(3)">lien</a>'
)


class Markup(HTMLParser):
    """Every tag and attribute of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


def test_markdown_never_brings_raw_html_into_the_document(concept):
    draft = concept.draft
    draft.context = HOSTILE
    draft.listening_summary = HOSTILE
    draft.save()
    draft.objectives.update(title="<script>alert(4)</script>", description=HOSTILE)
    draft.readiness.update(note=HOSTILE, countermeasure=HOSTILE)
    page = document.render_html(draft)
    markup = Markup()
    markup.feed(page)
    assert {"script", "img", "iframe"}.isdisjoint(markup.tags)
    assert not [name for name, _value in markup.attributes if name.startswith("on")]
    assert not [
        value
        for _name, value in markup.attributes
        if value and value.strip().lower().startswith("javascript:")
    ]
    assert "<strong>gras</strong>" in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    text = " ".join(Pdf(document.render_pdf(draft)).pages)
    assert "alert(1)" not in text
    assert "<script>alert(4)</script>" in text


# Storage and downloads ------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fake_renders(monkeypatch, media):
    """Replace rendering by a counted fake: these tests are about storage."""
    calls = []

    def fake_render(version, *, variant=document.ACCESSIBLE):
        calls.append((version.pk, variant))
        return FAKE_PDF + variant.encode()

    monkeypatch.setattr(document, "render_pdf", fake_render)
    return calls


def stored_names(concept):
    return sorted(default_storage.listdir(f"documents/{concept.pk}")[1])


def test_a_stored_pdf_is_rendered_once(concept, fake_renders):
    first = renders.stored(concept.draft)
    again = renders.stored(ConceptVersion.objects.get(pk=concept.draft.pk))
    assert first == again == FAKE_PDF + document.ACCESSIBLE.encode()
    assert fake_renders == [(concept.draft.pk, document.ACCESSIBLE)]
    assert len(stored_names(concept)) == 1


def test_a_changed_draft_renders_again(concept, fake_renders):
    draft = concept.draft
    renders.stored(draft)
    draft.context = "Un autre contexte."
    draft.save()
    renders.stored(draft)
    draft.budget_lines.update(amount=Decimal("99"))
    renders.stored(draft)
    renders.stored(draft)
    assert len(fake_renders) == 3
    assert len(stored_names(concept)) == 1, "a draft's outdated PDFs are deleted"


def test_each_variant_is_stored_apart(concept, owner, fake_renders):
    versioning.freeze(concept.draft, by=owner, note="v1")
    frozen = concept.versions.get(number=1)
    accessible = renders.stored(frozen)
    archive = renders.stored(frozen, DocumentKind.PDFA)
    assert accessible != archive
    variants = [variant for _pk, variant in fake_renders]
    assert variants == [document.ACCESSIBLE, document.ARCHIVE]
    names = stored_names(concept)
    assert len(names) == 2
    assert [name.endswith("-pdfa.pdf") for name in names].count(True) == 1


def test_a_frozen_version_keeps_its_stored_pdf(concept, owner, fake_renders):
    versioning.freeze(concept.draft, by=owner, note="v1")
    renders.stored(concept.versions.get(number=1))
    (name,) = stored_names(concept)
    assert name.startswith("v1-")
    new_draft = concept.versions.get(number=2)
    new_draft.context = "Suite."
    new_draft.save()
    renders.stored(concept.versions.get(number=1))
    assert stored_names(concept) == [name]
    assert len(fake_renders) == 1


def pdf_url(concept, number, name="document_pdf"):
    return reverse(f"strategy:{name}", args=[concept.pk, number])


def test_download_is_a_pdf_attachment_served_from_storage(
    client, concept, owner, media, monkeypatch
):
    client.force_login(owner)
    response = client.get(pdf_url(concept, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="concept-{concept.pk}-v1.pdf"'
    )
    assert pypdf.PdfReader(io.BytesIO(response.content)).pages

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(document, "render_pdf", must_not_render)
    assert client.get(pdf_url(concept, 1)).content == response.content


def cached_download_queries(client, concept):
    client.get(pdf_url(concept, 1))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pdf_url(concept, 1)).status_code == 200
    return len(queries)


def test_a_cached_download_takes_few_queries_whatever_the_size(
    client, team, owner, fake_renders
):
    client.force_login(owner)
    small = cached_download_queries(client, make_concept(team, by=owner, rows=1))
    large = cached_download_queries(client, make_concept(team, by=owner, rows=12))
    assert small == large
    assert small <= 30


def test_archive_download_of_a_frozen_version(client, concept, owner, fake_renders):
    versioning.freeze(concept.draft, by=owner, note="v1")
    client.force_login(owner)
    response = client.get(pdf_url(concept, 1, "document_pdf_archive"))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="concept-{concept.pk}-v1-pdfa.pdf"'
    )
    assert fake_renders == [(concept.versions.get(number=1).pk, document.ARCHIVE)]


def test_a_draft_has_no_archive_download(client, concept, owner, fake_renders):
    client.force_login(owner)
    assert client.get(pdf_url(concept, 1, "document_pdf_archive")).status_code == 404
    assert fake_renders == []


def test_preview_is_the_html_weasyprint_receives(client, concept, owner):
    client.force_login(owner)
    response = client.get(pdf_url(concept, 1, "document_preview"))
    assert response.content.decode() == document.render_html(concept.draft)


# The render_pdf command ------------------------------------------------------------


def test_command_writes_the_pdf_and_the_exact_html(concept, fake_renders, tmp_path):
    pdf, page = tmp_path / "out.pdf", tmp_path / "out.html"
    call_command(
        "render_pdf",
        str(concept.pk),
        "--version",
        "1",
        "-o",
        str(pdf),
        "--html",
        str(page),
        stderr=io.StringIO(),
    )
    assert pdf.read_bytes() == FAKE_PDF + document.ACCESSIBLE.encode()
    html = page.read_text(encoding="utf-8")
    assert html == document.standalone_html(concept.draft)
    # Opened from disk it looks like the PDF: no link to the site, fonts inside.
    assert "/static/" not in html
    assert "<style>" in html and "font/otf;base64," in html
    assert html.count("@font-face") == 6


def test_command_renders_the_draft_by_default(
    concept, owner, fake_renders, tmp_path, monkeypatch
):
    versioning.freeze(concept.draft, by=owner, note="v1")
    monkeypatch.chdir(tmp_path)
    call_command("render_pdf", str(concept.pk), stderr=io.StringIO())
    call_command(
        "render_pdf",
        str(concept.pk),
        "--version",
        "1",
        "--archive",
        stderr=io.StringIO(),
    )
    assert (tmp_path / f"concept-{concept.pk}-v2.pdf").exists()
    assert (tmp_path / f"concept-{concept.pk}-v1-pdfa.pdf").exists()
    variants = [variant for _pk, variant in fake_renders]
    assert variants == [document.ACCESSIBLE, document.ARCHIVE]


def test_command_refuses_what_does_not_exist(concept):
    with pytest.raises(CommandError):
        call_command("render_pdf", str(concept.pk + 1))
    with pytest.raises(CommandError):
        call_command("render_pdf", str(concept.pk), "--version", "9")


# A large concept ------------------------------------------------------------------


def tables_past_the_margin(layout):
    """The tables wider than the text of their page, as (page, class, excess)."""
    found = []
    for number, page in enumerate(layout.pages, 1):
        body = page._page_box.children[0]
        right = body.content_box_x() + body.width
        for box in body.descendants():
            if isinstance(box, boxes.TableBox):
                excess = box.position_x + box.margin_width() - right
                if excess > 1:
                    found.append((number, box.element.get("class"), round(excess)))
    return found


def text_of(box) -> str:
    return squash(
        "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
    )


def pages_of_rows(layout):
    """Per page: its tables' body rows, and each table's header texts there."""
    rows, headers = [], []
    for page in layout.pages:
        on_page, header_texts = set(), {}
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox):
                header_texts[box.element] = [
                    text_of(group)
                    for group in box.children
                    if isinstance(group, boxes.TableRowGroupBox) and group.is_header
                ]
            if isinstance(box, boxes.TableRowGroupBox) and not (
                box.is_header or box.is_footer
            ):
                on_page |= {
                    row.element
                    for row in box.children
                    if isinstance(row, boxes.TableRowBox)
                }
        rows.append(on_page)
        headers.append(header_texts)
    return rows, headers


def pages_of_blocks(layout) -> dict:
    """Each row block (``div.block``) and the pages it is drawn on."""
    found = {}
    for number, page in enumerate(layout.pages, 1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and "block" in element.get("class", "").split():
                found.setdefault(element, set()).add(number)
    return found


def test_a_large_concept_renders_with_whole_rows_and_repeated_headers(team, owner):
    draft = make_large_concept(team, by=owner).draft
    sizes = [
        draft.objectives.count(),
        draft.target_groups.count(),
        draft.pillars.count(),
        draft.budget_lines.count(),
    ]
    assert sizes == [50, 30, 100, 80]
    with keeping_layouts() as layouts:
        pdf = Pdf(document.render_pdf(draft))
    (layout,) = layouts

    count = len(pdf.reader.pages)
    assert len(layout.pages) == count
    assert 40 <= count <= 200
    assert f"Page {count} sur {count}" in pdf.reader.pages[-1].extract_text()
    assert tables_past_the_margin(layout) == []

    rows, headers = pages_of_rows(layout)
    seen = {}
    for number, on_page in enumerate(rows, 1):
        for row in on_page:
            assert row not in seen, f"a row is cut across pages {seen[row]}–{number}"
            seen[row] = number
    assert len(seen) > 200  # lists of short values: tables
    blocks = pages_of_blocks(layout)
    for pages in blocks.values():
        assert len(pages) == 1, f"a block is cut across pages {sorted(pages)}"
    assert len(blocks) > 250  # lists with texts: a block a row
    pages_of_table = {}
    for tables in headers:
        for table, header in tables.items():
            pages_of_table.setdefault(table, []).append(header)
    long_tables = [pages for pages in pages_of_table.values() if len(pages) > 1]
    # Budget lines, and the other lists of 30 short rows.
    assert len(long_tables) >= 4
    for pages in long_tables:
        assert pages[0] and pages[0][0]
        assert all(header == pages[0] for header in pages)

"""The document's figures: SVG that says what the data says, safely and accessibly."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pypdf
import pytest
import weasyprint
from django.utils import translation

from strategy.budget import CurrencyTotals, budget_totals
from strategy.figures import (
    BAR_WIDTH,
    EMPTY_FILL,
    LEGEND_HEIGHT,
    LEVEL_FILLS,
    ONE_OFF_FILL,
    PER_YEAR_FILL,
    budget_chart,
    readiness_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"per_year_label": "Per year", "one_off_label": "One-off"}
OBSTACLES = [
    "Budget",
    "Platform complexity",
    "Experienced staff",
    "Acting on feedback",
    "Management support",
]


def budget_line(amount, category="content", period="yearly", currency="CHF"):
    return {
        "amount": Decimal(amount),
        "currency": currency,
        "category": category,
        "period": period,
    }


def chf(*lines):
    (totals,) = budget_totals(lines)
    return totals


def sample_budget():
    return chf(
        budget_line("1200", "content", "monthly"),
        budget_line("45000", "staff"),
        budget_line("3500", "tools"),
        budget_line("6000", "tools", "once"),
    )


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root, anchor=None):
    return [
        element.text
        for element in root.iter(f"{SVG}text")
        if anchor is None or element.get("text-anchor") == anchor
    ]


def bars(root):
    return [
        element
        for element in root.iter(f"{SVG}rect")
        if float(element.get("y")) >= LEGEND_HEIGHT
    ]


def rows_of_segments(root):
    """Segments grouped by row, in order: the readiness chart's five per obstacle."""
    rows = {}
    for element in root.iter(f"{SVG}rect"):
        rows.setdefault(float(element.get("y")), []).append(element)
    return [rows[y] for y in sorted(rows)]


def filled(segments):
    return [segment for segment in segments if segment.get("fill") != EMPTY_FILL]


@pytest.mark.parametrize(
    "svg",
    [
        budget_chart(sample_budget(), **LABELS),
        readiness_chart([("Budget", 3)], unrated_label="not rated"),
    ],
    ids=["budget", "readiness"],
)
def test_figures_are_standalone_accessible_svg(svg):
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("width") == "100%"
    assert float(root.get("height")) > 0
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == root.get("aria-label")
    assert root.get("font-family") == "Inter, sans-serif"
    for forbidden in ("href", "<image", "@import", "url(", "<script", "<style"):
        assert forbidden not in svg


def test_budget_chart_is_the_same_for_the_same_data():
    assert budget_chart(sample_budget(), **LABELS) == budget_chart(
        sample_budget(), **LABELS
    )


@pytest.mark.parametrize(
    ("language", "staff", "content", "staff_label"),
    [
        ("en", "45'000", "14'400", "Staff"),
        ("fr", "45'000", "14'400", "Personnel"),
        ("de", "45'000", "14'400", "Personal"),
    ],
)
def test_printed_amounts_are_the_totals_in_the_active_language(
    language, staff, content, staff_label
):
    with translation.override(language):
        root = parse(budget_chart(sample_budget(), **LABELS))
    # Rows in the categories' order: staff, content, tools; per year then one-off.
    assert texts(root, anchor="end") == [
        "CHF",
        staff,
        "0",
        content,
        "0",
        "3'500",
        "6'000",
    ]
    summary = f"{staff_label}: Per year: {staff}, One-off: 0"
    assert summary in root.get("aria-label")


def test_bar_widths_are_proportional_to_the_amounts():
    totals = sample_budget()
    amounts = [value for _, row in totals.rows for value in (row.per_year, row.one_off)]
    root = parse(budget_chart(totals, **LABELS))
    widths = [float(bar.get("width")) for bar in bars(root)]
    assert max(widths) == BAR_WIDTH
    for amount, width in zip(amounts, widths, strict=True):
        assert width == pytest.approx(BAR_WIDTH * float(amount) / 45000, abs=0.01)


def test_one_off_bars_appear_only_with_one_off_amounts():
    totals = chf(budget_line("100"), budget_line("50", "tools"))
    root = parse(budget_chart(totals, **LABELS))
    assert {bar.get("fill") for bar in bars(root)} == {PER_YEAR_FILL}
    assert "One-off" not in texts(root)

    root = parse(budget_chart(sample_budget(), **LABELS))
    assert {bar.get("fill") for bar in bars(root)} == {PER_YEAR_FILL, ONE_OFF_FILL}
    assert "One-off" in texts(root)


def test_zero_amounts_give_empty_bars_without_dividing_by_zero():
    totals = chf(budget_line("0"), budget_line("0", "tools"))
    root = parse(budget_chart(totals, **LABELS))
    assert [bar.get("width") for bar in bars(root)] == ["0", "0"]
    assert texts(root, anchor="end") == ["CHF", "0", "0"]


def test_budget_without_categories_still_draws():
    root = parse(budget_chart(CurrencyTotals("EUR"), **LABELS))
    assert bars(root) == []
    assert root.get("aria-label") == "EUR"


def test_labels_are_escaped():
    hostile = "<script>x</script> & co"
    svg = budget_chart(
        chf(budget_line("10", category=hostile)),
        per_year_label="Per year & more",
        one_off_label="One-off",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert hostile in texts(root)
    assert "Per year & more" in texts(root)
    assert hostile in root.get("aria-label")

    svg = readiness_chart([(hostile, 2)], unrated_label="<b>none</b>")
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert hostile in texts(parse(svg))


def test_long_labels_are_shortened_in_the_drawing_but_not_in_the_summary():
    label = "A category with a very long name that would run into the bars"
    root = parse(budget_chart(chf(budget_line("10", category=label)), **LABELS))
    assert label not in texts(root)
    assert any(text.endswith("…") for text in texts(root))
    assert label in root.get("aria-label")


def test_readiness_segments_are_filled_up_to_the_score():
    ratings = list(zip(OBSTACLES, [1, 2, 3, 4, 5], strict=True))
    root = parse(readiness_chart(ratings, unrated_label="not rated"))
    rows = rows_of_segments(root)
    assert [len(segments) for segments in rows] == [5] * 5
    assert [len(filled(segments)) for segments in rows] == [1, 2, 3, 4, 5]
    assert [filled(segments)[0].get("fill") for segments in rows] == [
        LEVEL_FILLS[score] for score in range(1, 6)
    ]
    assert texts(root) == [
        text for label, score in ratings for text in (label, f"{score}/5")
    ]
    assert root.get("aria-label").startswith("Budget: 1/5; Platform complexity: 2/5")


def relative_luminance(colour):
    def channel(value):
        value = int(value, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("colour", [*LEVEL_FILLS.values(), PER_YEAR_FILL])
def test_filled_colours_stand_out_from_white_paper(colour):
    assert 1.05 / (relative_luminance(colour) + 0.05) >= 3  # WCAG non-text contrast


@pytest.mark.parametrize("score", [None, 0, 6])
def test_unrated_obstacles_show_empty_segments_and_the_label(score):
    root = parse(readiness_chart([("Budget", score)], unrated_label="not rated"))
    (segments,) = rows_of_segments(root)
    assert filled(segments) == []
    assert texts(root) == ["Budget", "– not rated"]
    assert root.get("aria-label") == "Budget: – not rated"


def test_readiness_without_ratings_still_draws():
    root = parse(readiness_chart([], unrated_label="not rated"))
    assert rows_of_segments(root) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["45'000", "14'400", "6'000", "Staff"]),
        ("fr", ["45'000", "14'400", "6'000", "Personnel"]),
    ],
)
def test_weasyprint_draws_both_figures_with_readable_amounts(language, words):
    with translation.override(language):
        budget = budget_chart(sample_budget(), **LABELS)
    readiness = readiness_chart(
        list(zip(OBSTACLES, [2, 3, None, 4, 5], strict=True)),
        unrated_label="not rated",
    )
    html = f"<html><body><p>{budget}</p><p>{readiness}</p></body></html>"
    pdf = pypdf.PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    text = " ".join(page.extract_text() for page in pdf.pages).replace("\xa0", " ")
    for expected in [*words, "CHF", "Management support", "3/5", "not rated"]:
        assert expected in text

"""The listening charts: SVG that is safe, accessible, bounded and true to the data,
in the web page and in WeasyPrint's PDF alike."""

import io
import itertools
import logging
import xml.etree.ElementTree as ET

import pypdf
import pytest
import weasyprint
from django.utils import translation
from django.utils.safestring import SafeString

from strategy import charts, formats
from strategy.platforms import Platform

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
TONES = [
    ("positive", "Positive", charts.TONE_COLOURS["positive"]),
    ("neutral", "Neutral", charts.TONE_COLOURS["neutral"]),
    ("negative", "Negative", charts.TONE_COLOURS["negative"]),
]
MONTHS = ["Jan 2026", "Feb 2026", "Mar 2026"]


def columns(**kwargs):
    series = kwargs.pop(
        "series", [("LinkedIn", [100, 300, 50]), ("Instagram", [20, 0, 150])]
    )
    return charts.stacked_columns(
        kwargs.pop("title", "Mentions per month"),
        kwargs.pop("categories", MONTHS),
        series,
        **kwargs,
    )


def shares(rows=None, **kwargs):
    rows = rows or [
        ("LinkedIn", {"positive": 620, "neutral": 300, "negative": 80}),
        ("Instagram", {"positive": 10, "neutral": 85, "negative": 5}),
    ]
    return charts.share_bars("Tone per platform", rows, order=TONES, **kwargs)


def reach(rows=None, **kwargs):
    rows = rows or [("LinkedIn", 12345), ("Instagram", 5000), ("Facebook", 0)]
    return charts.bars("Reach per platform", rows, **kwargs)


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def shapes(root, fill=None):
    """The rectangles that stand for data: those with a tooltip."""
    return [
        element
        for element in root.iter(f"{SVG}rect")
        if element.find(f"{SVG}title") is not None
        and (fill is None or element.get("fill") == fill)
    ]


def desc(root):
    return root.find(f"{SVG}desc").text


def legend(root):
    """The legend's labels: the texts right of a swatch."""
    swatches = {
        (float(rect.get("x")) + charts.SWATCH + 5, float(rect.get("y")) - 1)
        for rect in root.iter(f"{SVG}rect")
        if rect.get("width") == str(charts.SWATCH)
    }
    return [
        text.text
        for text in root.iter(f"{SVG}text")
        if (float(text.get("x")), float(text.get("y")) - charts.SWATCH) in swatches
    ]


def relative_luminance(colour):
    def channel(value):
        value = int(value, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, other):
    lighter, darker = sorted(map(relative_luminance, (one, other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


KINDS = {"columns": columns, "shares": shares, "bars": reach}


@pytest.mark.parametrize("draw", KINDS.values(), ids=KINDS.keys())
def test_charts_are_accessible_svg_without_style_or_script(draw):
    svg = draw()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the viewBox gives the aspect ratio
    assert root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert root.get("font-family") == "Inter, sans-serif"
    assert root.get("fill") == charts.INK
    title, description = root[0], root[1]
    assert title.tag == f"{SVG}title"
    assert description.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == description.get("id")
    assert title.text
    assert description.text
    for element in root.iter():
        assert "style" not in element.attrib
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}image")
    for forbidden in ("<style", "<script", "href", "url(", "@import"):
        assert forbidden not in svg


@pytest.mark.parametrize("draw", KINDS.values(), ids=KINDS.keys())
def test_the_same_data_gives_the_same_svg(draw):
    assert draw() == draw()


def test_the_ids_are_unique_per_chart_and_can_be_given():
    ids = [parse(draw())[0].get("id") for draw in KINDS.values()]
    ids.append(parse(columns(title="Reach per month"))[0].get("id"))
    ids.append(parse(columns(series=[("LinkedIn", [1, 2, 3])]))[0].get("id"))
    assert len(set(ids)) == len(ids)
    root = parse(reach(id_prefix="reach-2"))
    assert root[0].get("id") == "reach-2-title"
    assert root[1].get("id") == "reach-2-desc"
    with pytest.raises(ValueError):
        reach(id_prefix='x" onload="alert(1)')


def test_labels_titles_and_legends_are_escaped():
    hostile = f'{HOSTILE} & "quotes"'
    svgs = [
        columns(title=hostile, series=[(hostile, [1, 2, 3])]),
        columns(categories=[hostile, "Feb", "Mar"]),
        charts.share_bars(hostile, [(hostile, {"positive": 1})], order=TONES),
        charts.share_bars(
            "Tone", [("A", {"bad": 1})], order=[("bad", hostile, "#b3261e")]
        ),
        charts.bars(hostile, [(hostile, 5)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        root = parse(svg)
        shown = [*texts(root), *(e.text for e in root.iter(f"{SVG}title"))]
        assert any(text and text.startswith("<script>") for text in shown)
        assert hostile in desc(root) or hostile == root[0].text


def test_long_labels_are_shortened_in_the_drawing_and_whole_in_a_title():
    label = "A platform with a name far longer than the label column"
    for svg in (
        reach([(label, 10)]),
        shares([(label, {"positive": 1})]),
        columns(categories=[label], series=[(label, [4])]),
    ):
        root = parse(svg)
        shortened = [text for text in texts(root) if text.endswith("…")]
        assert shortened
        assert all(len(text) <= charts.LABEL_LENGTH for text in shortened)
        assert label not in texts(root)
        groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
        assert {g.find(f"{SVG}title").text for g in groups} == {label}
        assert label in desc(root)


@pytest.mark.parametrize("language", ["de", "fr", "it", "en"])
def test_numbers_are_written_in_the_active_language(language):
    with translation.override(language):
        written = formats.number(12345)
        svgs = [
            reach([("LinkedIn", 12345)]),
            columns(series=[("LinkedIn", [12345, 1, 1])]),
            shares([("LinkedIn", {"positive": 12000, "negative": 345})]),
        ]
        top = formats.number(12500)
    assert written != "12345"
    for svg in svgs:
        root = parse(svg)
        assert written in texts(root)
        assert written in desc(root)
    assert top in texts(parse(svgs[1]))  # the highest gridline


def test_gridlines_are_few_and_round():
    for largest, step in [
        (1, 1),
        (3, 1),
        (7, 2),
        (10, 2),
        (11, 5),
        (26, 10),
        (101, 25),
        (470, 100),
        (12345, 2500),
        (999_999, 200_000),
        (1_000_001, 250_000),
    ]:
        root = parse(columns(series=[("A", [largest, 0, 0])]))
        ticks = [
            text.text
            for text in root.iter(f"{SVG}text")
            if text.get("text-anchor") == "end"
        ]
        assert ticks == [formats.number(step * i) for i in range(len(ticks))]
        assert step * (len(ticks) - 2) < largest <= step * (len(ticks) - 1)
        if largest >= 3:
            assert 4 <= len(ticks) <= 6  # 0 and 3 to 5 lines above it
        lines = list(root.iter(f"{SVG}line"))
        assert len(lines) == len(ticks)
        assert {line.get("stroke") for line in lines[1:]} <= {charts.LINE}


def test_column_heights_are_proportional_to_the_values():
    series = [("LinkedIn", [100, 300, 50]), ("Instagram", [20, 0, 150])]
    root = parse(columns(series=series))
    blue = shapes(root, charts.SERIES_COLOURS[0])
    magenta = shapes(root, charts.SERIES_COLOURS[1])
    values = [100, 300, 50, 20, 150]
    heights = [float(rect.get("height")) for rect in [*blue, *magenta]]
    # The scale's top is 300, drawn PLOT_HEIGHT high.
    for value, height in zip(values, heights, strict=True):
        assert height == pytest.approx(charts.PLOT_HEIGHT * value / 300, abs=0.01)
    # Stacked: Instagram sits on LinkedIn in the same column.
    linkedin, instagram = blue[0], magenta[0]
    assert float(instagram.get("y")) + float(instagram.get("height")) == pytest.approx(
        float(linkedin.get("y")), abs=0.01
    )
    assert instagram.get("x") == linkedin.get("x")
    assert linkedin.find(f"{SVG}title").text == "LinkedIn, Jan 2026: 100"
    assert "Jan 2026: 120 in total (LinkedIn: 100, Instagram: 20)." in desc(root)
    assert "Feb 2026: 300 in total (LinkedIn: 300)." in desc(root)
    assert legend(root) == ["LinkedIn", "Instagram"]


def test_colours_of_series_come_from_the_caller_then_the_palette():
    colours = {"Instagram": charts.PLATFORM_COLOURS["instagram"]}
    root = parse(
        columns(
            series=[("Instagram", [1, 2, 3]), ("Blog", [3, 2, 1]), ("News", [1, 1, 1])],
            colours=colours,
        )
    )
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    swatches = fills[-3:]
    assert swatches[0] == charts.PLATFORM_COLOURS["instagram"]
    assert len(set(swatches)) == 3
    assert set(swatches[1:]) <= set(charts.SERIES_COLOURS)


def test_bar_widths_are_proportional_and_the_values_at_their_ends():
    root = parse(reach([("LinkedIn", 12345), ("Instagram", 5000), ("Facebook", 0)]))
    rects = list(root.iter(f"{SVG}rect"))
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[2] == 0
    assert widths[1] == pytest.approx(widths[0] * 5000 / 12345, abs=0.01)
    values = {text.text: float(text.get("x")) for text in root.iter(f"{SVG}text")}
    for rect, value in zip(rects, ["12'345", "5'000", "0"], strict=True):
        written = formats.number(int(value.replace("'", "")))
        end = float(rect.get("x")) + float(rect.get("width"))
        assert values[written] == pytest.approx(end + 6, abs=0.01)
    assert values[formats.number(12345)] + 6 * 0.6 * 11 <= charts.WIDTH
    assert desc(root) == (
        f"LinkedIn: {formats.number(12345)}. Instagram: {formats.number(5000)}. "
        "Facebook: 0."
    )


def test_share_bars_split_the_whole_bar_and_label_wide_segments():
    root = parse(shares())
    linkedin = [rect for rect in shapes(root) if rect.get("y") == "4"]
    assert [rect.get("fill") for rect in linkedin] == [c for _, _, c in TONES]
    widths = [float(rect.get("width")) for rect in linkedin]
    track = next(
        rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == charts.TINT
    )
    assert sum(widths) == pytest.approx(float(track.get("width")), abs=0.01)
    assert widths[0] / widths[1] == pytest.approx(620 / 300, rel=1e-3)
    # 62 %, 30 % and 8 % are written; Instagram's 5 % is too narrow for its label.
    percentages = [
        text.text for text in root.iter(f"{SVG}text") if text.get("font-size") == "10"
    ]
    assert percentages == ["62%", "30%", "8%", "10%", "85%"]
    assert formats.number(1000) in texts(root)
    assert desc(root) == (
        f"LinkedIn: {formats.number(1000)} in total (Positive: 62%, Neutral: 30%, "
        "Negative: 8%). Instagram: 100 in total (Positive: 10%, Neutral: 85%, "
        "Negative: 5%)."
    )
    assert legend(root) == ["Positive", "Neutral", "Negative"]


def test_share_percentages_add_up_to_a_hundred():
    root = parse(shares([("A", {"positive": 1, "neutral": 1, "negative": 1})]))
    assert desc(root) == "A: 3 in total (Positive: 34%, Neutral: 33%, Negative: 33%)."


def test_percentages_are_readable_on_their_segments():
    root = parse(shares())
    fills = {
        round(float(rect.get("x")) + float(rect.get("width")) / 2, 2): rect.get("fill")
        for rect in shapes(root)
    }
    for text in root.iter(f"{SVG}text"):
        if text.get("font-size") == "10":
            background = fills[float(text.get("x"))]
            assert contrast(text.get("fill"), background) >= 4.5


def test_share_rows_of_nothing_show_an_empty_bar_and_other_keys_are_left_out():
    root = parse(
        shares(
            [
                ("LinkedIn", {"positive": 3, "unknown": 100}),
                ("Forums", {}),
            ]
        )
    )
    assert desc(root) == ("LinkedIn: 3 in total (Positive: 100%). Forums: 0 in total.")
    assert legend(root) == ["Positive"]


def test_series_beyond_the_limit_fold_into_other():
    series = [(f"Platform {n}", [n, 1]) for n in range(1, 16)]
    root = parse(columns(categories=["Jan", "Feb"], series=series))
    names = legend(root)
    assert len(names) == charts.MAX_SERIES
    assert names[:-1] == [f"Platform {n}" for n in range(5, 16)]
    assert names[-1] == "Other"
    # Platforms 1 to 4 make up "Other": 1 + 2 + 3 + 4 in January, 4 in February.
    assert "Jan: 120 in total" in desc(root)
    assert "Other: 10)" in desc(root)
    assert "Other: 4)" in desc(root)
    others = shapes(root, charts.OTHER_COLOUR)
    assert [rect.find(f"{SVG}title").text for rect in others] == [
        "Other, Jan: 10",
        "Other, Feb: 4",
    ]


def test_other_takes_the_given_label_and_a_series_of_that_name():
    series = [(f"P{n}", [n]) for n in range(1, 14)] + [("Misc", [100])]
    root = parse(columns(categories=["Jan"], series=series, other_label="Misc & more"))
    assert legend(root)[-1] == "Misc & more"
    series[-1] = ("Misc & more", [100])
    root = parse(columns(categories=["Jan"], series=series, other_label="Misc & more"))
    assert legend(root).count("Misc & more") == 1
    assert "Misc & more: 103" in desc(root)  # itself and P1, P2


def test_other_is_translated():
    series = [(f"P{n}", [n]) for n in range(1, 20)]
    with translation.override("de"):
        expected = translation.gettext("Other")
        root = parse(columns(categories=["Jan"], series=series))
    assert legend(root)[-1] == expected


def test_only_the_last_categories_are_drawn_beyond_the_limit():
    categories = [f"M{n}" for n in range(1, 41)]
    series = [("LinkedIn", list(range(1, 41)))]
    root = parse(columns(categories=categories, series=series))
    drawn = [rect.find(f"{SVG}title").text for rect in shapes(root)]
    assert len(drawn) == charts.MAX_CATEGORIES
    assert drawn[0] == "LinkedIn, M5: 5"
    assert drawn[-1] == "LinkedIn, M40: 40"
    assert desc(root).startswith("Only the last 36 of 40 columns are shown. M5: 5")


def test_many_categories_get_slanted_labels_inside_the_drawing():
    categories = [f"Month {n} 2026" for n in range(36)]
    root = parse(columns(categories=categories, series=[("A", [5] * 36)]))
    slanted = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert len(slanted) == 36
    first = slanted[0]
    assert first.get("transform") == f"rotate(-45 {first.get('x')} {first.get('y')})"
    reach_left = float(first.get("x")) - len(first.text) * 6 * 0.7072
    assert reach_left >= 0
    height = float(root.get("viewBox").split()[3])
    assert height > charts.PLOT_TOP + charts.PLOT_HEIGHT + len(first.text) * 6 * 0.7


@pytest.mark.parametrize("draw", [reach, shares], ids=["bars", "shares"])
def test_rows_beyond_the_limit_fold_into_other(draw):
    if draw is reach:
        rows = [(f"Format {n}", n * 10) for n in range(1, 15)]
    else:
        rows = [(f"Format {n}", {"positive": n * 10}) for n in range(1, 15)]
    root = parse(draw(rows))
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("x") == "0"]
    assert len(labels) == charts.MAX_ROWS
    assert labels[:-1] == [f"Format {n}" for n in range(4, 15)]
    assert labels[-1] == "Other"
    assert "Other: 60" in desc(root)  # 10 + 20 + 30


@pytest.mark.parametrize(
    "svg",
    [
        lambda: charts.stacked_columns("t", [], []),
        lambda: charts.stacked_columns("t", [], [("A", [1])]),
        lambda: charts.stacked_columns("t", MONTHS, []),
        lambda: charts.stacked_columns("t", MONTHS, [("A", [0, 0, 0]), ("B", [])]),
        lambda: charts.share_bars("t", [], order=TONES),
        lambda: charts.share_bars("t", [("A", {}), ("B", {"x": 5})], order=TONES),
        lambda: charts.bars("t", []),
        lambda: charts.bars("t", [("A", 0), ("B", 0)]),
    ],
)
def test_nothing_to_show_gives_an_empty_string(svg):
    result = svg()
    assert result == ""
    assert isinstance(result, SafeString)


def test_odd_values_count_as_nothing():
    root = parse(reach([("A", None), ("B", -5), ("C", 7)]))
    assert desc(root) == "A: 0. B: 0. C: 7."
    root = parse(columns(categories=["Jan", "Feb"], series=[("A", [3])]))
    assert "Feb: 0 in total." in desc(root)


def test_platforms_and_tones_have_colours_that_stand_out_from_white_paper():
    assert set(charts.PLATFORM_COLOURS) == set(Platform.values)
    assert set(charts.TONE_COLOURS) == {"positive", "neutral", "negative", "mixed"}
    every = [
        *charts.PLATFORM_COLOURS.values(),
        *charts.TONE_COLOURS.values(),
        *charts.SERIES_COLOURS,
    ]
    for colour in every:
        assert contrast(colour, "#ffffff") >= 3  # WCAG non-text contrast
    assert len(set(charts.PLATFORM_COLOURS.values())) == len(charts.PLATFORM_COLOURS)
    assert len(set(charts.TONE_COLOURS.values())) == len(charts.TONE_COLOURS)
    common = ["linkedin", "instagram", "facebook", "x", "youtube", "tiktok", "xing"]
    for one, other in itertools.combinations(common, 2):
        assert (
            charts._distance(
                charts.PLATFORM_COLOURS[one], charts.PLATFORM_COLOURS[other]
            )
            >= 120
        ), (one, other)


def test_weasyprint_draws_every_chart_without_warnings(caplog):
    with translation.override("de"):
        written = formats.number(12345)
        svgs = [
            columns(series=[("LinkedIn", [12345, 300, 50]), (HOSTILE, [5, 6, 7])]),
            shares(),
            reach(),
        ]
    html = '<html lang="de"><body>' + "".join(f"<figure>{s}</figure>" for s in svgs)
    html += "</body></html>"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        plain = weasyprint.HTML(string=html).write_pdf()
        tagged = weasyprint.HTML(string=html).write_pdf(
            pdf_variant="pdf/ua-1", pdf_tags=True
        )
    assert [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
    ] == []
    for pdf in (plain, tagged):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        text = " ".join(page.extract_text() for page in reader.pages)
        for expected in [written, "Jan 2026", HOSTILE, "62%", "Positive", "Facebook"]:
            assert expected in text
        # Titles and descriptions are for screen readers, not drawn.
        assert "Mentions per month" not in text
        assert "in total" not in text

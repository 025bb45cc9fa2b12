"""Figures of the written concept, drawn as inline SVG: the budget and the readiness."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from . import formats
from .budget import CurrencyTotals

# About the text width of an A4 page in CSS pixels, so text keeps its size there.
WIDTH = 640
FONT = "Inter, sans-serif"
INK = "#1b2631"
MUTED = "#5d6d7e"
RULE = "#7f8c99"
LABEL_LENGTH = 28  # characters that fit the label column

PER_YEAR_FILL = "#1f4e79"
ONE_OFF_FILL = "#9dc3e6"
BAR_X, BAR_WIDTH, BAR_HEIGHT, BAR_GAP, GROUP_GAP = 190, 375, 12, 3, 12
LEGEND_HEIGHT = 28

# Each colour is at least 3:1 against white, and the score is printed as text too.
LEVEL_FILLS = {1: "#b3261e", 2: "#c4510c", 3: "#b7790f", 4: "#4a8531", 5: "#2e7d32"}
EMPTY_FILL, EMPTY_STROKE = "#f0f0f0", "#b3b3b3"
SEGMENT_X, SEGMENT_WIDTH, SEGMENT_HEIGHT, SEGMENT_GAP = 190, 46, 12, 4
SCORE_X = SEGMENT_X + 5 * (SEGMENT_WIDTH + SEGMENT_GAP) + 10
READINESS_ROW = 26


def budget_chart(
    totals: CurrencyTotals, *, per_year_label: str, one_off_label: str
) -> SafeString:
    """Bars of the budget per category in one currency, per year and one-off.

    One-off bars appear only when there are one-off amounts. All bars share one
    scale, the largest amount filling the bar area; the printed amounts are the totals.
    """
    series = [(per_year_label, PER_YEAR_FILL, INK)]
    if totals.total.one_off:
        series.append((one_off_label, ONE_OFF_FILL, MUTED))
    rows = [(label, (a.per_year, a.one_off)[: len(series)]) for label, a in totals.rows]
    largest = max((value for _, values in rows for value in values), default=0)
    pitch = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP
    height = LEGEND_HEIGHT + len(rows) * pitch
    body = [_legend(series), _text(WIDTH, 14, totals.currency, anchor="end", bold=True)]
    for index, (label, values) in enumerate(rows):
        bars = zip(values, series, strict=True)
        body += _budget_group(LEGEND_HEIGHT + index * pitch, label, bars, largest)
    if rows:
        body.append(_axis(BAR_X, LEGEND_HEIGHT - 4, height - GROUP_GAP + 4))
    summary = [totals.currency]
    for label, values in rows:
        bars = zip(values, series, strict=True)
        amounts = ", ".join(f"{name}: {_amount(value)}" for value, (name, *_) in bars)
        summary.append(f"{label}: {amounts}")
    return _svg(height, ". ".join(summary), body)


def _budget_group(top, label, bars, largest) -> list[SafeString]:
    """One category: its label, then per series a bar and its amount on the right."""
    bars = list(bars)
    middle = top + (len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2
    elements = [_text(0, middle + 4, _fit(label))]
    for position, (value, (_, fill, ink)) in enumerate(bars):
        y = top + position * (BAR_HEIGHT + BAR_GAP)
        width = BAR_WIDTH * max(value, 0) / largest if largest > 0 else 0
        baseline = y + BAR_HEIGHT - 2
        elements.append(_rect(BAR_X, y, width, BAR_HEIGHT, fill))
        elements.append(_text(WIDTH, baseline, _amount(value), anchor="end", fill=ink))
    return elements


def readiness_chart(
    ratings: list[tuple[str, int | None]], *, unrated_label: str
) -> SafeString:
    """Each obstacle with its score as five segments, filled up to the score (1 to 5).

    A score outside 1–5, or none, counts as not rated: empty segments and the label.
    """
    body, summary = [], []
    for index, (label, score) in enumerate(ratings):
        top = 4 + index * READINESS_ROW
        baseline = top + SEGMENT_HEIGHT - 2
        score = score if score in LEVEL_FILLS else None
        body.append(_text(0, baseline, _fit(label)))
        body.extend(_segment(position, top, score) for position in range(5))
        if score is None:
            text = f"– {unrated_label}"
            body.append(_text(SCORE_X, baseline, text, fill=MUTED))
        else:
            text = f"{score}/5"
            body.append(_text(SCORE_X, baseline, text, bold=True))
        summary.append(f"{label}: {text}")
    return _svg(len(ratings) * READINESS_ROW, "; ".join(summary), body)


def _segment(position: int, top: float, score: int | None) -> SafeString:
    x = SEGMENT_X + position * (SEGMENT_WIDTH + SEGMENT_GAP)
    if score is not None and position < score:
        return _rect(x, top, SEGMENT_WIDTH, SEGMENT_HEIGHT, LEVEL_FILLS[score])
    return _rect(x, top, SEGMENT_WIDTH, SEGMENT_HEIGHT, EMPTY_FILL, stroke=EMPTY_STROKE)


def _legend(series: list[tuple[str, str, str]]) -> SafeString:
    items, x = [], BAR_X
    for label, fill, _ in series:
        items.append(_rect(x, 5, 10, 10, fill))
        items.append(_text(x + 15, 14, label))
        x += 15 + _text_width(label) + 20
    return format_html_join("", "{}", ((item,) for item in items))


def _svg(height: float, summary: str, body: list[SafeString]) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="100%" height="{height}" preserveAspectRatio="xMinYMin meet" '
        'role="img" aria-label="{summary}" font-family="{font}" font-size="11" '
        'fill="{ink}"><title>{summary}</title>{body}</svg>',
        width=WIDTH,
        height=_number(height),
        summary=summary,
        font=FONT,
        ink=INK,
        body=format_html_join("", "{}", ((element,) for element in body)),
    )


def _rect(x, y, width, height, fill, *, stroke=None) -> SafeString:
    outline = format_html(' stroke="{}" stroke-width="0.75"', stroke) if stroke else ""
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}/>',
        *map(_number, (x, y, width, height)),
        fill,
        outline,
    )


def _text(x, y, content, *, anchor="start", fill=None, bold=False) -> SafeString:
    style = format_html(' fill="{}"', fill) if fill else ""
    if bold:
        style = format_html('{} font-weight="600"', style)
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>',
        _number(x),
        _number(y),
        anchor,
        style,
        content,
    )


def _axis(x, top, bottom) -> SafeString:
    return format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{colour}" '
        'stroke-width="0.75"/>',
        x=_number(x),
        top=_number(top),
        bottom=_number(bottom),
        colour=RULE,
    )


def _amount(value: Decimal) -> str:
    """Whole units, rounded (not cut): 0.99 is drawn as 1."""
    rounded = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return formats.number(rounded, decimals=0)


def _fit(label) -> str:
    label = str(label)
    if len(label) <= LABEL_LENGTH:
        return label
    return label[: LABEL_LENGTH - 1].rstrip() + "…"


def _text_width(label) -> float:
    """A generous estimate: SVG cannot measure text before it is drawn."""
    return len(str(label)) * 6.5


def _number(value) -> str:
    """Coordinates with at most two decimals, so the same data gives the same SVG."""
    return f"{value:.2f}".rstrip("0").rstrip(".")

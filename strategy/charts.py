"""Charts of the listening figures, drawn on the server as inline SVG.

The same markup shows in the web page and in the PDF (WeasyPrint): no script and no
inline style, neither attribute nor element (the page's Content Security Policy allows
only the site's own style sheets), only SVG presentation attributes. Every label is
escaped; a long one is shortened for the drawing and kept whole in a ``<title>``.

Each chart is an ``<svg role="img">`` named by its ``<title>`` (the chart's title) and
described by its ``<desc>``, which says the figures in words. The drawing is
``WIDTH`` units wide, about the text width of an A4 page in CSS pixels, and scales to
the width of its container (``width="100%"``, no fixed height), keeping its aspect
ratio. Numbers are written as ``formats`` writes them in the active language.

Nothing to show (no rows, or only zeros) gives an empty string, which templates skip.
The same data gives the same SVG, ids included, so stored PDFs stay reproducible.
"""

import hashlib
import math
import re
from collections.abc import Callable, Iterable

from babel import numbers as babel_numbers
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from . import formats

MAX_CATEGORIES = 36
"""Columns of ``stacked_columns``: three years of months. Of more categories, the
last ones are drawn (categories are in time order) and the description says so."""
MAX_SERIES = 12
"""Series of ``stacked_columns``: the largest ones but one, and "Other" for the rest."""
MAX_ROWS = 12
"""Rows of ``bars`` and ``share_bars``: the largest ones but one, and "Other" for the
rest."""
LABEL_LENGTH = 28
"""Characters of a label that are drawn; a longer one ends in "…"."""
SHARE_LABEL_MIN = 8
"""Percent of a bar a segment of ``share_bars`` needs for its percentage inside."""

OTHER = gettext_lazy("Other")

WIDTH = 640
FONT = "Inter, sans-serif"
FONT_SIZE = 11
SMALL = 10
"""Font size of axis labels, percentages and column totals."""

# The document's palette (static/css/document.css).
INK = "#1b2631"
MUTED = "#5d6d7e"
ACCENT = "#1f4e79"
LINE = "#c9d3dd"
TINT = "#eef3f8"
WHITE = "#ffffff"
OTHER_COLOUR = "#8593a0"

# Every fill is at least 3:1 against white paper (WCAG non-text contrast); the
# common platforms (LinkedIn, Instagram, Facebook, X, YouTube, TikTok, XING) have
# hues of their own, so Facebook is violet rather than a second blue.
PLATFORM_COLOURS: dict[str, str] = {
    "linkedin": "#0a66c2",
    "instagram": "#c13584",
    "facebook": "#6b4fbb",
    "x": "#1b2631",
    "youtube": "#c0392b",
    "tiktok": "#00817f",
    "xing": "#5c7c0b",
    "kununu": "#a86400",
    "glassdoor": "#2e7d32",
    "whatsapp": "#127a5e",
    "threads": "#6d4c41",
    "mastodon": "#8e44ad",
    "bluesky": "#1a75d2",
    "pinterest": "#a3081a",
    "blog": ACCENT,
    "forum": "#7a6a00",
    "reviews": "#b0510d",
    "news": MUTED,
    "other": OTHER_COLOUR,
}
"""A colour for each code of ``platforms.Platform``."""

TONE_COLOURS: dict[str, str] = {
    "positive": "#2e7d32",
    "neutral": OTHER_COLOUR,
    "negative": "#b3261e",
    "mixed": "#a86400",
}

SERIES_COLOURS = (
    ACCENT,
    "#c13584",
    "#00817f",
    "#a86400",
    "#6b4fbb",
    "#c0392b",
    "#5c7c0b",
    "#0a66c2",
    "#6d4c41",
    INK,
    "#b0510d",
    "#127a5e",
)
"""Colours, in turn, of the series that ``colours`` gives none."""

# Layout, in units of the viewBox.
PLOT_TOP = 16
PLOT_HEIGHT = 200
COLUMN_SHARE = 0.7
"""Of the room per category, the part its column takes."""
MAX_COLUMN_WIDTH = 48
LABEL_COLUMN = 190
"""At most this wide: the labels of rows, left of the bars."""
ROW_PITCH = 24
BAR_HEIGHT = 16
LEGEND_ROW = 18
SWATCH = 10
CHAR_WIDTH = 0.6
"""An average character's width, in em, of Inter: SVG cannot measure text before it
is drawn, so text is given room by estimate."""

_ID = re.compile(r"[A-Za-z][\w-]*")


def stacked_columns(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[int]]],
    *,
    colours: dict[str, str] | None = None,
    other_label: str = OTHER,
    id_prefix: str | None = None,
) -> SafeString:
    """A column per category (a month), stacked by series (platforms), with a y
    axis of round gridlines and a legend below.

    ``colours`` maps series labels to fills; other series take ``SERIES_COLOURS`` in
    turn. Values are counts: missing ones count as 0, negative ones as 0. Series
    with only zeros are left out; beyond ``MAX_SERIES`` and ``MAX_CATEGORIES`` see
    there. Empty (no category, or only zeros): "".
    """
    categories = [str(category) for category in categories]
    count = len(categories)
    first = max(0, count - MAX_CATEGORIES)
    shown = categories[first:]
    normalised = []
    for label, values in series:
        values = [_count(value) for value in list(values)[:count]]
        values += [0] * (count - len(values))
        if any(values[first:]):
            normalised.append((str(label), values[first:]))
    normalised = _fold(
        normalised,
        MAX_SERIES,
        other_label,
        size=sum,
        combine=lambda rest: [sum(column) for column in zip(*rest, strict=True)],
    )
    totals = [sum(column) for column in zip(*(v for _, v in normalised), strict=True)]
    if not shown or not any(totals):
        return SafeString("")

    fills = _series_fills([label for label, _ in normalised], colours, other_label)
    step, intervals = _scale(max(totals))
    top = step * intervals
    ticks = [formats.number(step * index) for index in range(intervals + 1)]
    tick_width = max(_width(tick, SMALL) for tick in ticks)
    fitted = [_fit(category) for category in shown]
    widths = [_width(category, SMALL) for category in fitted]

    # Room left of the plot: the gridlines' labels, and the first categories' labels
    # when they are slanted.
    left = tick_width + 10
    pitch = (WIDTH - 4 - left) / len(shown)
    slanted = max(widths) > pitch - 4
    if slanted:
        for _ in range(3):
            overflow = max(
                w * math.sqrt(0.5) - pitch * (index + 0.5) + 2
                for index, w in enumerate(widths)
            )
            left = max(tick_width + 10, overflow)
            pitch = (WIDTH - 4 - left) / len(shown)
    bottom = PLOT_TOP + PLOT_HEIGHT
    column = min(pitch * COLUMN_SHARE, MAX_COLUMN_WIDTH)

    body = []
    for index, tick in enumerate(ticks):
        y = bottom - PLOT_HEIGHT * index / intervals
        colour = MUTED if index == 0 else LINE
        body.append(_line(left, y, WIDTH - 4, y, colour))
        body.append(_text(left - 6, y + 3.5, tick, anchor="end", size=SMALL))
    for index, category in enumerate(shown):
        centre = left + pitch * (index + 0.5)
        y = bottom
        for label, values in normalised:
            value = values[index]
            if not value:
                continue
            height = PLOT_HEIGHT * value / top
            y -= height
            hint = f"{label}, {category}: {formats.number(value)}"
            body.append(
                _rect(centre - column / 2, y, column, height, fills[label], hint=hint)
            )
        total = formats.number(totals[index])
        if _width(total, SMALL) <= pitch - 2:
            body.append(_text(centre, y - 3, total, anchor="middle", size=SMALL))
        if slanted:
            body.append(
                _text(
                    centre + 3,
                    bottom + 10,
                    fitted[index],
                    anchor="end",
                    size=SMALL,
                    rotate=-45,
                    full=category,
                )
            )
        else:
            body.append(
                _text(
                    centre,
                    bottom + 14,
                    fitted[index],
                    anchor="middle",
                    size=SMALL,
                    full=category,
                )
            )
    band = (max(widths) * math.sqrt(0.5) + 16) if slanted else 20
    legend, legend_height = _legend(
        [(label, fills[label]) for label, _ in normalised], top=bottom + band + 6
    )
    body.append(legend)

    summary = []
    if first:
        summary.append(
            gettext("Only the last %(shown)s of %(count)s columns are shown.")
            % {"shown": formats.number(len(shown)), "count": formats.number(count)}
        )
    for index, category in enumerate(shown):
        parts = [
            (label, formats.number(values[index]))
            for label, values in normalised
            if values[index]
        ]
        summary.append(_total_sentence(category, totals[index], parts))
    height = bottom + band + 6 + legend_height + 4
    return _svg(title, " ".join(summary), height, body, id_prefix)


def share_bars(
    title: str,
    rows: list[tuple[str, dict[str, int]]],
    *,
    order: list[tuple[str, str, str]],
    other_label: str = OTHER,
    id_prefix: str | None = None,
) -> SafeString:
    """A bar of 100 % per row (a platform), split into the shares of the keys in
    ``order`` = [(key, label, colour), …] (the tones), with the row's total on the
    right and a legend below.

    Keys not in ``order`` are left out, from the shares and from the total. A
    percentage is written inside a segment of at least ``SHARE_LABEL_MIN`` percent;
    the percentages of a row add up to 100. A row of total 0 shows an empty bar.
    Beyond ``MAX_ROWS``: see there. Empty (no row, or only zeros): "".
    """
    keys = [key for key, _, _ in order]
    normalised = [
        (str(label), [_count((values or {}).get(key)) for key in keys])
        for label, values in rows
    ]
    normalised = _fold(
        normalised,
        MAX_ROWS,
        other_label,
        size=sum,
        combine=lambda rest: [sum(column) for column in zip(*rest, strict=True)],
    )
    if not any(sum(values) for _, values in normalised):
        return SafeString("")

    totals = [formats.number(sum(values)) for _, values in normalised]
    left = _label_column(label for label, _ in normalised)
    bar_width = WIDTH - left - max(_width(total, FONT_SIZE) for total in totals) - 10
    body, summary = [], []
    for index, ((label, values), total) in enumerate(
        zip(normalised, totals, strict=True)
    ):
        y = 4 + index * ROW_PITCH
        baseline = y + BAR_HEIGHT / 2 + 4
        body.append(_text(0, baseline, _fit(label), full=label))
        body.append(_rect(left, y, bar_width, BAR_HEIGHT, TINT))
        percents = _percentages(values)
        parts, x = [], left
        whole = sum(values)
        for value, percent, (_, name, colour) in zip(
            values, percents, order, strict=True
        ):
            if not value:
                continue
            width = bar_width * value / whole
            written = _percent(percent)
            hint = f"{label}, {name}: {written} ({formats.number(value)})"
            body.append(_rect(x, y, width, BAR_HEIGHT, colour, hint=hint))
            room = _width(written, SMALL) + 4
            if value * 100 >= SHARE_LABEL_MIN * whole and width >= room:
                body.append(
                    _text(
                        x + width / 2,
                        baseline - 0.5,
                        written,
                        anchor="middle",
                        size=SMALL,
                        fill=_ink_on(colour),
                    )
                )
            parts.append((str(name), written))
            x += width
        body.append(_text(WIDTH, baseline, total, anchor="end"))
        summary.append(_total_sentence(label, whole, parts))
    present = [
        (str(name), colour)
        for position, (_, name, colour) in enumerate(order)
        if any(values[position] for _, values in normalised)
    ]
    top = 4 + len(normalised) * ROW_PITCH + 4
    legend, legend_height = _legend(present, top=top, left=left)
    body.append(legend)
    return _svg(title, " ".join(summary), top + legend_height + 4, body, id_prefix)


def bars(
    title: str,
    rows: list[tuple[str, int]],
    *,
    colour: str | None = None,
    other_label: str = OTHER,
    id_prefix: str | None = None,
) -> SafeString:
    """A horizontal bar per row (reach per platform), its value at its end; all
    bars on one scale, the largest value filling the room.

    Beyond ``MAX_ROWS``: see there. Empty (no row, or only zeros): "".
    """
    normalised = [(str(label), _count(value)) for label, value in rows]
    normalised = _fold(normalised, MAX_ROWS, other_label, size=int, combine=sum)
    largest = max((value for _, value in normalised), default=0)
    if not largest:
        return SafeString("")

    fill = colour or ACCENT
    written = [formats.number(value) for _, value in normalised]
    left = _label_column(label for label, _ in normalised)
    room = WIDTH - left - max(_width(text, FONT_SIZE) for text in written) - 8
    body, summary = [], []
    for index, ((label, value), text) in enumerate(
        zip(normalised, written, strict=True)
    ):
        y = 4 + index * ROW_PITCH
        baseline = y + BAR_HEIGHT / 2 + 4
        width = room * value / largest
        body.append(_text(0, baseline, _fit(label), full=label))
        body.append(_rect(left, y, width, BAR_HEIGHT, fill))
        body.append(_text(left + width + 6, baseline, text))
        summary.append(_pair(label, text) + ".")
    height = 4 + len(normalised) * ROW_PITCH
    return _svg(title, " ".join(summary), height, body, id_prefix)


def _fold(
    items: list[tuple[str, object]],
    limit: int,
    other_label,
    *,
    size: Callable[[object], int],
    combine: Callable[[list], object],
) -> list[tuple[str, object]]:
    """At most ``limit`` items: the largest ``limit - 1`` in their order, then one
    named ``other_label`` that adds up the rest (an item so named among them too)."""
    if len(items) <= limit:
        return items
    other = str(other_label)
    candidates = [index for index, (label, _) in enumerate(items) if label != other]
    kept = set(
        sorted(candidates, key=lambda index: -size(items[index][1]))[: limit - 1]
    )
    rest = [value for index, (_, value) in enumerate(items) if index not in kept]
    return [item for index, item in enumerate(items) if index in kept] + [
        (other, combine(rest))
    ]


def _series_fills(labels, colours, other_label) -> dict[str, str]:
    colours = {str(label): fill for label, fill in (colours or {}).items()}
    fills, used = {}, set()
    for label in labels:
        if label in colours:
            fills[label] = colours[label]
        elif label == str(other_label):
            fills[label] = OTHER_COLOUR
        used.add(fills.get(label))
    # Colours unlike those taken, then any not taken, then any.
    spare = [
        fill
        for fill in SERIES_COLOURS
        if all(_distance(fill, taken) >= 150 for taken in used if taken)
    ]
    spare += [fill for fill in SERIES_COLOURS if fill not in used and fill not in spare]
    spare = spare or list(SERIES_COLOURS)
    for position, label in enumerate(label for label in labels if label not in fills):
        fills[label] = spare[position % len(spare)]
    return fills


def _distance(one: str, other: str) -> float:
    """How far apart two colours are, roughly as eyes see it (0 to about 765)."""
    try:
        a, b = (
            [int(colour[i : i + 2], 16) for i in (1, 3, 5)] for colour in (one, other)
        )
    except (TypeError, ValueError):
        return 765.0
    mean_red = (a[0] + b[0]) / 2
    red, green, blue = (x - y for x, y in zip(a, b, strict=True))
    return math.sqrt(
        (2 + mean_red / 256) * red**2
        + 4 * green**2
        + (2 + (255 - mean_red) / 256) * blue**2
    )


def _scale(largest: int) -> tuple[int, int]:
    """A round step (1, 2, 2.5 or 5 times a power of ten, a whole number) and how many
    steps reach ``largest``: at most 5, and 3 or more once ``largest`` is 3 or more."""
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if step != int(step):
                continue
            intervals = math.ceil(largest / step)
            if intervals <= 5:
                return int(step), max(intervals, 1)
        magnitude *= 10


def _percentages(values: list[int]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainders), or all 0."""
    whole = sum(values)
    if not whole:
        return [0] * len(values)
    exact = [value * 100 / whole for value in values]
    rounded = [math.floor(share) for share in exact]
    by_remainder = sorted(
        range(len(values)), key=lambda index: rounded[index] - exact[index]
    )
    for index in by_remainder[: 100 - sum(rounded)]:
        rounded[index] += 1
    return rounded


def _percent(value: int) -> str:
    return babel_numbers.format_percent(value / 100, locale=formats.locale_name())


def _total_sentence(label: str, total: int, parts: list[tuple[str, str]]) -> str:
    if not parts:
        return gettext("%(label)s: %(total)s in total.") % {
            "label": label,
            "total": formats.number(total),
        }
    return gettext("%(label)s: %(total)s in total (%(parts)s).") % {
        "label": label,
        "total": formats.number(total),
        "parts": ", ".join(_pair(name, value) for name, value in parts),
    }


def _pair(label: str, value: str) -> str:
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def _legend(items: list[tuple[str, str]], *, top: float, left: float = 0):
    """Swatches and their labels in lines as wide as the chart, and their height."""
    elements, x, line = [], left, 0
    for label, fill in items:
        fitted = _fit(label)
        width = SWATCH + 5 + _width(fitted, FONT_SIZE) + 16
        if x > left and x + width > WIDTH:
            x, line = left, line + 1
        y = top + line * LEGEND_ROW
        elements.append(_rect(x, y + 1, SWATCH, SWATCH, fill))
        elements.append(_text(x + SWATCH + 5, y + SWATCH, fitted, full=label))
        x += width
    height = (line + 1) * LEGEND_ROW if items else 0
    return _join(elements), height


def _svg(title, summary: str, height: float, body, id_prefix) -> SafeString:
    title = str(title)
    body = _join(body)
    if id_prefix is None:
        digest = hashlib.sha256(f"{title}\n{summary}\n{body}".encode()).hexdigest()
        id_prefix = f"chart-{digest[:12]}"
    elif not _ID.fullmatch(id_prefix):
        raise ValueError(f"Not an id: {id_prefix!r}")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-desc" '
        'font-family="{font}" font-size="{size}" fill="{ink}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{summary}</desc>'
        "{body}</svg>",
        width=WIDTH,
        height=_number(height),
        id=id_prefix,
        font=FONT,
        size=FONT_SIZE,
        ink=INK,
        title=title,
        summary=summary,
        body=body,
    )


def _rect(x, y, width, height, fill, *, hint: str = "") -> SafeString:
    """A rectangle; ``hint``, if any, shows where a browser shows tooltips."""
    if hint:
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
            'stroke-width="0.5"><title>{}</title></rect>',
            *map(_number, (x, y, width, height)),
            fill,
            WHITE,
            hint,
        )
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        *map(_number, (x, y, width, height)),
        fill,
    )


def _line(x1, y1, x2, y2, colour) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.75"/>',
        *map(_number, (x1, y1, x2, y2)),
        colour,
    )


def _text(
    x,
    y,
    content,
    *,
    anchor="start",
    size=None,
    fill=None,
    rotate=None,
    full=None,
) -> SafeString:
    """A text; ``full``, if longer than ``content``, in a ``<title>`` with it."""
    attributes = []
    if anchor != "start":
        attributes.append(format_html(' text-anchor="{}"', anchor))
    if size:
        attributes.append(format_html(' font-size="{}"', size))
    if fill:
        attributes.append(format_html(' fill="{}"', fill))
    if rotate:
        attributes.append(
            format_html(' transform="rotate({} {} {})"', rotate, _number(x), _number(y))
        )
    text = format_html(
        '<text x="{}" y="{}"{}>{}</text>',
        _number(x),
        _number(y),
        _join(attributes),
        content,
    )
    if full is not None and str(full) != str(content):
        return format_html("<g><title>{}</title>{}</g>", full, text)
    return text


def _join(elements: Iterable) -> SafeString:
    return mark_safe("".join(conditional_escape(element) for element in elements))


def _label_column(labels: Iterable[str]) -> float:
    return min(
        LABEL_COLUMN, max(_width(_fit(label), FONT_SIZE) for label in labels) + 12
    )


def _ink_on(fill: str) -> str:
    """White or ink, whichever stands out more from ``fill``."""
    background = _luminance(fill)
    on_white = 1.05 / (background + 0.05)
    on_ink = (background + 0.05) / (_luminance(INK) + 0.05)
    return WHITE if on_white >= on_ink else INK


def _luminance(colour: str) -> float:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        return 0.0

    def channel(value: str) -> float:
        value = int(value, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _count(value) -> int:
    """A count: a whole number, 0 for nothing or less."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def _fit(label) -> str:
    label = str(label)
    if len(label) <= LABEL_LENGTH:
        return label
    return label[: LABEL_LENGTH - 1].rstrip() + "…"


def _width(text, size) -> float:
    return len(str(text)) * size * CHAR_WIDTH


def _number(value) -> str:
    """Coordinates with at most two decimals, so the same data gives the same SVG."""
    return f"{value:.2f}".rstrip("0").rstrip(".")

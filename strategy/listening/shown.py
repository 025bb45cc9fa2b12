"""The listening evidence as the Listen step and the document show it: for each
export, its source and period, charts and the figures behind them.

Charts are SVG made here, on the server, so the page and the document show the same;
everything is said in the active language (the document's: the concept's).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import charts, formats
from ..models.sections import Tone
from ..platforms import Platform
from . import privacy
from .evidence import TONES
from .formats import DECLARATIONS
from .proposal import average_per_month, dominant_tone
from .records import MONITORING


@dataclass
class ChannelFigures:
    platform: str
    mentions: str
    per_month: str
    tone: str
    reach: str
    engagement: str


class ShownSource:
    """One export's figures, ready to show. The charts and tables are made when a
    template first asks for them: the step's page lists the sources only."""

    def __init__(self, source: dict):
        self.source = source
        self.file = source["file"]
        self.tool = tool_label(source["tool"])
        self.is_monitoring = source["kind"] == MONITORING
        self.period = period(source)
        self.rows = formats.number(source["rows"])
        self.rows_count = source["rows"]

    @cached_property
    def charts(self) -> list[tuple[str, SafeString]]:
        """Each chart's title, shown above it, and its SVG."""
        if self.is_monitoring:
            return _monitoring_charts(self.source)
        return _own_pages_charts(self.source)

    @cached_property
    def channels(self) -> list[ChannelFigures]:
        return _channels(self.source)

    @cached_property
    def topics(self) -> str:
        return ", ".join(term for term, _count in self.source.get("topics", []))

    @cached_property
    def voices(self) -> list[dict]:
        return [
            {
                "name": privacy.shown_name(voice),
                "pseudonym": voice["pseudonym"],
                "platforms": ", ".join(platform_label(p) for p in voice["platforms"]),
                "reach": formats.number(voice["reach"]),
                "mentions": formats.number(voice["mentions"]),
            }
            for voice in self.source.get("voices", [])
        ]

    @cached_property
    def formats(self) -> list[dict]:
        return [
            {
                "platform": platform_label(f["platform"]),
                "format": f["format"],
                "posts": formats.number(f["posts"]),
                "reach": formats.number(f["reach"]),
                "engagement": formats.number(f["engagement"]),
            }
            for f in self.source.get("formats", [])
        ]


def tool_label(key: str) -> str:
    """The tool's name as its users know it: "Meta Business Suite"."""
    return next(
        (d.format.label for d in DECLARATIONS if d.format.key == key), key.title()
    )


def platform_label(code: str) -> str:
    return str(Platform(code).label)


def month_label(key: str) -> str:
    year, month = key.split("-")
    return formats.month(date(int(year), int(month), 1))


def period(source: dict) -> str:
    if not source.get("start"):
        return ""
    return _("%(start)s to %(end)s") % {
        "start": formats.date(date.fromisoformat(source["start"])),
        "end": formats.date(date.fromisoformat(source["end"])),
    }


def tone_labels() -> list[tuple[str, str]]:
    return [(tone, str(Tone(tone).label)) for tone in TONES]


def _tone_order():
    return [(tone, label, charts.TONE_COLOURS[tone]) for tone, label in tone_labels()]


def _titled(*made: tuple[str, SafeString]) -> list[tuple[str, SafeString]]:
    return [(title, chart) for title, chart in made if chart]


def _monitoring_charts(source: dict) -> list[tuple[str, SafeString]]:
    platforms = source["platforms"]
    per_month, tone = _("Mentions per month"), _("Tone of the mentions")
    return _titled(
        (
            per_month,
            charts.stacked_columns(
                per_month,
                [month_label(month) for month in source["months"]],
                [(platform_label(code), f["months"]) for code, f in platforms.items()],
                colours={
                    platform_label(code): charts.PLATFORM_COLOURS[code]
                    for code in platforms
                },
            ),
        ),
        (
            tone,
            charts.share_bars(
                tone,
                [
                    (platform_label(code), f["tone"])
                    for code, f in platforms.items()
                    if f["tone"]
                ],
                order=_tone_order(),
            ),
        ),
    )


def _own_pages_charts(source: dict) -> list[tuple[str, SafeString]]:
    platforms = source["platforms"]
    reach, engagement = _("Reach per platform"), _("Engagement per format")
    return _titled(
        (
            reach,
            charts.bars(
                reach,
                [(platform_label(code), f["reach"]) for code, f in platforms.items()],
            ),
        ),
        (
            engagement,
            charts.bars(
                engagement,
                [
                    (
                        f"{f['format']} ({platform_label(f['platform'])})",
                        f["engagement"],
                    )
                    for f in source.get("formats", [])
                ],
            ),
        ),
    )


def _channels(source: dict) -> list[ChannelFigures]:
    rows = []
    for code, figures in source["platforms"].items():
        tone = dominant_tone(Counter(figures["tone"]))
        rows.append(
            ChannelFigures(
                platform=platform_label(code),
                mentions=formats.number(figures["count"]),
                per_month=formats.number(average_per_month(source, code)),
                tone=str(Tone(tone).label) if tone else "",
                reach=formats.number(figures["reach"]),
                engagement=formats.number(figures["engagement"]),
            )
        )
    return rows


def show(source: dict) -> ShownSource:
    return ShownSource(source)


def for_version(version) -> list[ShownSource]:
    """The version's listening evidence, ready to show (the Listen step's extra)."""
    return [show(source) for source in version.listening_evidence]

"""The listening evidence a version keeps: for each analysed export, its figures.

A source is plain data (JSON) made by ``analysis``; it travels with the version —
copied into new drafts, exported and imported — so every source a file brings in is
checked here, field by field, before it is stored: a file made elsewhere can bring
nothing but bounded numbers and short texts.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..limits import MAX_LISTENING_SOURCES
from ..platforms import Platform
from .records import MONITORING, OWN_PAGES

TONES = ("positive", "neutral", "negative")
MAX_MONTHS = 120
MAX_COUNT = 10**15
FORMULA_START = ("=", "+", "-", "@")
"""What a spreadsheet would take for a formula: no text of the evidence starts so."""

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")
_TOOL = re.compile(r"[a-z0-9_]{1,40}\Z")


class _Invalid(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(
            _("%(where)s: %(problem)s") % {"where": where, "problem": problem}
            if where
            else problem
        )


def validate(value) -> None:
    """Refuse anything but a list of well-formed sources (the model's validator)."""
    try:
        _sources(value)
    except _Invalid as error:
        raise ValidationError(
            _("Listening evidence, %(problem)s"), params={"problem": str(error)}
        ) from None


def _sources(value) -> None:
    _check(isinstance(value, list), "", _("not a list"))
    _check(
        len(value) <= MAX_LISTENING_SOURCES,
        "",
        _("more than %(max)d sources") % {"max": MAX_LISTENING_SOURCES},
    )
    for index, source in enumerate(value, start=1):
        _source(source, _("source %(n)d") % {"n": index})


def _check(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise _Invalid(where, problem)


def _keys(data, where: str, required: set, optional: set = frozenset()) -> None:
    _check(isinstance(data, dict), where, _("not an object"))
    unknown = sorted(str(key)[:40] for key in set(data) - required - optional)
    if unknown:
        raise _Invalid(where, _("unknown field %(name)s") % {"name": unknown[0]})
    missing = sorted(required - set(data))
    if missing:
        raise _Invalid(where, _("missing %(name)s") % {"name": missing[0]})


def _count(value, where: str) -> None:
    _check(
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= MAX_COUNT,
        where,
        _("not a whole number of 0 or more"),
    )


def _text(value, where: str, max_length: int) -> None:
    _check(
        isinstance(value, str) and 0 < len(value) <= max_length,
        where,
        _("not a text of 1 to %(max)d characters") % {"max": max_length},
    )
    _check(
        not value.startswith(FORMULA_START),
        where,
        _("starts with =, +, - or @"),
    )


def _day(value, where: str):
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return _check(False, where, _("not a date"))


def _platform(value, where: str) -> None:
    _check(value in Platform.values, where, _("not a platform"))


def _source(source, where: str) -> None:
    _keys(
        source,
        where,
        {"file", "tool", "kind", "start", "end", "rows", "months", "platforms"},
        {"topics", "voices", "formats", "neutralised"},
    )
    _text(source["file"], f"{where}.file", 255)
    _check(
        isinstance(source["tool"], str) and _TOOL.match(source["tool"]),
        f"{where}.tool",
        _("not a tool"),
    )
    _check(source["kind"] in (MONITORING, OWN_PAGES), f"{where}.kind", _("not a kind"))
    start, end = (
        _day(source["start"], f"{where}.start"),
        _day(source["end"], f"{where}.end"),
    )
    _check(
        (start is None) == (end is None), f"{where}.end", _("a period needs both ends")
    )
    _check(start is None or start <= end, f"{where}.end", _("before the start"))
    _count(source["rows"], f"{where}.rows")
    _count(source.get("neutralised", 0), f"{where}.neutralised")
    months = source["months"]
    _check(
        isinstance(months, list)
        and len(months) <= MAX_MONTHS
        and all(isinstance(m, str) and _MONTH.match(m) for m in months),
        f"{where}.months",
        _("not a list of months"),
    )
    platforms = source["platforms"]
    _check(
        isinstance(platforms, dict) and len(platforms) <= len(Platform.values),
        f"{where}.platforms",
        _("not an object"),
    )
    for code, figures in platforms.items():
        here = f"{where}.platforms.{str(code)[:20]}"
        _platform(code, here)
        _keys(
            figures, here, {"count", "months", "tone", "reach", "engagement", "topics"}
        )
        for name in ("count", "reach", "engagement"):
            _count(figures[name], f"{here}.{name}")
        _check(
            isinstance(figures["months"], list)
            and len(figures["months"]) == len(months),
            f"{here}.months",
            _("not exactly one number per month"),
        )
        for value in figures["months"]:
            _count(value, f"{here}.months")
        _check(isinstance(figures["tone"], dict), f"{here}.tone", _("not an object"))
        for tone, value in figures["tone"].items():
            _check(tone in TONES, f"{here}.tone", _("not a tone"))
            _count(value, f"{here}.tone.{tone}")
        _list(figures["topics"], f"{here}.topics", 5)
        for topic in figures["topics"]:
            _text(topic, f"{here}.topics", 60)
    _list(source.get("topics", []), f"{where}.topics", 15)
    for topic in source.get("topics", []):
        _check(
            isinstance(topic, list) and len(topic) == 2,
            f"{where}.topics",
            _("not a pair"),
        )
        _text(topic[0], f"{where}.topics", 60)
        _count(topic[1], f"{where}.topics")
    _list(source.get("voices", []), f"{where}.voices", 12)
    for voice in source.get("voices", []):
        here = f"{where}.voices"
        _keys(
            voice,
            here,
            {"name", "pseudonym", "platforms", "mentions", "reach", "engagement"},
        )
        _text(voice["name"], f"{here}.name", 200)
        _check(
            isinstance(voice["pseudonym"], bool),
            f"{here}.pseudonym",
            _("not true or false"),
        )
        _list(voice["platforms"], f"{here}.platforms", len(Platform.values))
        for code in voice["platforms"]:
            _platform(code, f"{here}.platforms")
        for name in ("mentions", "reach", "engagement"):
            _count(voice[name], f"{here}.{name}")
    _list(source.get("formats", []), f"{where}.formats", 20)
    for figures in source.get("formats", []):
        here = f"{where}.formats"
        _keys(figures, here, {"platform", "format", "posts", "reach", "engagement"})
        _platform(figures["platform"], f"{here}.platform")
        _text(figures["format"], f"{here}.format", 60)
        for name in ("posts", "reach", "engagement"):
            _count(figures[name], f"{here}.{name}")


def _list(value, where: str, max_items: int) -> None:
    _check(
        isinstance(value, list) and len(value) <= max_items,
        where,
        _("not a list of at most %(max)d items") % {"max": max_items},
    )


def merged(kept: list[dict], added: list[dict]) -> list[dict]:
    """The evidence after adding ``added``: a file analysed again replaces its
    former figures; past ``MAX_LISTENING_SOURCES``, the oldest go."""
    names = {source["file"] for source in added}
    sources = [source for source in kept if source["file"] not in names] + added
    return sources[-MAX_LISTENING_SOURCES:]

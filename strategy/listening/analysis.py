"""An export folded into the figures the Listen step needs, in one pass and bounded
memory: mentions per platform per month, tone, topics, the loudest voices; for the
organisation's own pages, reach and engagement per platform and per format.

What comes out (a *source*, ``evidence.py`` checks its shape) keeps no mention, no
text and no private person's name: people appear as a keyed pseudonym
(``privacy.pseudonym``) unless the user named them public.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from . import privacy
from .records import MONITORING, AuthorKind, Record

TOP_TOPICS = 15
"""Topics kept for the whole export; each platform keeps ``TOP_CHANNEL_TOPICS``."""
TOP_CHANNEL_TOPICS = 5
TOP_VOICES = 12
"""Voices kept as candidate opinion leaders: the ones with most reach."""
TOP_FORMATS = 20
"""Own pages: formats kept per export (platform and format)."""
QUERY_SHARE = 0.6
"""A term in more of the mentions than this is what the export was searched for (the
organisation's name), not a topic."""
TRACKED = 20_000
"""How many distinct terms or voices a counter follows before it forgets the least
frequent half: memory stays bounded whatever the size of the export."""
REPORT_EVERY = 2_000
"""Rows between two reports of progress."""

_HASHTAG = re.compile(r"#\w{2,50}")
_WORD = re.compile(r"[^\W\d_][\w'’-]{3,40}")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_STOPWORDS = """
    about after again also always among another because been before being between
    both cannot could does doing down during each even every from further have
    having here into just like made make many more most much must never only other
    over same should since some still such than that their them then there these
    they this those through under until very want were what when where which while
    will with would your yours today seit kommt aber alle allem allen aller alles
    also andere
    anderen auch bald beim bereits bist dann damit darf dass dein deine dem denen
    deren dessen dich diese diesem diesen dieser dieses doch dort durch eine einem
    einen einer eines etwas euch euer eure für gegen gibt habe haben hast hatte hier
    hinter ihre ihrem ihren ihrer immer jede jedem jeden jeder jetzt kann kein keine
    können mehr mein meine mich mit nach nicht noch nur oder ohne schon sehr sein
    seine sich sind soll sollte über unter uns unser unsere viel vom von vor wann
    war waren warum was weil wenn werden wieder wird wir wird wo wurde wurden zum
    zur zwischen heute alors après aussi autre autres avant avec avoir cela celle
    celui cette ceux chez comme comment dans depuis donc elle elles encore entre
    être fait faire leur leurs mais même mes moins nous notre nos pour pourquoi
    quand que quel quelle quels qui sans selon sont sous sur tous tout toute toutes
    très vous votre vos aujourd alla alle anche ancora avere come con cosa dalla
    dalle degli della delle dello dopo essere fare gli hanno loro molto nella nelle
    negli nostro nostra ogni per perché più poco prima quale quando quella quelle
    quello questa queste questo sono sulla sulle tutti tutto tutta tutte una uno
    verso oggi
"""
STOPWORDS = frozenset(_STOPWORDS.split())
"""Words too common to be a topic, in the four languages of the product."""


class TopCounter:
    """A counter that follows at most ``limit`` keys: past it, the less frequent half
    is forgotten. The top of a long export stays right; the tail is approximate."""

    def __init__(self, limit: int = TRACKED):
        self.limit = limit
        self.counts: Counter = Counter()

    def add(self, key, amount: int = 1) -> None:
        self.counts[key] += amount
        if len(self.counts) > self.limit:
            self.counts = Counter(dict(self.counts.most_common(self.limit // 2)))

    def top(self, count: int) -> list[tuple]:
        """The ``count`` most frequent keys; of equally frequent ones, the first in
        alphabetical order, so that the same export always gives the same topics."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:count]


def terms(record: Record) -> Iterable[str]:
    """The topics of a mention: its hashtags, its key phrases, its frequent words."""
    text = _NOISE.sub(" ", record.text)
    words = (word.lower() for word in _WORD.findall(_HASHTAG.sub(" ", text)))
    found = dict.fromkeys(  # each once, in the order of the text: the same every run
        [
            *(tag.lower() for tag in _HASHTAG.findall(text)),
            *(phrase.strip().lower()[:60] for phrase in record.key_phrases),
            *(word for word in words if word not in STOPWORDS),
        ]
    )
    found.pop("", None)
    return found


class _Voice:
    __slots__ = ("engagement", "kind", "mentions", "name", "platforms", "reach")

    def __init__(self, name: str, kind: str):
        self.name = name
        self.kind = kind
        self.mentions = 0
        self.reach = 0
        self.engagement = 0
        self.platforms: set[str] = set()


class Analysis:
    """Figures gathered row by row; ``source`` gives them as the evidence keeps them."""

    def __init__(self, *, public: Iterable[str] = ()):
        self.public = {privacy.normalised(name) for name in public}
        self.rows = 0
        self.first: date | None = None
        self.last: date | None = None
        self.monthly: dict[str, Counter] = {}
        self.tones: dict[str, Counter] = {}
        self.reach: Counter = Counter()
        self.engagement: Counter = Counter()
        self.posts: Counter = Counter()
        self.topics = TopCounter()
        self.channel_topics: dict[str, TopCounter] = {}
        self.voices: dict[str, _Voice] = {}
        self.formats: dict[tuple[str, str], list[int]] = {}

    def add(self, record: Record) -> None:
        self.rows += 1
        day, platform = record.day, record.platform
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day
        month = f"{day.year:04d}-{day.month:02d}"
        self.monthly.setdefault(platform, Counter())[month] += 1
        if record.tone:
            self.tones.setdefault(platform, Counter())[record.tone] += 1
        self.reach[platform] += record.reach or 0
        self.engagement[platform] += record.engagement or 0
        self.posts[platform] += 1
        channel_topics = self.channel_topics.setdefault(platform, TopCounter(5_000))
        for term in terms(record):
            self.topics.add(term)
            channel_topics.add(term)
        if record.author:
            self._add_voice(record)
        if record.post_format:
            figures = self.formats.setdefault(
                (platform, record.post_format[:60]), [0, 0, 0]
            )
            figures[0] += 1
            figures[1] += record.reach or 0
            figures[2] += record.engagement or 0

    def _add_voice(self, record: Record) -> None:
        name = record.author.strip()[:200]
        key = privacy.normalised(name)
        voice = self.voices.get(key)
        if voice is None:
            if len(self.voices) >= TRACKED:
                self._forget_quiet_voices()
            voice = self.voices[key] = _Voice(name, record.author_kind)
        voice.mentions += 1
        voice.reach = max(voice.reach, record.reach or 0)
        voice.engagement += record.engagement or 0
        voice.platforms.add(record.platform)

    def _forget_quiet_voices(self) -> None:
        loudest = sorted(
            self.voices.items(),
            key=lambda item: (item[1].reach, item[1].engagement),
            reverse=True,
        )
        self.voices = dict(loudest[: TRACKED // 2])

    def source(self, *, name: str, tool: str, kind: str, declared=None) -> dict:
        """The figures as the draft keeps them: no text, no private person's name."""
        start, end = declared or (self.first, self.last)
        months = _months(start, end) if start and end else []
        platforms = {}
        for platform in sorted(self.posts, key=lambda p: -self.posts[p]):
            monthly = self.monthly.get(platform, Counter())
            platforms[platform] = {
                "count": self.posts[platform],
                "months": [monthly.get(month, 0) for month in months],
                "tone": dict(self.tones.get(platform, {})),
                "reach": self.reach[platform],
                "engagement": self.engagement[platform],
                "topics": _topics(self.channel_topics[platform], self.posts[platform])[
                    :TOP_CHANNEL_TOPICS
                ],
            }
        return {
            "file": name[:255],
            "tool": tool,
            "kind": kind,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "rows": self.rows,
            "months": months,
            "platforms": platforms,
            "topics": [
                [term, count]
                for term, count in self.topics.top(TOP_TOPICS + 5)
                if count <= QUERY_SHARE * self.rows
            ][:TOP_TOPICS],
            "voices": self._loudest_voices() if kind == MONITORING else [],
            "formats": [
                {
                    "platform": platform,
                    "format": post_format,
                    "posts": posts,
                    "reach": reach,
                    "engagement": engagement,
                }
                for (platform, post_format), (posts, reach, engagement) in sorted(
                    self.formats.items(), key=lambda item: -item[1][1]
                )[:TOP_FORMATS]
            ],
        }

    def _loudest_voices(self) -> list[dict]:
        loudest = sorted(
            self.voices.items(),
            key=lambda item: (item[1].reach, item[1].engagement, item[1].mentions),
            reverse=True,
        )[:TOP_VOICES]
        voices = []
        for key, voice in loudest:
            shown = voice.kind == AuthorKind.ORGANISATION or key in self.public
            voices.append(
                {
                    "name": voice.name if shown else privacy.pseudonym(key),
                    "pseudonym": not shown,
                    "platforms": sorted(voice.platforms),
                    "mentions": voice.mentions,
                    "reach": voice.reach,
                    "engagement": voice.engagement,
                }
            )
        return voices


def _topics(counter: TopCounter, mentions: int) -> list[str]:
    """The most frequent terms, but those of the query itself."""
    return [
        term
        for term, count in counter.top(TOP_CHANNEL_TOPICS + 5)
        if count <= QUERY_SHARE * mentions
    ]


def _months(start: date, end: date) -> list[str]:
    """The calendar months from ``start`` to ``end``, both included: "2026-01", …"""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month) and len(months) < 120:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def analyse(
    export,
    *,
    public: Iterable[str] = (),
    report: Callable[[float], None] | None = None,
) -> dict:
    """Read ``export`` (``reading.Export``) to its end; its source for the evidence."""
    analysis = Analysis(public=public)
    for seen, record in enumerate(export.records(), start=1):
        analysis.add(record)
        if report and seen % REPORT_EVERY == 0:
            report(export.fraction_read())
    source = analysis.source(
        name=export.name,
        tool=export.format.key,
        kind=export.format.kind,
        declared=export.declared_period,
    )
    source["neutralised"] = export.neutralised
    return source

"""What an analysis proposes for the draft's Listen step, and applying it.

A channel is matched by its platform, an opinion leader by its name: applying the
same analysis twice changes nothing the second time, and never duplicates a row.
A channel's mentions per month are the export's average per calendar month over the
period it covers (four weeks of mentions count as 28/30.4 of a month, not as the two
calendar months they may touch); several exports of mentions add up.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .. import activity, formats
from ..limits import MAX_ROWS_PER_LIST, TOO_MANY_ROWS
from ..models import ConceptVersion, FrozenVersionError, ListeningChannel, OpinionLeader
from ..models.sections import Tone
from ..platforms import Platform
from . import evidence, privacy
from .records import MONITORING, OWN_PAGES

DAYS_PER_MONTH = 365.2425 / 12
"""A calendar month's length, on average."""

DOMINANT_SHARE = 0.5
"""A channel's tone is the one of at least half its rated mentions; else "mixed"."""


class ProposalError(Exception):
    """The proposal cannot be applied as asked; nothing was written."""


@dataclass
class ChannelChange:
    platform: str
    mentions_per_month: int | None
    tone: str
    main_topics: str
    is_present: bool
    row: ListeningChannel | None = None

    @property
    def label(self) -> str:
        return Platform(self.platform).label

    @property
    def mentions_shown(self) -> str:
        return formats.number(self.mentions_per_month)

    @property
    def tone_label(self) -> str:
        return str(Tone(self.tone).label) if self.tone else ""


@dataclass
class LeaderChange:
    name: str
    platforms: list[str]
    description: str
    reach: int
    mentions: int
    pseudonym: bool
    row: OpinionLeader | None = None

    @property
    def reach_shown(self) -> str:
        return formats.number(self.reach)

    @property
    def mentions_shown(self) -> str:
        return formats.number(self.mentions)

    @property
    def platform_labels(self) -> str:
        return ", ".join(str(Platform(code).label) for code in self.platforms)


@dataclass
class Proposal:
    channels: list[ChannelChange] = field(default_factory=list)
    leaders: list[LeaderChange] = field(default_factory=list)


@dataclass
class Applied:
    channels_updated: int = 0
    channels_added: int = 0
    leaders_updated: int = 0
    leaders_added: int = 0


def average_per_month(source: dict, platform: str) -> int:
    """The platform's mentions per calendar month over the export's period: its
    mentions over the period's length in months of the calendar's average length."""
    mentions = sum(source["platforms"][platform]["months"])
    if not source.get("start"):
        return mentions
    days = (
        date.fromisoformat(source["end"]) - date.fromisoformat(source["start"])
    ).days
    return round(mentions * DAYS_PER_MONTH / (days + 1))


def dominant_tone(tones: Counter) -> str:
    rated = sum(tones.values())
    if not rated:
        return ""
    tone, count = tones.most_common(1)[0]
    return tone if count / rated >= DOMINANT_SHARE else Tone.MIXED


def _channels(sources: list[dict]) -> list[ChannelChange]:
    mentions: Counter = Counter()
    tones: dict[str, Counter] = {}
    topics: dict[str, list[str]] = {}
    present: set[str] = set()
    order: list[str] = []
    for source in sources:
        for platform, figures in source["platforms"].items():
            if platform not in order:
                order.append(platform)
            if source["kind"] == OWN_PAGES:
                present.add(platform)
                continue
            mentions[platform] += average_per_month(source, platform)
            tones.setdefault(platform, Counter()).update(figures["tone"])
            known = topics.setdefault(platform, [])
            known.extend(t for t in figures["topics"] if t not in known)
    return [
        ChannelChange(
            platform=platform,
            mentions_per_month=mentions[platform] if platform in tones else None,
            tone=dominant_tone(tones.get(platform, Counter())),
            main_topics=", ".join(topics.get(platform, [])[:5]),
            is_present=platform in present,
        )
        for platform in order
    ]


def _leaders(sources: list[dict]) -> list[LeaderChange]:
    voices: dict[str, dict] = {}
    for source in sources:
        if source["kind"] != MONITORING:
            continue
        for voice in source.get("voices", []):
            key = privacy.normalised(voice["name"])
            known = voices.get(key)
            if known is None:
                voices[key] = {**voice, "platforms": list(voice["platforms"])}
                continue
            known["mentions"] += voice["mentions"]
            known["reach"] = max(known["reach"], voice["reach"])
            known["platforms"] += [
                p for p in voice["platforms"] if p not in known["platforms"]
            ]
    loudest = sorted(
        voices.values(), key=lambda v: (v["reach"], v["mentions"]), reverse=True
    )
    return [
        LeaderChange(
            name=privacy.shown_name(voice),
            platforms=voice["platforms"],
            description=_(
                "Reach: %(reach)s. Mentions in the exports analysed: %(mentions)s."
            )
            % {
                "reach": formats.number(voice["reach"]),
                "mentions": formats.number(voice["mentions"]),
            },
            reach=voice["reach"],
            mentions=voice["mentions"],
            pseudonym=voice["pseudonym"],
        )
        for voice in loudest
    ]


def propose(version: ConceptVersion, sources: list[dict]) -> Proposal:
    """The channels and opinion leaders the sources suggest, each with the row of
    ``version`` it would update, if there is one. Speak the concept's language."""
    with formats.in_locale_of(version):
        proposal = Proposal(_channels(sources), _leaders(sources))
    channels = {
        row.platform: row
        for row in reversed(version.channels.all())
        if not (row.platform == Platform.OTHER and row.platform_other)
    }
    leaders = {
        privacy.normalised(row.name): row
        for row in reversed(version.opinion_leaders.all())
    }
    for change in proposal.channels:
        change.row = channels.get(change.platform)
    for change in proposal.leaders:
        change.row = leaders.get(privacy.normalised(change.name))
    return proposal


@transaction.atomic
def apply(
    draft: ConceptVersion,
    sources: list[dict],
    *,
    channels: set[str],
    leaders: set[str],
    by,
) -> Applied:
    """Put the chosen channels (by platform) and leaders (by name) into the draft,
    with the sources as its evidence: all of it, or nothing."""
    draft = ConceptVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_writable:
        raise FrozenVersionError()
    proposal = propose(draft, sources)
    chosen_channels = [c for c in proposal.channels if c.platform in channels]
    chosen_leaders = [c for c in proposal.leaders if c.name in leaders]
    new_channels = _new_rows(
        ListeningChannel,
        draft,
        draft.channels.count(),
        [{"platform": c.platform} for c in chosen_channels if not c.row],
    )
    for change, row in zip(
        chosen_channels, _rows(chosen_channels, new_channels), strict=True
    ):
        if change.mentions_per_month is not None:
            row.mentions_per_month = change.mentions_per_month
        if change.tone:
            row.tone = change.tone
        if change.main_topics and not row.main_topics:  # never over the user's
            row.main_topics = change.main_topics
        row.is_present = row.is_present or change.is_present
    new_leaders = _new_rows(
        OpinionLeader,
        draft,
        draft.opinion_leaders.count(),
        [{"name": c.name} for c in chosen_leaders if not c.row],
    )
    for change, row in zip(
        chosen_leaders, _rows(chosen_leaders, new_leaders), strict=True
    ):
        row.platforms = [
            *row.platforms,
            *(p for p in change.platforms if p not in row.platforms),
        ]
        if not row.description:
            row.description = change.description
    _store(ListeningChannel, chosen_channels, new_channels, CHANNEL_FIGURES)
    _store(OpinionLeader, chosen_leaders, new_leaders, LEADER_FIGURES)
    applied = Applied(
        channels_updated=len(chosen_channels) - len(new_channels),
        channels_added=len(new_channels),
        leaders_updated=len(chosen_leaders) - len(new_leaders),
        leaders_added=len(new_leaders),
    )
    draft.listening_evidence = evidence.merged(draft.listening_evidence, sources)
    draft.updated_by = by
    draft.save(update_fields=["listening_evidence", "updated_by", "updated_at"])
    from .. import renders
    from ..method import get_step

    activity.record_step_saved(draft, get_step("listen"), by=by)
    renders.prepare_after_save(draft)
    return applied


CHANNEL_FIGURES = ("mentions_per_month", "tone", "main_topics", "is_present")
LEADER_FIGURES = ("platforms", "description")
"""What applying writes into a row it updates."""


def _new_rows(model, draft, present: int, values: list[dict]) -> list:
    """Rows to add after the ``present`` ones, unsaved; refused past the limit."""
    if present + len(values) > MAX_ROWS_PER_LIST:
        raise ProposalError(TOO_MANY_ROWS % {"num": MAX_ROWS_PER_LIST})
    return [
        model(version=draft, position=present + index, **fields)
        for index, fields in enumerate(values)
    ]


def _rows(changes: list, new_rows: list) -> list:
    """Each change's row: the one it updates, or the next of ``new_rows``."""
    added = iter(new_rows)
    return [change.row or next(added) for change in changes]


def _store(model, changes: list, new_rows: list, fields: tuple[str, ...]) -> None:
    """The new rows and the updated ones, in a query each."""
    model.objects.bulk_create(new_rows)
    updated = [change.row for change in changes if change.row]
    if updated:
        model.objects.bulk_update(updated, fields)


def describe(applied: Applied) -> str:
    """What applying did, in a sentence for the page."""
    return _(
        "Applied to the draft. Channels: %(channels_added)s new, %(channels_updated)s "
        "updated. Opinion leaders: %(leaders_added)s new, %(leaders_updated)s updated."
    ) % {name: formats.number(value) for name, value in vars(applied).items()}


@transaction.atomic
def remove_source(draft: ConceptVersion, name: str, *, by) -> bool:
    """Take the figures of the file ``name`` out of the draft's evidence."""
    draft = ConceptVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_writable:
        raise FrozenVersionError()
    kept = [source for source in draft.listening_evidence if source["file"] != name]
    if len(kept) == len(draft.listening_evidence):
        return False
    draft.listening_evidence = kept
    draft.updated_by = by
    draft.save(update_fields=["listening_evidence", "updated_by", "updated_at"])
    _recorded(draft, by)
    return True


def _recorded(draft: ConceptVersion, by) -> None:
    """Log the change as a save of the Listen step, and prepare its documents."""
    from .. import renders  # renders needs the document, which shows listening
    from ..method import get_step

    activity.record_step_saved(draft, get_step("listen"), by=by)
    renders.prepare_after_save(draft)

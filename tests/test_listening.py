"""Listening figures: what an analysis keeps, how people are hidden, how a proposal
is applied to the draft, and what evidence a file may bring in."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from strategy.interchange import InterchangeError, export_concept, import_concept
from strategy.limits import MAX_LISTENING_SOURCES
from strategy.listening import analysis, evidence, privacy, proposal
from strategy.listening.records import MONITORING, OWN_PAGES, AuthorKind, Record
from strategy.models import ListeningChannel, OpinionLeader

from .factories import make_concept


def mention(day, platform="x", tone="neutral", author="", **extra) -> Record:
    return Record(day=day, platform=platform, tone=tone, author=author, **extra)


def source_of(records, *, kind=MONITORING, public=(), declared=None, name="a.csv"):
    found = analysis.Analysis(public=public)
    for record in records:
        found.add(record)
    return found.source(name=name, tool="brandwatch", kind=kind, declared=declared)


def three_months():
    """January: 30 on X, 10 on Instagram; February: 6 on X; March: 0."""
    records = [mention(date(2026, 1, 1 + n % 28)) for n in range(30)]
    records += [
        mention(
            date(2026, 1, 5),
            "instagram",
            "positive",
            text="Alpenbank: great #App" if n < 6 else "Alpenbank app",
        )
        for n in range(10)
    ]
    records += [mention(date(2026, 2, 3), tone="negative") for _n in range(6)]
    return records


def test_mentions_per_platform_per_calendar_month_over_the_declared_period():
    source = source_of(three_months(), declared=(date(2026, 1, 1), date(2026, 3, 31)))
    assert source["months"] == ["2026-01", "2026-02", "2026-03"]
    assert source["platforms"]["x"]["months"] == [30, 6, 0]
    assert source["platforms"]["instagram"]["months"] == [10, 0, 0]
    assert (source["start"], source["end"]) == ("2026-01-01", "2026-03-31")
    assert source["rows"] == 46
    # the average per calendar month of the period: 36 mentions over 3 months
    assert proposal.average_per_month(source, "x") == 12


def test_four_weeks_across_two_calendar_months_are_not_two_months():
    records = [mention(date(2026, 2, 2) + timedelta(days=n % 28)) for n in range(280)]
    source = source_of(records, declared=(date(2026, 2, 2), date(2026, 3, 1)))
    assert source["months"] == ["2026-02", "2026-03"]
    assert proposal.average_per_month(source, "x") == 304  # 280 × 30.4 / 28


def test_the_term_in_most_mentions_is_the_query_not_a_topic():
    source = source_of(three_months()[30:40])  # the ten on Instagram
    assert "alpenbank" not in dict(source["topics"])  # in all ten
    assert "alpenbank" not in source["platforms"]["instagram"]["topics"]
    assert "#app" in source["platforms"]["instagram"]["topics"]  # in 6 of 10


def test_without_a_declared_period_the_mentions_give_it():
    source = source_of(three_months())
    assert (source["start"], source["end"]) == ("2026-01-01", "2026-02-03")
    assert source["months"] == ["2026-01", "2026-02"]


def test_tone_and_topics_per_platform():
    source = source_of(three_months())
    assert source["platforms"]["x"]["tone"] == {"neutral": 30, "negative": 6}
    assert set(source["platforms"]["instagram"]["topics"][:2]) == {"#app", "great"}
    assert ["#app", 6] in source["topics"]


def test_private_persons_are_pseudonyms_media_and_public_figures_names():
    records = [
        mention(date(2026, 1, 1), author="anna_k", reach=5000),
        mention(date(2026, 1, 2), author="@Anna_K", reach=7000, engagement=3),
        mention(
            date(2026, 1, 3),
            "news",
            author="Tages-Anzeiger",
            reach=90000,
            author_kind=AuthorKind.ORGANISATION,
        ),
        mention(date(2026, 1, 4), author="mayor_bern", reach=3000),
    ]
    voices = source_of(records, public=["@Mayor_Bern"])["voices"]
    assert [v["name"] for v in voices] == [
        "Tages-Anzeiger",
        privacy.pseudonym("anna_k"),
        "mayor_bern",
    ]
    anna = voices[1]
    assert anna["pseudonym"] and anna["mentions"] == 2 and anna["reach"] == 7000
    assert "anna" not in str(voices).lower()


def test_a_pseudonym_is_keyed_by_the_installation(settings):
    first = privacy.pseudonym("anna_k")
    assert first == privacy.pseudonym("@ANNA_K ")
    settings.LISTENING_PSEUDONYM_KEY = "another installation"
    assert privacy.pseudonym("anna_k") != first


def test_memory_stays_bounded_with_many_distinct_voices_and_terms(monkeypatch):
    monkeypatch.setattr(analysis, "TRACKED", 100)
    found = analysis.Analysis()
    found.topics = analysis.TopCounter(100)
    for n in range(1000):
        found.add(
            mention(date(2026, 1, 1), author=f"user{n}", reach=n, text=f"word{n}xyz")
        )
    assert len(found.voices) <= 100 and len(found.topics.counts) <= 100
    loudest = found.source(name="a", tool="t", kind=MONITORING)["voices"][0]
    assert loudest["reach"] == 999


def test_own_pages_give_reach_and_engagement_per_platform_and_format():
    posts = [
        Record(
            date(2026, 3, 1), "instagram", reach=100, engagement=10, post_format="Reel"
        ),
        Record(
            date(2026, 3, 2), "instagram", reach=50, engagement=2, post_format="Photo"
        ),
        Record(
            date(2026, 3, 3), "instagram", reach=300, engagement=30, post_format="Reel"
        ),
    ]
    source = source_of(posts, kind=OWN_PAGES)
    assert source["platforms"]["instagram"]["reach"] == 450
    assert source["formats"][0] == {
        "platform": "instagram",
        "format": "Reel",
        "posts": 2,
        "reach": 400,
        "engagement": 40,
    }
    assert source["voices"] == []
    evidence.validate([source])


@pytest.fixture
def draft(team, owner):
    draft = make_concept(team, by=owner, rows=0).draft
    ListeningChannel.objects.create(version=draft, platform="x", mentions_per_month=1)
    OpinionLeader.objects.create(
        version=draft, name="Tages-Anzeiger", platforms=["news"]
    )
    return draft


def monitoring_source():
    records = [
        *three_months(),
        mention(
            date(2026, 1, 9),
            "news",
            author="Tages-Anzeiger",
            reach=90000,
            author_kind=AuthorKind.ORGANISATION,
        ),
        mention(date(2026, 1, 9), "x", author="anna_k", reach=500),
    ]
    return source_of(records, declared=(date(2026, 1, 1), date(2026, 3, 31)))


def test_applying_updates_matching_rows_and_never_duplicates(draft, owner):
    sources = [monitoring_source()]
    leaders = {change.name for change in proposal.propose(draft, sources).leaders}
    # in the concept's language: French
    assert leaders == {"Tages-Anzeiger", f"Personne {privacy.pseudonym('anna_k')}"}
    applied = proposal.apply(
        draft,
        sources,
        channels={"x", "instagram", "news"},
        leaders=leaders,
        by=owner,
    )
    assert (applied.channels_updated, applied.channels_added) == (1, 2)
    assert (applied.leaders_updated, applied.leaders_added) == (1, 1)
    x = draft.channels.get(platform="x")
    assert x.mentions_per_month == 13  # 37 mentions in 90 days: 12.5 a month
    assert x.tone == "neutral"
    draft.refresh_from_db()
    assert [s["file"] for s in draft.listening_evidence] == ["a.csv"]
    again = proposal.apply(
        draft, sources, channels={"x", "instagram", "news"}, leaders=leaders, by=owner
    )
    assert (again.channels_added, again.leaders_added) == (0, 0)
    assert draft.channels.count() == 3 and draft.opinion_leaders.count() == 2
    assert len(draft.listening_evidence) == 1


def test_applying_keeps_the_main_topics_the_user_wrote(draft, owner):
    draft.channels.filter(platform="x").update(main_topics="Our own words")
    proposal.apply(
        draft,
        [monitoring_source()],
        channels={"x", "instagram"},
        leaders=set(),
        by=owner,
    )
    assert draft.channels.get(platform="x").main_topics == "Our own words"
    assert draft.channels.get(platform="x").mentions_per_month == 13  # figures: updated
    assert draft.channels.get(platform="instagram").main_topics  # a new row: filled


def test_applying_part_of_a_proposal_leaves_the_rest(draft, owner):
    proposal.apply(
        draft, [monitoring_source()], channels={"instagram"}, leaders=set(), by=owner
    )
    assert sorted(draft.channels.values_list("platform", flat=True)) == [
        "instagram",
        "x",
    ]
    assert draft.channels.get(platform="x").mentions_per_month == 1
    assert draft.opinion_leaders.count() == 1


def test_own_pages_mark_the_channel_present_and_keep_its_mentions(draft, owner):
    own = source_of(
        [Record(date(2026, 3, 1), "x", reach=10, engagement=1, post_format="Post")],
        kind=OWN_PAGES,
        name="x.csv",
    )
    proposal.apply(draft, [own], channels={"x"}, leaders=set(), by=owner)
    x = draft.channels.get(platform="x")
    assert x.is_present and x.mentions_per_month == 1


def test_a_frozen_version_is_never_changed(draft, owner):
    from strategy import versioning
    from strategy.models import FrozenVersionError

    versioning.freeze(draft, by=owner, note="v1")
    with pytest.raises(FrozenVersionError):
        proposal.apply(
            draft, [monitoring_source()], channels={"x"}, leaders=set(), by=owner
        )


def test_evidence_travels_with_the_concept_through_its_json_file(draft, owner, team):
    proposal.apply(
        draft, [monitoring_source()], channels=set(), leaders=set(), by=owner
    )
    document = export_concept(draft.concept)
    copy = import_concept(document, team=team, by=owner)
    assert copy.draft.listening_evidence == draft.concept.draft.listening_evidence


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(rows=-1),
        lambda s: s.update(rows="12"),
        lambda s: s.update(months=["2026-13"]),
        lambda s: s["platforms"].update(myspace=s["platforms"]["x"]),
        lambda s: s["platforms"]["x"].update(months=[1]),
        lambda s: s["platforms"]["x"]["tone"].update(furious=1),
        lambda s: s["voices"][0].update(name='=HYPERLINK("http://evil")'),
        lambda s: s["voices"][0].update(name="<script>" * 100),
        lambda s: s.update(secret="x"),
        lambda s: s.update(start="2026-04-01"),
    ],
)
def test_an_imported_file_brings_no_malformed_evidence(draft, owner, team, change):
    source = monitoring_source()
    change(source)
    with pytest.raises(ValidationError):
        evidence.validate([source])
    document = export_concept(draft.concept)
    document["versions"][-1]["listening_evidence"] = [source]
    with pytest.raises(InterchangeError) as error:
        import_concept(document, team=team, by=owner)
    assert "listening_evidence" in str(error.value.problems)


def test_evidence_keeps_the_latest_sources_within_its_limit():
    sources = [{"file": f"{n}.csv"} for n in range(MAX_LISTENING_SOURCES)]
    merged = evidence.merged(sources, [{"file": "new.csv"}, {"file": "3.csv"}])
    assert len(merged) == MAX_LISTENING_SOURCES
    assert merged[-2:] == [{"file": "new.csv"}, {"file": "3.csv"}]
    assert {"file": "0.csv"} not in merged


def test_equally_frequent_topics_come_in_the_same_order_every_run():
    records = [mention(date(2026, 1, 1), text="zebra apfel mango #kiwi")]
    others = [mention(date(2026, 1, 2), text=f"other{n}") for n in range(4)]
    source = source_of(records * 2 + others)
    assert source["topics"][:4] == [
        ["#kiwi", 2],
        ["apfel", 2],
        ["mango", 2],
        ["zebra", 2],
    ]

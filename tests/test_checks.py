"""The strategy check: each check fires on its bad case only, in the method's order."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy import versioning
from strategy.checks import Finding, check_version
from strategy.method import STEPS
from strategy.models import (
    BudgetLine,
    CadenceEntry,
    ContentPillar,
    ListeningChannel,
    MeasurementItem,
    Objective,
    Person,
    Readiness,
    TargetGroup,
)

from .factories import make_concept


def found(version, code):
    """The findings of one check."""
    return [finding for finding in check_version(version) if finding.code == code]


@pytest.fixture
def draft(concept):
    return concept.draft


@pytest.fixture
def complete(draft):
    """A filled draft with nothing left to fix: listened everywhere, all rated."""
    for position, platform in enumerate(["linkedin", "instagram"], start=1):
        ListeningChannel.objects.create(
            version=draft, key=platform, position=position, platform=platform
        )
    Readiness.objects.filter(version=draft).update(score=4)
    return draft


def test_a_complete_concept_has_no_findings(complete):
    assert check_version(complete) == []


def test_findings_are_plain_translated_strings(draft):
    findings = check_version(draft)
    assert findings
    for finding in findings:
        assert isinstance(finding, Finding)
        assert all(
            type(value) is str
            for value in (finding.step, finding.anchor, finding.message, finding.code)
        )


# Objectives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"kpi": ""}, "objective_without_kpi", "no KPI"),
        ({"kpi": "   "}, "objective_without_kpi", "no KPI"),
        ({"target": None}, "objective_without_target", "no target"),
        ({"due": None}, "objective_without_due_date", "no due date"),
    ],
)
def test_objective_that_cannot_be_measured_is_found(complete, change, code, words):
    Objective.objects.filter(version=complete, key="ob0").update(**change)
    [finding] = check_version(complete)
    assert finding == Finding(
        step="objectives",
        anchor="row-objectives-ob0",
        message=finding.message,
        code=code,
    )
    assert "“Objectif 0”" in finding.message
    assert words in finding.message


def test_objective_missing_everything_gets_one_finding_per_missing_item(complete):
    Objective.objects.filter(version=complete).update(kpi="", target=None, due=None)
    assert [(f.code, f.anchor) for f in check_version(complete)] == [
        ("objective_without_kpi", "row-objectives-ob0"),
        ("objective_without_target", "row-objectives-ob0"),
        ("objective_without_due_date", "row-objectives-ob0"),
    ]


def test_a_target_of_zero_counts_as_a_target(complete):
    Objective.objects.filter(version=complete).update(target=Decimal("0"))
    assert check_version(complete) == []


def test_objective_without_target_group_is_found(complete):
    Objective.objects.get(version=complete, key="ob0").target_groups.clear()
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "objectives",
        "row-objectives-ob0",
        "objective_without_target_group",
    )
    assert "“Objectif 0”" in finding.message


def test_no_objectives_at_all_is_found_on_the_list(complete):
    Objective.objects.filter(version=complete).delete()
    findings = check_version(complete)
    assert [(f.step, f.anchor, f.code) for f in findings] == [
        ("objectives", "list-objectives", "no_objectives"),
        # The pillar that served the deleted objective now serves none.
        ("content", "row-pillars-cp0", "pillar_without_objective"),
    ]


def test_objective_missing_from_the_measurement_plan_is_found(complete):
    MeasurementItem.objects.get(version=complete).objectives.clear()
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "implementation",
        "list-measurements",
        "objective_not_measured",
    )
    assert "“Objectif 0”" in finding.message


# Target groups and content ------------------------------------------------------


def test_target_group_no_pillar_serves_is_found_where_pillars_are_linked(complete):
    ContentPillar.objects.get(version=complete).target_groups.clear()
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "content",
        "list-pillars",
        "target_group_without_pillar",
    )
    assert "“Groupe 0”" in finding.message


def test_a_target_group_served_by_one_of_several_pillars_is_fine(complete):
    pillar = ContentPillar.objects.create(
        version=complete, key="cp-extra", position=5, name="Coulisses"
    )
    pillar.objectives.set(Objective.objects.filter(version=complete))
    assert check_version(complete) == []


def test_no_target_groups_at_all_is_found_on_the_list(complete):
    TargetGroup.objects.filter(version=complete).delete()
    assert [(f.step, f.anchor, f.code) for f in check_version(complete)] == [
        ("objectives", "row-objectives-ob0", "objective_without_target_group"),
        ("target_groups", "list-target_groups", "no_target_groups"),
    ]


def test_pillar_serving_no_objective_is_found(complete):
    ContentPillar.objects.get(version=complete).objectives.clear()
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "content",
        "row-pillars-cp0",
        "pillar_without_objective",
    )
    assert "“Thème 0”" in finding.message


# Platforms the content uses without listening there ------------------------------


def test_platforms_of_the_content_without_listening_are_found(draft):
    """The filled draft listened on Facebook only, but publishes elsewhere."""
    Readiness.objects.filter(version=draft).update(score=4)
    findings = check_version(draft)
    assert [(f.step, f.anchor, f.code) for f in findings] == [
        ("listen", "list-channels", "platform_not_listened"),
        ("listen", "list-channels", "platform_not_listened"),
    ]
    linkedin, instagram = (finding.message for finding in findings)
    assert linkedin.startswith("LinkedIn ")
    assert "“Thème 0”" in linkedin
    assert "publishing rhythm" in linkedin
    assert instagram.startswith("Instagram ")
    assert "publishing rhythm" not in instagram


def test_a_publishing_rhythm_alone_makes_a_platform_used(complete):
    CadenceEntry.objects.create(
        version=complete, key="yt", position=3, platform="youtube"
    )
    [finding] = check_version(complete)
    assert finding.code == "platform_not_listened"
    assert finding.message.startswith("YouTube ")


def test_a_platform_used_by_many_pillars_is_one_finding_naming_a_few(complete):
    for index in range(1, 6):
        pillar = ContentPillar.objects.create(
            version=complete,
            key=f"yt{index}",
            position=index,
            name=f"Vidéo {index}",
            platforms=["youtube"],
        )
        pillar.objectives.set(Objective.objects.filter(version=complete))
    [finding] = check_version(complete)
    assert "“Vidéo 1”, “Vidéo 2”, “Vidéo 3” and 2 others" in finding.message


def test_other_platforms_are_compared_by_name_ignoring_case(complete):
    CadenceEntry.objects.create(
        version=complete,
        key="forum",
        position=3,
        platform="other",
        platform_other="Forum Santé ",
    )
    ListeningChannel.objects.create(
        version=complete,
        key="reddit",
        position=3,
        platform="other",
        platform_other="Reddit",
    )
    [finding] = check_version(complete)
    assert finding.code == "platform_not_listened"
    assert finding.message.startswith("Forum Santé ")

    ListeningChannel.objects.create(
        version=complete,
        key="forum",
        position=4,
        platform="other",
        platform_other="forum santé",
    )
    assert check_version(complete) == []


def test_other_platforms_without_a_name_are_not_checked(complete):
    ContentPillar.objects.filter(version=complete).update(
        platforms=["linkedin", "other"]
    )
    CadenceEntry.objects.create(
        version=complete, key="other", position=3, platform="other"
    )
    assert check_version(complete) == []


# Resources ----------------------------------------------------------------------


def test_missing_sponsor_is_found_on_its_field(complete):
    complete.sponsor_name = ""
    complete.save()
    assert check_version(complete) == [
        Finding(
            step="resources",
            anchor="field-sponsor_name",
            message=(
                "No management sponsor is named. Name the member of management who "
                "backs the engagement."
            ),
            code="no_sponsor",
        )
    ]


@pytest.mark.parametrize("without_lines", [False, True])
def test_a_budget_of_zero_is_found(complete, without_lines):
    lines = BudgetLine.objects.filter(version=complete)
    if without_lines:
        lines.delete()
    else:
        BudgetLine.objects.create(version=complete, key="free", position=2, item="X")
        lines.update(amount=Decimal("0"))
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "resources",
        "list-budget_lines",
        "no_budget",
    )


@pytest.mark.parametrize("without_people", [False, True])
def test_no_one_with_hours_is_found(complete, without_people):
    people = Person.objects.filter(version=complete)
    if without_people:
        people.delete()
    else:
        people.update(hours_per_week=Decimal("0"))
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "resources",
        "list-people",
        "no_staff_hours",
    )


def test_one_person_with_hours_is_enough(complete):
    Person.objects.create(version=complete, key="intern", position=5, role="Stagiaire")
    assert check_version(complete) == []


# Readiness ----------------------------------------------------------------------


def test_unrated_obstacles_are_found_on_their_rows(draft):
    findings = found(draft, "obstacle_not_rated")
    assert [(f.step, f.anchor) for f in findings] == [
        ("readiness", f"row-readiness-{obstacle}")
        for obstacle in Readiness.Obstacle.values
    ]
    assert "“Budget”" in findings[0].message


@pytest.mark.parametrize("score", [1, 2])
def test_blocking_obstacle_without_countermeasure_is_found(complete, score):
    Readiness.objects.filter(version=complete, obstacle="budget").update(
        score=score, countermeasure=" "
    )
    [finding] = check_version(complete)
    assert (finding.step, finding.anchor, finding.code) == (
        "readiness",
        "row-readiness-budget",
        "obstacle_without_countermeasure",
    )
    assert "“Budget”" in finding.message
    assert f"rated {score} out of 5" in finding.message


def test_blocking_obstacle_with_countermeasure_is_fine(complete):
    Readiness.objects.filter(version=complete, obstacle="budget").update(
        score=1, countermeasure="Budget annuel voté en décembre."
    )
    assert check_version(complete) == []


def test_an_obstacle_rated_three_needs_no_countermeasure(complete):
    Readiness.objects.filter(version=complete).update(score=3, countermeasure="")
    assert check_version(complete) == []


# Order, size, frozen versions ---------------------------------------------------


def test_findings_follow_the_steps_then_the_rows_position(team, owner):
    version = make_concept(team, by=owner, rows=3).draft
    version.sponsor_name = ""
    version.save()
    # Reverse the objectives' order: their position, not their creation, counts.
    for objective in Objective.objects.filter(version=version):
        Objective.objects.filter(pk=objective.pk).update(
            position=2 - objective.position, kpi=""
        )
    Objective.objects.filter(version=version, key="ob1").update(due=None)
    Person.objects.filter(version=version).delete()

    findings = check_version(version)

    order = [step.slug for step in STEPS]
    steps = [order.index(finding.step) for finding in findings]
    assert steps == sorted(steps)
    assert [(f.anchor, f.code) for f in findings if f.step == "objectives"] == [
        ("row-objectives-ob2", "objective_without_kpi"),
        ("row-objectives-ob1", "objective_without_kpi"),
        ("row-objectives-ob1", "objective_without_due_date"),
        ("row-objectives-ob0", "objective_without_kpi"),
    ]
    # On a step's page the fields come before the lists, the lists in their order.
    assert [f.anchor for f in findings if f.step == "resources"] == [
        "field-sponsor_name",
        "list-people",
    ]
    assert [f.anchor for f in findings if f.step == "readiness"] == [
        f"row-readiness-{obstacle}" for obstacle in Readiness.Obstacle.values
    ]


def test_queries_do_not_grow_with_the_number_of_rows(
    team, owner, django_assert_max_num_queries
):
    small = make_concept(team, by=owner, rows=1).draft
    large = make_concept(team, by=owner, rows=60).draft
    for version in (small, large):
        # Give every row something to report, so messages are built for each.
        Objective.objects.filter(version=version).update(kpi="")
        TargetGroup.objects.filter(version=version).update(
            platforms=["linkedin", "tiktok"]
        )
        ContentPillar.objects.filter(version=version).update(platforms=["tiktok"])
        for pillar in ContentPillar.objects.filter(version=version):
            pillar.objectives.clear()

    with CaptureQueriesContext(connection) as small_queries:
        small_findings = check_version(small)
    with django_assert_max_num_queries(len(small_queries)):
        large_findings = check_version(large)

    assert len(found(small, "objective_without_kpi")) == 1
    assert len(found(large, "objective_without_kpi")) == 60
    assert len(found(large, "pillar_without_objective")) == 60
    assert len(large_findings) > len(small_findings)


def test_a_frozen_version_can_be_checked(concept, owner):
    draft = concept.draft
    draft.sponsor_name = ""
    draft.save()
    Objective.objects.filter(version=draft).update(due=None)
    new_draft = versioning.freeze(draft, by=owner, note="Pour la direction")
    frozen = concept.versions.get(number=1)
    assert frozen.is_frozen

    findings = check_version(frozen)

    assert {"no_sponsor", "objective_without_due_date"} <= {f.code for f in findings}
    assert findings == check_version(new_draft)


def test_the_check_reads_the_database_not_a_stale_instance(complete):
    stale = type(complete).objects.get(pk=complete.pk)
    complete.sponsor_name = ""
    complete.save()
    assert [f.code for f in check_version(stale)] == ["no_sponsor"]


def test_rows_of_other_versions_do_not_count(complete, team, owner):
    other = make_concept(team, by=owner, title="Autre").draft
    ListeningChannel.objects.filter(version=complete).delete()
    ListeningChannel.objects.create(
        version=other, key="li-other", position=9, platform="linkedin"
    )
    findings = check_version(complete)
    assert {f.code for f in findings} == {"platform_not_listened"}
    assert [f.message.split()[0] for f in findings] == ["LinkedIn", "Instagram"]

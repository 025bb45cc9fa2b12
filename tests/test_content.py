"""A version's whole content as plain data: written into a new version it reads back the
same, links by key and lists in order, at a cost that does not grow with the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategy.content import Content, read_content, write_content
from strategy.method import READINESS, ROW_LISTS
from strategy.models import Concept, ConceptVersion, Objective, Readiness, TargetGroup

from .factories import make_concept

LINKS = sum(len(row_list.links) for row_list in ROW_LISTS)


def empty_version(team, owner) -> ConceptVersion:
    """A version of a concept of its own, without rows yet: what write_content fills."""
    concept = Concept.objects.create(team=team, created_by=owner)
    return ConceptVersion(concept=concept, number=1, updated_by=owner)


def shuffle_positions(version) -> None:
    """Reverse every list of ``version`` and link each objective to every target
    group, so that neither keys nor primary keys give the order of rows or links."""
    for row_list in ROW_LISTS:
        rows = list(row_list.rows(version))
        for position, row in enumerate(reversed(rows)):
            row.position = position
        row_list.model.objects.bulk_update(rows, ["position"])
    groups = list(version.target_groups.all())
    for objective in version.objectives.all():
        objective.target_groups.set(groups)


def test_written_content_reads_back_the_same(team, owner):
    source = make_concept(team, by=owner, rows=3).draft
    shuffle_positions(source)
    content = read_content(source)
    assert [row["key"] for row in content.lists["objectives"]] == ["ob2", "ob1", "ob0"]
    assert content.lists["objectives"][0]["target_groups"] == ["tg2", "tg1", "tg0"]

    copy = empty_version(team, owner)
    write_content(copy, content)

    assert read_content(copy) == content
    for row_list in ROW_LISTS:
        written = list(row_list.rows(copy).values_list("key", "position"))
        expected = [
            (row["key"], i) for i, row in enumerate(content.lists[row_list.name])
        ]
        assert written == expected, row_list.name


def test_written_links_point_to_the_new_versions_own_rows(team, owner):
    source = make_concept(team, by=owner, rows=2).draft
    copy = empty_version(team, owner)
    write_content(copy, read_content(source))
    for row_list in ROW_LISTS:
        for link, target in row_list.links.items():
            linked = row_list.model.objects.filter(version=copy).values_list(
                f"{link}__version", flat=True
            )
            assert set(linked) == {copy.pk}, (row_list.name, target.name)


def test_links_are_read_in_the_order_of_their_targets(concept):
    draft = concept.draft
    objective = draft.objectives.get()
    TargetGroup.objects.bulk_create(
        TargetGroup(version=draft, key=key, position=position, name=key)
        for key, position in (("late", 9), ("early", 1))
    )
    objective.target_groups.set(draft.target_groups.all())
    (row,) = read_content(draft).lists["objectives"]
    assert row["target_groups"] == ["tg0", "early", "late"]


def test_reading_a_version_ignores_the_rows_of_other_versions(team, owner):
    small = make_concept(team, by=owner, rows=2, title="Petit").draft
    make_concept(team, by=owner, rows=5, title="Grand")
    content = read_content(small)
    assert len(content.lists["objectives"]) == 2
    assert [row["target_groups"] for row in content.lists["objectives"]] == [
        ["tg0"],
        ["tg1"],
    ]


def cost(function, *args) -> int:
    """The number of queries ``function(*args)`` makes."""
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured)


def test_reading_and_writing_cost_as_many_queries_for_30_rows_as_for_one(
    team, owner, django_assert_max_num_queries
):
    costs = {}
    for rows in (1, 30):
        source = make_concept(team, by=owner, rows=rows, title=f"{rows} rows").draft
        content = read_content(source)
        assert len(content.lists["objectives"]) == rows
        copy = empty_version(team, owner)
        costs[rows] = (cost(read_content, source), cost(write_content, copy, content))
        assert copy.objectives.count() == rows
    assert costs[30] == costs[1]
    # one query per list and one per link, whatever the number of rows
    with django_assert_max_num_queries(len(ROW_LISTS) + LINKS):
        read_content(source)


def test_writing_completes_the_fixed_readiness_rows(team, owner):
    version = empty_version(team, owner)
    mine = {"key": "mine", "obstacle": Readiness.Obstacle.BUDGET, "score": 2}
    write_content(version, Content(lists={READINESS.name: [mine]}))
    rows = list(version.readiness.values_list("obstacle", "score", "key"))
    assert rows[0] == ("budget", 2, "mine")
    assert sorted(obstacle for obstacle, _score, _key in rows) == sorted(
        Readiness.Obstacle.values
    )
    assert all(score is None for _obstacle, score, _key in rows[1:])


def test_writing_without_a_readiness_list_still_gives_the_five_obstacles(team, owner):
    version = empty_version(team, owner)
    write_content(version, Content())
    assert sorted(version.readiness.values_list("obstacle", flat=True)) == sorted(
        Readiness.Obstacle.values
    )
    assert not Objective.objects.filter(version=version).exists()


def test_a_completed_readiness_row_never_takes_a_key_already_used(team, owner):
    version = empty_version(team, owner)
    # the key a blank "budget" row would get, taken by another obstacle's row
    taken = {"key": "budget", "obstacle": Readiness.Obstacle.MANAGEMENT_SUPPORT}
    write_content(version, Content(lists={READINESS.name: [taken]}))
    keys = dict(version.readiness.values_list("obstacle", "key"))
    assert keys["management_support"] == "budget"
    assert keys["budget"] != "budget"
    assert len(set(keys.values())) == len(Readiness.Obstacle.values)

"""Rows at a glance: a step's stored rows show as summaries that post their id,
position and removal only; a row opens whole on the page (``?open=``) or as a
fragment for the page's script; and editing together keeps working row by row."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from strategy import prepared
from strategy.checks.snapshot import _objectives
from strategy.models import Objective, Role, TargetGroup
from strategy.progress import _filled_counts
from strategy.rowsummaries import SUMMARY

from . import steps
from .factories import make_concept, make_team, make_user, step_post_data
from .steps import current_data, snapshot, step_url

as_owner = steps.as_owner
draft = steps.draft


@pytest.fixture
def groups(team, owner):
    """A draft with three target groups, tg0 to tg2."""
    return make_concept(team, by=owner, rows=3).draft


def summary_data(version, slug, **changes) -> dict:
    """What the page posts when the user opened no row."""
    return current_data(version, slug, opened=(), **changes)


# The page -----------------------------------------------------------------------


def test_stored_rows_show_their_name_and_key_values_not_their_fields(as_owner, groups):
    TargetGroup.objects.filter(key="tg1").update(priority="high", platforms=["xing"])
    html = as_owner.get(step_url(groups, "target_groups")).content.decode()
    row = re.search(
        r'<div [^>]*id="row-target_groups-tg1".*?</div>\s*</div>', html, re.S
    )
    assert row, "the row's summary"
    text = re.sub(r"<[^>]+>|\s+", " ", row.group(0))
    assert re.search(r"2\s*\.\s*Groupe 1\s*· High · XING", text)
    assert 'name="target_groups-1-name"' not in html  # no field of a stored row
    assert f'name="target_groups-1-{SUMMARY}"' in html
    assert 'name="go" value="open:target_groups-tg1"' in html


def test_a_row_opens_whole_on_the_page_and_as_a_fragment(as_owner, groups):
    url = step_url(groups, "target_groups")
    page = as_owner.get(f"{url}?open=target_groups-tg1").content.decode()
    assert 'name="target_groups-1-name"' in page
    assert 'name="target_groups-0-name"' not in page

    fragment = as_owner.get(f"{url}?open=target_groups-tg1&fragment=1&index=1")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'value="Groupe 1"' in html and 'name="target_groups-1-name"' in html
    for query in (
        "?open=target_groups-nothing&fragment=1&index=1",
        "?open=target_groups-tg1&fragment=1&index=x",
        "?open=target_groups-tg1&fragment=1&index=-1",
        "?open=target_groups-tg1&fragment=1&index=100000",
        "?open=objectives-tg1&fragment=1&index=1",
        "?open=tg1&fragment=1&index=1",
    ):
        assert as_owner.get(url + query).status_code == 404, query


def test_a_viewer_sees_a_row_opened_read_only(client, team, groups):
    viewer = make_user("vera")
    team.memberships.create(user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    url = step_url(groups, "target_groups")
    html = client.get(url).content.decode()
    assert 'href="?open=target_groups-tg1#row-target_groups-tg1"' in html
    assert 'name="go"' not in html
    fragment = client.get(f"{url}?open=target_groups-tg1&fragment=1&index=1")
    field = re.search(r'<input[^>]*name="target_groups-1-name"[^>]*>', fragment.text)
    assert "disabled" in field.group(0)


def test_nobody_outside_the_team_gets_a_fragment(groups):
    stranger = make_user("stranger")
    make_team("Autre", members=[(stranger, Role.OWNER)])
    client = Client()
    client.force_login(stranger)
    url = step_url(groups, "target_groups")
    for query in ("?open=target_groups-tg1&fragment=1&index=1", "?fragment=1&add=x"):
        assert client.get(url + query).status_code == 404


# What summaries post ---------------------------------------------------------------


def test_summaries_keep_their_rows_while_an_opened_row_changes(as_owner, groups):
    TargetGroup.objects.filter(key="tg0").update(description="Garder ce texte.")
    data = current_data(
        groups, "target_groups", opened={"target_groups-tg2"}, go="save"
    )
    assert "target_groups-0-name" not in data
    data["target_groups-2-name"] = "Groupe 2 renommé"
    assert as_owner.post(step_url(groups, "target_groups"), data).status_code == 302
    stored = dict(groups.target_groups.values_list("key", "name"))
    assert stored == {"tg0": "Groupe 0", "tg1": "Groupe 1", "tg2": "Groupe 2 renommé"}
    assert groups.target_groups.get(key="tg0").description == "Garder ce texte."


def test_a_summary_is_removed_and_moved_by_its_own_fields(as_owner, groups):
    data = summary_data(
        groups,
        "target_groups",
        **{
            "target_groups-0-DELETE": "on",
            "target_groups-1-ORDER": "3",
            "target_groups-2-ORDER": "1",
        },
    )
    assert as_owner.post(step_url(groups, "target_groups"), data).status_code == 302
    assert list(groups.target_groups.values_list("key", "position")) == [
        ("tg2", 0),
        ("tg1", 1),
    ]


def test_an_unchanged_page_of_summaries_writes_nothing(as_owner, groups, owner):
    before = snapshot(groups.concept)
    data = summary_data(groups, "target_groups")
    assert as_owner.post(step_url(groups, "target_groups"), data).status_code == 302
    assert snapshot(groups.concept) == before


@pytest.mark.parametrize("order", ["x", "", "-5", "99999999999999999999"])
def test_a_tampered_position_puts_the_row_last_without_an_error(
    as_owner, groups, order
):
    data = summary_data(groups, "target_groups", **{"target_groups-0-ORDER": order})
    response = as_owner.post(step_url(groups, "target_groups"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        keys = list(groups.target_groups.values_list("key", flat=True))
        assert sorted(keys) == ["tg0", "tg1", "tg2"]


def test_a_summary_of_another_versions_row_is_refused(as_owner, groups, team, owner):
    foreign = make_concept(team, by=owner, title="B").draft.target_groups.get()
    before = snapshot(groups.concept)
    data = summary_data(
        groups, "target_groups", **{"target_groups-0-id": str(foreign.pk)}
    )
    response = as_owner.post(step_url(groups, "target_groups"), data)
    assert response.status_code == 200
    assert "This row was removed meanwhile" in response.content.decode()
    assert snapshot(groups.concept) == before


# Editing together, row by row --------------------------------------------------------


@pytest.fixture
def anne_and_bruno(team):
    clients = []
    for name in ("anne", "bruno"):
        user = make_user(name, first_name=name.title())
        team.memberships.create(user=user, role=Role.EDITOR)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def page_data(response, *, opened=(), **changes) -> dict:
    """What the page posts, the rows ``opened`` as the page got them."""
    data = step_post_data(response.context["forms"], opened=opened, **changes)
    data["base_state"] = response.context["base_state"]
    return data


def test_rows_changed_by_two_people_are_both_kept(anne_and_bruno, groups):
    anne, bruno = anne_and_bruno
    url = step_url(groups, "target_groups")
    page_a, page_b = anne.get(url), bruno.get(url)
    data = page_data(
        page_a, opened={"target_groups-tg0"}, **{"target_groups-0-name": "Par Anne"}
    )
    assert anne.post(url, data).status_code == 302

    data = page_data(
        page_b,
        opened={"target_groups-tg2"},
        **{"target_groups-2-description": "Par Bruno."},
    )
    response = bruno.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(r"<ins>[^<]*Anne</ins>", html)  # what changed meanwhile
    assert (
        re.search(
            r'id="row-target_groups-tg0"[^>]*data-summary|data-summary[^>]*id="row-target_groups-tg0"',
            html,
        )
        or 'id="row-target_groups-tg0"' in html
    )
    forms = response.context["forms"].formsets[0].forms
    assert [form.is_summary for form in forms] == [True, True, False]
    assert forms[0].label == "Par Anne"  # the summary shows the stored row
    assert forms[2]["description"].value() == "Par Bruno."  # his input, kept

    assert bruno.post(url, page_data(response)).status_code == 302
    stored = {
        row.key: (row.name, row.description) for row in groups.target_groups.all()
    }
    assert stored["tg0"] == ("Par Anne", "")
    assert stored["tg2"] == ("Groupe 2", "Par Bruno.")


def test_a_row_removed_meanwhile_that_was_only_summarised_goes(anne_and_bruno, groups):
    anne, bruno = anne_and_bruno
    url = step_url(groups, "target_groups")
    page_a, page_b = anne.get(url), bruno.get(url)
    assert (
        anne.post(
            url, page_data(page_a, **{"target_groups-1-DELETE": "on"})
        ).status_code
        == 302
    )

    data = page_data(
        page_b,
        opened={"target_groups-tg0"},
        **{"target_groups-0-description": "Par Bruno."},
    )
    response = bruno.post(url, data)
    assert response.status_code == 409
    assert "This row was removed meanwhile" not in response.content.decode()
    assert bruno.post(url, page_data(response)).status_code == 302
    assert list(groups.target_groups.values_list("key", "description")) == [
        ("tg0", "Par Bruno."),
        ("tg2", ""),
    ]


def test_a_row_moved_on_a_stale_page_is_a_conflict_not_a_silent_undo(
    anne_and_bruno, groups
):
    anne, bruno = anne_and_bruno
    url = step_url(groups, "target_groups")
    page_a, page_b = anne.get(url), bruno.get(url)
    moved = page_data(page_a, **{"target_groups-0-ORDER": "3"})
    assert anne.post(url, moved).status_code == 302
    data = page_data(page_b, **{"target_groups-2-ORDER": "1"})
    response = bruno.post(url, data)
    assert response.status_code == 409
    assert bruno.post(url, page_data(response)).status_code == 302
    keys = list(groups.target_groups.values_list("key", flat=True))
    assert sorted(keys) == ["tg0", "tg1", "tg2"]
    assert keys[-1] == "tg0"  # Anne's move, kept


# Queries compiled once -------------------------------------------------------------


def test_prepared_queries_answer_as_the_orm_does_for_every_version(team, owner):
    first = make_concept(team, by=owner, rows=2).draft
    second = make_concept(team, by=owner, title="B", rows=5).draft
    Objective.objects.filter(version=second, key="ob1").update(due=None)
    for version in (first, second, first):
        orm = list(_objectives.__wrapped__(version.pk))
        assert _objectives(version.pk) == orm
        (counts,) = _filled_counts(version.pk)
        assert counts["count_target_groups"] == version.target_groups.count()


def test_a_prepared_query_is_built_once_and_runs_in_one_query(
    team, owner, django_assert_num_queries
):
    version = make_concept(team, by=owner).draft
    _filled_counts(version.pk)
    misses = prepared._compiled.cache_info().misses
    with django_assert_num_queries(1):
        _filled_counts(version.pk)
    assert prepared._compiled.cache_info().misses == misses


def test_a_query_that_ignores_the_version_is_refused():
    @prepared.per_version
    def every_objective(version_id):
        return Objective.objects.values("key")

    with pytest.raises(ValueError, match="does not filter by the version"):
        every_objective(1)


def test_the_large_content_step_stays_small(as_owner, team, owner):
    from .factories import make_large_concept

    large = make_large_concept(team, by=owner)
    response = as_owner.get(
        reverse("strategy:step", args=[large.pk, large.draft.number, "content"])
    )
    assert response.status_code == 200
    assert len(response.content) < 400 * 1024
    assert response.content.decode().count("data-summary") == 100


def test_summaries_carry_what_the_live_totals_count(as_owner, draft):
    html = as_owner.get(step_url(draft, "resources")).content.decode()
    line = draft.budget_lines.get()
    summary = re.search(rf'<div [^>]*id="row-budget_lines-{line.key}"[^>]*>', html)
    for name in ("category", "amount", "currency", "period", "category-label"):
        assert f"data-{name}=" in summary.group(0), name
    assert f'data-currency="{line.currency}"' in summary.group(0)
    person = draft.people.get()
    summary = re.search(rf'<div [^>]*id="row-people-{person.key}"[^>]*>', html)
    assert f'data-hours_per_week="{person.hours_per_week}"' in summary.group(0)
